// The judge: audits one candidate plan. The plain checks are pure; the judge model's review journals
// itself (one step per model call, or the stub's one step), so a replay rebuilds the same verdict.
import type * as restate from "@restatedev/restate-sdk";
import type { JudgeModel } from "../adapters/ports";
import type { Finding, Plan, Verdict } from "../contracts/schemas";
import { runJudgeChecks, verdictScore } from "./checks";

/** `step` names the review's journaled step(s): `judge plan of <agent>`. */
export async function auditPlan(ctx: restate.Context, step: string, model: JudgeModel, finding: Finding, plan: Plan): Promise<Verdict> {
  const plainChecks = runJudgeChecks(finding, plan);
  const { commentary, check, usage } = await model.review(ctx, { step, finding, plan, checks: plainChecks });
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
    judgedAt: new Date(await ctx.date.now()).toISOString(),
    ...(usage ? { usage } : {}),
  };
}
