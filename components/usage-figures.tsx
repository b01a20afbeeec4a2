// Tokens and cost of model calls (a rung's, a run's), in one short line; the exact numbers in its title.
import { usageLine } from "@/lib/usage-format";
import type { Usage } from "@/restate/contracts/schemas";

export function UsageFigures({ usage, className, ...props }: { usage: Usage; className?: string; "data-testid"?: string }) {
  const exact = `${usage.inputTokens} input tokens, ${usage.outputTokens} output tokens, ${usage.modelCalls} model calls, ${
    usage.costUsd === null ? "no price for a model used" : `US$${usage.costUsd}`
  }`;
  return (
    <span className={className} title={exact} data-cost={usage.costUsd === null ? "none" : usage.costUsd} {...props}>
      {usageLine(usage)}
    </span>
  );
}
