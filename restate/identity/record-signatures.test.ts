import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson, parseRecordVerifyKey, RecordSigner, verifyRecord } from "./record-signatures";

const pem = generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString();
const signer = RecordSigner.fromPem(pem);
const publicKey = parseRecordVerifyKey(signer.publicKey());
const approval = { approved: true, approver: "ana", comment: "ok", decidedAt: "2026-11-28T12:00:00.000Z", gateId: "g-1", n: 1 };

describe("records the services sign", () => {
  it("verifies with the public key, whatever the key order of the JSON it travelled in", () => {
    const signature = signer.sign("approval", "cve-1", approval);
    const reordered = JSON.parse(JSON.stringify({ n: 1, gateId: "g-1", decidedAt: approval.decidedAt, comment: "ok", approver: "ana", approved: true }));
    expect(verifyRecord(publicKey, "approval", "cve-1", reordered, signature)).toBe(true);
  });

  it.each([
    ["another approver", { ...approval, approver: "mallory" }, "cve-1", "approval"],
    ["another decision", { ...approval, approved: false }, "cve-1", "approval"],
    ["another finding", approval, "cve-2", "approval"],
    ["another kind of record", approval, "cve-1", "submitter"],
  ] as const)("refuses a record with %s", (_, record, findingId, kind) => {
    const signature = signer.sign("approval", "cve-1", approval);
    expect(verifyRecord(publicKey, kind, findingId, record, signature)).toBe(false);
  });

  it("refuses a signature made with another key, and none at all", () => {
    const other = RecordSigner.fromPem(generateKeyPairSync("ed25519").privateKey.export({ format: "pem", type: "pkcs8" }).toString());
    expect(verifyRecord(publicKey, "approval", "cve-1", approval, other.sign("approval", "cve-1", approval))).toBe(false);
    expect(verifyRecord(publicKey, "approval", "cve-1", approval, undefined)).toBe(false);
    expect(verifyRecord(publicKey, "approval", "cve-1", approval, "not base64!")).toBe(false);
  });

  it.each([
    ["no prefix", "abc"],
    ["a short key", "ed25519:abc"],
    ["an RSA-looking key", "ed25519:" + "A".repeat(60)],
  ])("refuses a verify key with %s", (_, text) => {
    expect(() => parseRecordVerifyKey(text)).toThrow(/must/);
  });

  it("writes one canonical text for equal records", () => {
    expect(canonicalJson({ b: [1, { d: 2, c: 3 }], a: "x", skip: undefined })).toBe('{"a":"x","b":[1,{"c":3,"d":2}]}');
  });
});
