import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, parseRecordVerifyKey, RecordSigner } from "../restate/identity/record-signatures";
import { auditRecordsIn, verifyAuditRecords } from "./audit";

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
