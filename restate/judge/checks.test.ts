import { describe, expect, it } from "vitest";
import { runJudgeChecks, verdictScore } from "./checks";
import { failedChecks, finding, plan } from "./judge-fixtures";

const failed = failedChecks;

describe("judge checks", () => {
  it("passes a scoped, reversible, confident plan", () => {
    expect(failed(plan())).toEqual([]);
    expect(verdictScore(runJudgeChecks(finding, plan()), plan())).toBe(0.9);
  });

  it.each([
    ["DROP TABLE sessions;"],
    ["TRUNCATE audit_log"],
    ["DELETE FROM users;"],
    ["rm -rf /var/lib/app"],
    ["git push --force origin main"],
    ["terraform destroy -auto-approve"],
    ["kubectl delete namespace payments"],
    ["chmod -R 777 /srv"],
  ])("flags %s as destructive", (command) => {
    const checks = runJudgeChecks(finding, plan({ steps: [{ repo: "orders-api", description: "cleanup", command }] }));
    expect(checks[0]).toMatchObject({ name: "no-destructive-operations", passed: false, reason: "Plan contains destructive operations." });
    expect(checks[0]?.evidence).toContain(command);
  });

  it.each([["DELETE FROM sessions WHERE expires_at < now()"], ["add an index on sessions(user_id)"], ["drop the unused feature flag"]])(
    "does not flag %s",
    (description) => {
      expect(failed(plan({ steps: [{ repo: "orders-api", description, command: description }] }))).toEqual([]);
    },
  );

  it("flags changes to repositories outside the finding and names them", () => {
    const checks = runJudgeChecks(finding, plan({ steps: [{ repo: "platform/shared", description: "patch upstream" }] }));
    expect(checks.find((check) => check.name === "stays-in-scope")).toMatchObject({ passed: false, evidence: "platform/shared" });
  });

  it.each([
    ["no steps", plan({ steps: [] }), "proposes-a-change"],
    ["no rollback", plan({ rollback: [] }), "has-rollback"],
    ["low confidence", plan({ confidence: 0.3 }), "confident-enough"],
  ])("flags a plan with %s", (_case, candidate, check) => {
    expect(failed(candidate)).toContain(check);
  });
});
