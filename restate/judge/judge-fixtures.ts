// A finding and a plan that passes every check, for the judge's tests to vary.
import type { Finding, Plan } from "../contracts/schemas";
import { runJudgeChecks } from "./checks";

export const finding: Finding = { id: "cve-1", source: "snyk", severity: "low", description: "SQL injection", repo: "orders-api" };

export const plan = (overrides: Partial<Plan> = {}): Plan => ({
  agent: "fastExecutor",
  promptVersion: "p1",
  summary: "fix",
  steps: [{ repo: "orders-api", description: "Use parameterized queries" }],
  rollback: ["Revert the pull request"],
  confidence: 0.9,
  ticket: { title: "t", body: "b" },
  pullRequest: { title: "t", branch: "b", body: "b" },
  ...overrides,
});

/** The names of the checks `candidate` fails. */
export const failedChecks = (candidate: Plan) =>
  runJudgeChecks(finding, candidate)
    .filter((check) => !check.passed)
    .map((check) => check.name);
