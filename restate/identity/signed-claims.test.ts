import { describe, expect, it } from "vitest";
import { approvalPayload, signApproval, verifyClaim, CLAIM_MAX_AGE_MS } from "./signed-claims";

const SECRET = "s".repeat(64);
const NOW = Date.parse("2026-05-01T12:00:00.000Z");

function check(claim: ReturnType<typeof signApproval>, key = "cve-1", now = NOW, secret = SECRET) {
  return verifyClaim(secret, { payload: approvalPayload(claim), signature: claim.signature, findingId: claim.findingId, key, issuedAt: claim.issuedAt, now });
}

describe("signed approvals", () => {
  const fresh = () =>
    signApproval(
      SECRET,
      { findingId: "cve-1", gateId: "gate-1", approver: "ana", approverGroups: ["dev"], approved: true, comment: "ok" },
      new Date(NOW - 1_000),
    );

  it("verifies a fresh claim for this finding", () => {
    expect(check(fresh())).toBeNull();
  });

  it.each([
    ["another secret", () => check(fresh(), "cve-1", NOW, "t".repeat(64)), /does not match/],
    ["another approver", () => check({ ...fresh(), approver: "mallory" }), /does not match/],
    ["a group added", () => check({ ...fresh(), approverGroups: ["dev", "security"] }), /does not match/],
    ["a group swapped", () => check({ ...fresh(), approverGroups: ["security"] }), /does not match/],
    ["the groups left out", () => check({ ...fresh(), approverGroups: undefined }), /does not match/],
    ["another decision", () => check({ ...fresh(), approved: false }), /does not match/],
    ["another comment", () => check({ ...fresh(), comment: "ok!" }), /does not match/],
    ["another gate", () => check({ ...fresh(), gateId: "gate-2" }), /does not match/],
    ["a moved issue time", () => check({ ...fresh(), issuedAt: new Date(NOW).toISOString() }), /does not match/],
    ["another finding's key", () => check(fresh(), "cve-2"), /is for finding "cve-1", not "cve-2"/],
    ["an old claim", () => check(fresh(), "cve-1", NOW + CLAIM_MAX_AGE_MS), /expired/],
    ["a claim from the future", () => check(fresh(), "cve-1", NOW - 120_000), /future/],
    ["no signature", () => check({ ...fresh(), signature: "" }), /not signed/],
  ])("refuses %s", (_, verify, reason) => {
    expect(verify()).toMatch(reason);
  });

  it("signs the groups as a set: their order does not matter", () => {
    const claim = signApproval(
      SECRET,
      { findingId: "cve-1", gateId: "gate-1", approver: "ana", approverGroups: ["sre", "dev"], approved: true },
      new Date(NOW - 1_000),
    );
    expect(check({ ...claim, approverGroups: ["dev", "sre"] })).toBeNull();
  });

  it("gives every signature its own nonce", () => {
    expect(fresh().nonce).not.toBe(fresh().nonce);
  });
});
