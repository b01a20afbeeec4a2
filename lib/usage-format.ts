// Tokens and cost of model calls in the words the console shows them. Pure.
import type { Usage } from "@/restate/contracts/schemas";

/** 950, 5.7k, 12k, 1.2M. */
export function formatTokens(tokens: number): string {
  if (tokens < 1_000) return String(tokens);
  if (tokens < 1_000_000) return `${(tokens / 1_000).toFixed(tokens < 10_000 ? 1 : 0)}k`;
  return `${(tokens / 1_000_000).toFixed(1)}M`;
}

/** US dollars, or "no price" when the price table did not name a model used (never a guess). */
export function formatCost(costUsd: number | null): string {
  if (costUsd === null) return "no price";
  if (costUsd === 0) return "$0";
  if (costUsd < 0.0001) return "< $0.0001";
  return `$${costUsd.toFixed(costUsd < 1 ? 4 : 2)}`;
}

/** "5.7k tokens in · 650 out · 4 model calls · $0.0166". */
export function usageLine(usage: Usage): string {
  const calls = `${usage.modelCalls} model call${usage.modelCalls === 1 ? "" : "s"}`;
  return `${formatTokens(usage.inputTokens)} tokens in · ${formatTokens(usage.outputTokens)} out · ${calls} · ${formatCost(usage.costUsd)}`;
}
