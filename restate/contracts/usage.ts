// Adding up model usage: a rung's calls into the rung, a run's rungs and verdicts into the run.
import type { Attempt, Usage, Verdict } from "./schemas";

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, modelCalls: 0, costUsd: 0 };

/** The sum of two usages; the cost is unknown (null) once any part of it is. */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    modelCalls: a.modelCalls + b.modelCalls,
    costUsd: a.costUsd === null || b.costUsd === null ? null : a.costUsd + b.costUsd,
  };
}

/** What a run's model calls took, over every rung and every verdict; null when no model was called. */
export function runUsage(attempts: readonly Pick<Attempt, "usage">[], verdicts: readonly Pick<Verdict, "usage">[]): Usage | null {
  const parts = [...attempts, ...verdicts].flatMap((part) => (part.usage ? [part.usage] : []));
  return parts.length ? parts.reduce(addUsage, NO_USAGE) : null;
}
