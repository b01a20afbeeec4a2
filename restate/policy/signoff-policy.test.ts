import { describe, expect, it } from "vitest";
import type { Finding, Verdict } from "../contracts/schemas";
import { requiresHumanSignoff, signoffRefusal } from "./signoff-policy";

const finding = (overrides: Partial<Finding>): Finding => ({
  id: "f-1",
  source: "snyk",
  severity: "low",
  description: "outdated lodash",
  repo: "web-storefront",
  ...overrides,
});
const verdict = (score: number): Verdict => ({
  agent: "fastExecutor",
  approved: true,
  score,
  reason: "All checks passed.",
  checks: [],
  judgeModel: "m",
  commentary: "",
  judgedAt: "2026-01-01T00:00:00.000Z",
});

describe("requiresHumanSignoff", () => {
  it("lets a low-severity, high-score plan on a non-production repo run on its own", () => {
    expect(requiresHumanSignoff(finding({}), verdict(0.9))).toEqual({ required: false, reasons: [], approvalsRequired: 0 });
  });

  it.each([
    [{ severity: "high" as const }, 0.9, /Severity is high/],
    [{ severity: "critical" as const }, 0.9, /Severity is critical/],
    [{ repo: "prod-db" }, 0.9, /prod-db is a production repository/],
    [{ repo: "payments-production" }, 0.9, /production repository/],
    [{ repo: "team/live" }, 0.9, /production repository/],
    [{}, 0.6, /Judge score 0.6 is below the auto-clear threshold 0.75/],
  ])("requires a human for %o with score %s and says why", (overrides, score, reason) => {
    const decision = requiresHumanSignoff(finding(overrides), verdict(score));
    expect(decision.required).toBe(true);
    expect(decision.reasons.join(" ")).toMatch(reason);
  });

  it.each([["product-catalog"], ["reproduce-tool"], ["deliverables"]])("does not mistake %s for production", (repo) => {
    expect(requiresHumanSignoff(finding({ repo }), verdict(0.9)).required).toBe(false);
  });

  it("lists every reason that applies", () => {
    expect(requiresHumanSignoff(finding({ severity: "critical", repo: "prod-db" }), verdict(0.5)).reasons).toHaveLength(4);
  });
});

describe("approvals required", () => {
  it.each([
    ["critical", 2],
    ["high", 1],
  ] as const)("a %s finding needs %s approver(s)", (severity, count) => {
    expect(requiresHumanSignoff(finding({ severity }), verdict(0.9)).approvalsRequired).toBe(count);
  });
});

describe("signoffRefusal", () => {
  const earlier = [{ approved: true, approver: "ana", decidedAt: "2026-01-01T00:00:00.000Z" }];
  it.each([
    ["the submitter approving", { approver: "sam", approved: true, submittedBy: "sam", earlier: [] }, /sam submitted this finding and cannot approve it/],
    ["the same approver twice", { approver: "ana", approved: true, submittedBy: "sam", earlier }, /different approver/],
    ["a rejection without a comment", { approver: "ana", approved: false, comment: "  ", submittedBy: "sam", earlier: [] }, /rejection needs a comment/],
  ])("refuses %s", (_, attempt, reason) => {
    expect(signoffRefusal(attempt)).toMatch(reason);
  });
  it.each([
    ["another operator approving", { approver: "ana", approved: true, submittedBy: "sam", earlier: [] }],
    ["a second, different approver", { approver: "bo", approved: true, submittedBy: "sam", earlier }],
    ["a rejection with a comment", { approver: "ana", approved: false, comment: "no", submittedBy: "sam", earlier: [] }],
  ])("lets %s count", (_, attempt) => {
    expect(signoffRefusal(attempt)).toBeNull();
  });
});
