// A deterministic stand-in for the heavy judge model: it comments on the plain checks' results.
import type { JudgeModel } from "../ports";
import type { Latency } from "./latency";
import type { Ledger } from "./ledger";

export function judgeModelStub(ledger: Ledger, wait: Latency): JudgeModel {
  return {
    model: "judge-heavy-stub-1",
    async review({ finding, plan, checks }) {
      await wait(800);
      ledger.note("llm", "judge-review", finding.id, `${finding.id}/${plan.agent}`, { agent: plan.agent });
      const failed = checks.filter((check) => !check.passed);
      return {
        commentary: failed.length
          ? `Blocking: ${failed.map((check) => check.reason).join(" ")}`
          : `The plan from ${plan.agent} stays in ${finding.repo}, is reversible and does nothing destructive.`,
      };
    },
  };
}
