// The heavy judge model with a real provider: it reviews the finding, the plan, its diff and the plain
// checks, and answers with a verdict in JSON (validated by zod, one repair). Its verdict joins the
// checks; output that still does not parse is a failed check, so the plan is rejected with that reason.
// The first answer and the repair are each their own durable model turn (journaled step), so a crash
// between them does not ask the first question again.
import { z } from "zod";
import type { Finding, JudgeCheck, Plan } from "../contracts/schemas";
import { addUsage, NO_USAGE } from "../contracts/usage";
import { durableModelTurn, type ModelTurnRequest } from "../models/durable-model";
import { modelCallUsage } from "../models/prices";
import { PROMPTS } from "../models/prompts";
import type { RoleModel } from "../models/providers";
import { generateStructured } from "../models/structured";
import type { JudgeModel } from "./ports";

export const JudgeReviewSchema = z.object({
  verdict: z.enum(["approve", "reject"]),
  commentary: z.string().trim().min(1),
});

/** The most of a diff the judge reads; a longer change is cut, with a note saying so. */
const MAX_DIFF_CHARS = 60_000;

export const JUDGE_MODEL_CHECK = "judge-model-review";

function reviewRequest(finding: Finding, plan: Plan, checks: JudgeCheck[]): ModelTurnRequest {
  const diff = plan.change?.diff ?? "";
  const shownDiff = diff.length > MAX_DIFF_CHARS ? `${diff.slice(0, MAX_DIFF_CHARS)}\n[cut: ${diff.length - MAX_DIFF_CHARS} more characters]` : diff;
  const content = [
    `Finding ${finding.id} (${finding.severity}, reported by ${finding.source}) in ${finding.repo}:\n${finding.description}`,
    `Plan from ${plan.agent} (confidence ${plan.confidence}): ${plan.summary}`,
    `Steps:\n${plan.steps.map((step, i) => `${i + 1}. [${step.repo}] ${step.description}${step.command ? ` ($ ${step.command})` : ""}`).join("\n")}`,
    `Rollback:\n${plan.rollback.map((step) => `- ${step}`).join("\n") || "(none)"}`,
    plan.change ? `The change (files: ${plan.change.files.join(", ")}):\n${shownDiff}` : "The plan carries no code change.",
    `Plain checks:\n${checks.map((check) => `- ${check.name}: ${check.passed ? "passed" : "FAILED"}: ${check.reason}`).join("\n")}`,
  ].join("\n\n");
  return { system: PROMPTS.judge, messages: [{ role: "user", content }] };
}

/** The judge's model turns in the journal: `judge plan of <agent>: model turn 1`, then `… turn 2` for the repair. */
export const judgeStepName = (step: string, turn: number) => `${step}: model turn ${turn}`;

export function modelJudge(model: RoleModel): JudgeModel {
  return {
    model: model.label,
    async review(ctx, { step, finding, plan, checks }) {
      const review = await generateStructured({
        schema: JudgeReviewSchema,
        request: reviewRequest(finding, plan, checks),
        callTurn: (turn, request) => durableModelTurn(ctx, model, turn, request, { stepName: judgeStepName(step, turn) }),
      });
      const usage = review.turns.map((turn) => modelCallUsage(model.price, turn.usage)).reduce(addUsage, NO_USAGE);
      if (!review.ok) {
        const reason = `The judge's output did not parse: ${review.reason}.`;
        return { commentary: reason, check: { name: JUDGE_MODEL_CHECK, passed: false, reason }, usage };
      }
      const { verdict, commentary } = review.value;
      const check: JudgeCheck =
        verdict === "approve"
          ? { name: JUDGE_MODEL_CHECK, passed: true, reason: "The judge model approves the change." }
          : { name: JUDGE_MODEL_CHECK, passed: false, reason: `The judge model rejects the change: ${commentary}` };
      return { commentary, check, usage };
    },
  };
}
