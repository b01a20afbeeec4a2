import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { localAuditLog } from "../restate/adapters/local/audit-log";
import { canonicalJson, parseRecordVerifyKey, RecordSigner } from "../restate/identity/record-signatures";
import { auditRecordsIn, verifyAuditRecords } from "./audit";
import { projectRoot } from "./stack";

const signer = RecordSigner.fromPem(generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString());
const key = parseRecordVerifyKey(signer.publicKey());

/** An audit record as the workflow exports it: signed over its canonical JSON. */
function exported(findingId: string, approver: string) {
  const content = { outcome: "completed", identity: { findingId }, submittedBy: "sam", approvals: [{ approver, approved: true }] };
  return { ...content, attestation: signer.sign("audit-record", findingId, JSON.parse(canonicalJson(content))) };
}
const ledgerLine = (findingId: string, detail: unknown) =>
  JSON.stringify({
    at: "2026-11-28T00:00:00Z",
    system: "siem",
    action: "export-audit-record",
    findingId,
    idempotencyKey: `k-${findingId}`,
    duplicate: false,
    detail,
  });

describe("npm run audit -- verify", () => {
  it("verifies exported records offline and names the one changed after export", () => {
    const tampered = { ...exported("cve-2", "ana"), approvals: [{ approver: "mallory", approved: true }] };
    const ledger = [
      ledgerLine("cve-1", exported("cve-1", "ana")),
      ledgerLine("cve-2", tampered),
      JSON.stringify({ action: "open-ticket", findingId: "cve-1" }),
    ].join("\n");
    const checks = verifyAuditRecords(key, auditRecordsIn(ledger));
    expect(checks).toEqual([
      { findingId: "cve-1", outcome: "completed", ok: true },
      expect.objectContaining({ findingId: "cve-2", ok: false, why: expect.stringMatching(/does not match/) }),
    ]);
  });

  it("refuses a record without a signature, and reads a single exported record", () => {
    const { attestation: _dropped, ...unsigned } = exported("cve-3", "ana");
    expect(verifyAuditRecords(key, auditRecordsIn(JSON.stringify(unsigned)))).toEqual([
      expect.objectContaining({ ok: false, why: "carries no services signature" }),
    ]);
    expect(verifyAuditRecords(key, auditRecordsIn(JSON.stringify(exported("cve-4", "bo"))))).toEqual([{ findingId: "cve-4", outcome: "completed", ok: true }]);
  });
});

describe("npm run audit -- verify on the embedded audit log", () => {
  const verify = (file: string) =>
    spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), ["--import", "tsx", join(projectRoot, "scripts/audit.ts"), "verify", file], {
      cwd: projectRoot,
      env: { ...process.env, RECORD_VERIFY_KEY: signer.publicKey() },
      encoding: "utf8",
      timeout: 60_000,
    });

  it("prints how many entries verified, and names the first one that does not with a non-zero exit", async () => {
    const dir = mkdtempSync(join(tmpdir(), "audit-cli-"));
    try {
      const log = localAuditLog({ dir, sign: signer.sign.bind(signer) });
      for (const findingId of ["cve-1", "cve-2", "cve-3"]) {
        await log.exportAuditRecord({ idempotencyKey: `${findingId}/audit`, findingId, record: exported(findingId, "ana") as never });
      }
      const clean = verify(log.file);
      expect(clean.stdout).toContain("3 audit log entries verified: chain and signatures (head #3)");
      expect(clean.status).toBe(0);

      writeFileSync(log.file, readFileSync(log.file, "utf8").replace('"approver":"ana"', '"approver":"mallory"'));
      const tampered = verify(log.file);
      expect(tampered.stdout).toContain(`${log.file} line 1 (finding cve-1): its signature does not match its content`);
      expect(tampered.stdout).toContain("0 entries verified before it");
      expect(tampered.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
