// The list's summaries of runs that have ended, kept in each console process: once a run's invocation
// completed, its state and the engine's status no longer change, so a page of ended runs is answered
// without the engine's two lookups. Each process keeps its own (nothing here can differ between
// processes); bounded in size, and a summary is dropped after a while so a run the engine purged
// leaves the list.
import "server-only";
import type { FindingSummary } from "@/lib/api/contracts";

/** Summaries kept: a few pages of every list an operator opens. */
export const ENDED_RUNS_KEPT = 5_000;
/** How long a summary is reused; a purged run can show this long after the engine dropped it. */
export const ENDED_RUN_TTL_MS = 5 * 60_000;

interface Kept {
  summary: FindingSummary;
  until: number;
}

/** Invocation id → summary, oldest first (a Map keeps insertion order). */
const kept = new Map<string, Kept>();

/** The summary of the ended run with this invocation id and workflow key, when it is kept. */
export function endedRunSummary(invocationId: string, findingId: string, now = Date.now()): FindingSummary | undefined {
  const entry = kept.get(invocationId);
  if (!entry) return undefined;
  if (entry.until <= now || entry.summary.id !== findingId) {
    kept.delete(invocationId);
    return undefined;
  }
  return entry.summary;
}

/** Keeps the summary of a run whose invocation the engine reported completed. */
export function keepEndedRun(summary: FindingSummary, now = Date.now()): void {
  kept.delete(summary.invocationId);
  kept.set(summary.invocationId, { summary, until: now + ENDED_RUN_TTL_MS });
  while (kept.size > ENDED_RUNS_KEPT) {
    const oldest = kept.keys().next().value;
    if (oldest === undefined) break;
    kept.delete(oldest);
  }
}
