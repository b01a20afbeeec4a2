// A run's stage, set in its state and told to the console's run lists (restate/console/run-index.ts)
// in the same step: one-way sends to each list's feed for this run (restate/console/run-index-feed.ts),
// journaled with the run, so a replay never sends twice and the run never waits on the index.
import type * as restate from "@restatedev/restate-sdk";
import type { RunRequest } from "../contracts/schemas";
import type { Stage } from "../contracts/vocabulary";
import { runIndexFeed } from "../console/run-index-feed";
import { isListedStage, runIndexFeedKey, runIndexKey, type RunIndexEntry, type RunIndexWrite } from "../contracts/run-index";
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
  // A run's writes to one list go through one feed and arrive in the order made: it leaves a stage's list before it enters it again.
  const write = (list: string, op: RunIndexWrite["op"]) => ctx.objectSendClient(runIndexFeed, runIndexFeedKey(list, ctx.key)).write({ op, entry });
  if (!previous) write(runIndexKey(), "add");
  else if (isListedStage(previous)) write(runIndexKey(previous), "remove");
  if (isListedStage(stage)) write(runIndexKey(stage), "add");
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
