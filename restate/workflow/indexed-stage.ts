// A run's stage, set in its state and told to the console's run list (restate/console/run-index.ts)
// in the same step: one-way sends, journaled with the run, so a replay never sends twice and the
// run never waits on the index.
import type * as restate from "@restatedev/restate-sdk";
import type { RunRequest } from "../contracts/schemas";
import type { Stage } from "../contracts/vocabulary";
import { runIndex } from "../console/run-index";
import { isListedStage, runIndexKey, type RunIndexEntry } from "../contracts/run-index";
import type { RunState } from "./run-state";

export async function setStage(ctx: restate.WorkflowContext<RunState>, stage: Stage): Promise<void> {
  const previous = await ctx.get("stage");
  ctx.set("stage", stage);
  if (previous === stage) return;
  const finding = await ctx.get("finding");
  const submittedAt = await ctx.get("submittedAt");
  // A run started before the index existed is listed by the backfill (npm run index:backfill).
  if (!finding || !submittedAt) return;
  const entry: RunIndexEntry = { at: submittedAt, invocationId: ctx.request().id, findingId: ctx.key, severity: finding.severity };
  // Sends to one list arrive in the order they were made: a run leaves a stage's list before it enters it again.
  if (!previous) ctx.objectSendClient(runIndex, runIndexKey()).add(entry);
  else if (isListedStage(previous)) ctx.objectSendClient(runIndex, runIndexKey(previous)).remove(entry);
  if (isListedStage(stage)) ctx.objectSendClient(runIndex, runIndexKey(stage)).add(entry);
}

/**
 * When the run was submitted, as the list orders it: the console's signed submission time (checked by
 * the workflow before this), so runs submitted one after another list in that order whichever began
 * first; else (sent straight to the ingress) when the workflow began.
 */
export function submissionTime(request: RunRequest, startedAt: string): string {
  const issued = request.submission ? new Date(request.submission.issuedAt) : null;
  return issued && !Number.isNaN(issued.getTime()) ? issued.toISOString() : startedAt;
}
