import { generateKeyPairSync } from "node:crypto";
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { canonicalJson, parseRecordVerifyKey, RecordSigner } from "../../identity/record-signatures";
import { AUDIT_HEAD_FILE, AuditHeadSchema, verifyChain } from "./audit-chain";
import { localAuditLog } from "./audit-log";

const signer = RecordSigner.fromPem(generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString());
const key = parseRecordVerifyKey(signer.publicKey());
const sign = signer.sign.bind(signer);

/** An audit record as the workflow exports it: signed over its canonical JSON. */
function auditRecord(findingId: string, approver = "ana") {
  const content = { outcome: "completed", identity: { findingId }, submittedBy: "sam", approvals: [{ approver, approved: true }] };
  return { ...content, attestation: signer.sign("audit-record", findingId, JSON.parse(canonicalJson(content))) };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "audit-log-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function writeRuns(count: number) {
  const log = localAuditLog({ dir, sign });
  const refs = [];
  for (let n = 1; n <= count; n += 1) {
    refs.push(await log.exportAuditRecord({ idempotencyKey: `inv-${n}/audit`, findingId: `cve-${n}`, record: auditRecord(`cve-${n}`) as never }));
  }
  return { log, refs };
}

const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n");
const head = () => AuditHeadSchema.parse(JSON.parse(readFileSync(join(dir, AUDIT_HEAD_FILE), "utf8")));
const check = (file: string, options: Parameters<typeof verifyChain>[2] = { head: head() }) => verifyChain(readFileSync(file, "utf8"), key, options);

