// The judge: audits one candidate plan. Called inside ctx.run, so its verdict is journaled once.
import type { JudgeModel } from "../adapters/ports";
import type { Finding, Plan, Verdict } from "../contracts/schemas";
import { runJudgeChecks, verdictScore } from "./checks";

export async function auditPlan(model: JudgeModel, finding: Finding, plan: Plan): Promise<Verdict> {
  const plainChecks = runJudgeChecks(finding, plan);
  const { commentary, check, usage } = await model.review({ finding, plan, checks: plainChecks });
  // The model's verdict counts as one more check, after the plain ones.
  const checks = check ? [...plainChecks, check] : plainChecks;
  const firstFailure = checks.find((check) => !check.passed);
  return {
    agent: plan.agent,
    approved: !firstFailure,
    score: verdictScore(checks, plan),
    reason: firstFailure ? firstFailure.reason : "All checks passed.",
    checks,
    judgeModel: model.model,
    commentary,
    judgedAt: new Date().toISOString(),
    ...(usage ? { usage } : {}),
  };
}
