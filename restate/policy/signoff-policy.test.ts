import { describe, expect, it } from "vitest";
import type { Finding, Verdict } from "../schemas";
import { requiresHumanSignoff } from "./signoff-policy";

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
    expect(requiresHumanSignoff(finding({}), verdict(0.9))).toEqual({ required: false, reasons: [] });
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
    expect(requiresHumanSignoff(finding({ severity: "critical", repo: "prod-db" }), verdict(0.5)).reasons).toHaveLength(3);
  });
});
