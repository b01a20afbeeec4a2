// A deterministic stand-in for the heavy judge model: it comments on the plain checks' results.
import { callAdapter, MODEL_RETRY } from "../call-adapter";
import type { JudgeModel } from "../ports";
import type { Latency } from "./latency";
import type { Ledger } from "./ledger";

export function judgeModelStub(ledger: Ledger, wait: Latency): JudgeModel {
  const review = async ({ finding, plan, checks }: Parameters<JudgeModel["review"]>[1]) => {
    await wait(800);
    ledger.note("llm", "judge-review", finding.id, `${finding.id}/${plan.agent}`, { agent: plan.agent });
    const failed = checks.filter((check) => !check.passed);
    return {
      commentary: failed.length
        ? `Blocking: ${failed.map((check) => check.reason).join(" ")}`
        : `The plan from ${plan.agent} stays in ${finding.repo}, is reversible and does nothing destructive.`,
    };
  };
  return {
    model: "judge-heavy-stub-1",
    // One step per review, named as the console's journal view shows it.
    review: (ctx, input) => callAdapter(ctx, input.step, () => review(input), { retry: MODEL_RETRY }),
  };
}