describe("the embedded audit log", () => {
  it("chains and signs every entry, and a clean log verifies entry by entry", async () => {
    const { log, refs } = await writeRuns(4);
    const entries = lines(log.file).map((line) => JSON.parse(line) as { seq: number; previous: string | null; signature: string });
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    expect(entries[0]?.previous).toBeNull();
    expect(entries[1]?.previous).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(refs.map((ref) => ref.id.split(":")[0])).toEqual(["1", "2", "3", "4"]);
    expect(check(log.file)).toEqual({ verified: 4, problem: null });
    expect(check(log.file, { anchor: refs[2]!.id })).toEqual({ verified: 4, problem: null });
  });

  it("is readable by its owner only, also a log an older process left readable by all", async () => {
    const { log } = await writeRuns(1);
    const modeOf = (file: string) => statSync(file).mode & 0o777;
    expect([modeOf(log.file), modeOf(join(dir, AUDIT_HEAD_FILE))]).toEqual([0o600, 0o600]);
    chmodSync(log.file, 0o644);
    await localAuditLog({ dir, sign }).exportAuditRecord({ idempotencyKey: "inv-2/audit", findingId: "cve-2", record: auditRecord("cve-2") as never });
    expect(modeOf(log.file)).toBe(0o600);
  });

  it("appends nothing for a retried key, also after a restart, and returns the first entry's reference", async () => {
    const { log, refs } = await writeRuns(2);
    const again = await log.exportAuditRecord({ idempotencyKey: "inv-1/audit", findingId: "cve-1", record: auditRecord("cve-1") as never });
    const restarted = localAuditLog({ dir, sign });
    const afterRestart = await restarted.exportAuditRecord({ idempotencyKey: "inv-2/audit", findingId: "cve-2", record: auditRecord("cve-2") as never });
    expect([again, afterRestart]).toEqual(refs);
    expect(lines(log.file)).toHaveLength(2);
  });

  it("serialises concurrent exports into one unbroken chain", async () => {
    const log = localAuditLog({ dir, sign });
    await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        log.exportAuditRecord({ idempotencyKey: `inv-${n % 10}/audit`, findingId: `cve-${n % 10}`, record: auditRecord(`cve-${n % 10}`) as never }),
      ),
    );
    expect(check(log.file)).toEqual({ verified: 10, problem: null });
  });

  it("names a changed entry: line, finding and why", async () => {
    const { log } = await writeRuns(4);
    const text = lines(log.file);
    const third = JSON.parse(text[2]!) as { record: { approvals: { approver: string }[] } };
    third.record.approvals[0]!.approver = "mallory";
    writeFileSync(log.file, [...text.slice(0, 2), JSON.stringify(third), text[3]].join("\n") + "\n");
    expect(check(log.file)).toEqual({
      verified: 2,
      problem: { line: 3, findingId: "cve-3", problem: expect.stringContaining("signature does not match its content") },
    });
  });

  it("names a removed entry", async () => {
    const { log } = await writeRuns(4);
    const text = lines(log.file);
    writeFileSync(log.file, [text[0], text[1], text[3]].join("\n") + "\n");
    expect(check(log.file)).toEqual({
      verified: 2,
      problem: { line: 3, findingId: "cve-4", problem: "holds entry #4 where #3 belongs: entry #3 was removed, or entries were moved" },
    });
  });

  it("names two entries swapped", async () => {
    const { log } = await writeRuns(4);
    const text = lines(log.file);
    writeFileSync(log.file, [text[0], text[2], text[1], text[3]].join("\n") + "\n");
    expect(check(log.file).problem).toEqual({ line: 2, findingId: "cve-3", problem: expect.stringContaining("holds entry #3 where #2 belongs") });
  });

  it("names an entry renumbered to hide a removal: its hash link or its signature breaks", async () => {
    const { log } = await writeRuns(3);
    const text = lines(log.file);
    const third = JSON.parse(text[2]!) as { seq: number };
    third.seq = 2;
    writeFileSync(log.file, [text[0], JSON.stringify(third)].join("\n") + "\n");
    expect(check(log.file).problem).toEqual({ line: 2, findingId: "cve-3", problem: expect.stringContaining("previous-entry hash does not match entry #1") });
  });

  it("shows entries removed from the end through the head file, or through an anchor kept elsewhere", async () => {
    const { log } = await writeRuns(3);
    const olderHead = head();
    const fourth = await log.exportAuditRecord({ idempotencyKey: "inv-4/audit", findingId: "cve-4", record: auditRecord("cve-4") as never });
    writeFileSync(log.file, lines(log.file).slice(0, 3).join("\n") + "\n");
    expect(check(log.file).problem).toEqual({
      line: 4,
      findingId: null,
      problem: "the log ends at entry #3 but its head names entry #4: entries were removed from the end",
    });
    expect(check(log.file, { head: { ...head(), seq: 3 } }).problem?.problem).toBe("the head file's signature does not match (it names entry #3)");
    // Whoever can write the folder can put back an older head of its own: only an anchor kept elsewhere shows that.
    expect(check(log.file, { head: olderHead })).toEqual({ verified: 3, problem: null });
    expect(check(log.file, { head: olderHead, anchor: fourth.id }).problem?.problem).toBe(
      "the log ends at entry #3 but the anchor names entry #4: entries were removed from the end",
    );
  });

  it("drops a line a crash left unfinished, and the retried export writes it whole", async () => {
    const { log } = await writeRuns(2);
    appendFileSync(log.file, '{"seq":3,"at":"2026-');
    const restarted = localAuditLog({ dir, sign });
    await restarted.exportAuditRecord({ idempotencyKey: "inv-3/audit", findingId: "cve-3", record: auditRecord("cve-3") as never });
    expect(check(log.file)).toEqual({ verified: 3, problem: null });
  });

  it("refuses a log written without the services' key", async () => {
    const log = localAuditLog({ dir, sign: () => undefined });
    await log.exportAuditRecord({ idempotencyKey: "inv-1/audit", findingId: "cve-1", record: auditRecord("cve-1") as never });
    expect(check(log.file, {}).problem).toEqual({ line: 1, findingId: "cve-1", problem: expect.stringContaining("carries no signature") });
  });
});
