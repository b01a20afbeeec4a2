// The console's side of the run list's index (restate/console/run-index.ts): a page of runs read
// through the ingress from the list's own buckets, and the one-time backfill of runs started before
// the index existed (npm run index:backfill).
import "server-only";
import { z } from "zod";
import type { RunIndex } from "@/restate";
import { isListedStage, runIndexKey, type RunIndexEntry, type RunIndexPage, type RunIndexPosition } from "@/restate/contracts/run-index";
import { SERVICE_NAMES } from "@/restate/contracts/services";
import { StageSchema, FindingSchema } from "@/restate/contracts/schemas";
import type { Severity, Stage } from "@/restate/contracts/vocabulary";
import { signRunList } from "@/restate/identity/signed-claims";
import { pivotState, stateValue } from "@/lib/finding-summary";
import { adminQuery, lit, partitionKeyOfInvocation, runStateRows, sql } from "./admin-sql";
import { serverEnv, ServerConfigError } from "./env";
import { restateIngress } from "./restate-ingress";

function runList(stage?: Stage) {
  return restateIngress().objectClient<RunIndex>({ name: SERVICE_NAMES.runIndex }, runIndexKey(stage));
}

/** A page of the list of runs at `stage` (or of all runs) of `severity` (or any), newest first. */
export async function readRunIndex(filter: { stage?: Stage; severity?: Severity }, after: RunIndexPosition | undefined, limit: number): Promise<RunIndexPage> {
  return await runList(filter.stage).page({ ...(filter.severity ? { severity: filter.severity } : {}), ...(after ? { after } : {}), limit });
}

/** Where the engine keeps a listed run: its invocation, that invocation's partition, and the finding (the workflow's key). */
export interface ListedRunKey {
  id: string;
  partition_key: string;
  finding_id: string;
}

/**
 * The engine's keys of a page's runs, the partition read from each invocation id (no query); an entry
 * whose id is not an invocation id cannot be looked up and is left out.
 */
export function engineKeysOf(entries: readonly RunIndexEntry[]): ListedRunKey[] {
  return entries.flatMap((entry) => {
    const partitionKey = partitionKeyOfInvocation(entry.invocationId);
    return partitionKey ? [{ id: entry.invocationId, partition_key: partitionKey, finding_id: entry.findingId }] : [];
  });
}

interface BackfillRow {
  id: string;
  partition_key: string;
  finding_id: string;
  created_at: string;
}

/** Runs read per round of the backfill. */
const BACKFILL_BATCH = 2000;

/**
 * Puts every run the engine holds into the index: the list of all runs and its stage's list. Safe to
 * repeat (an entry already there is left as it is). One scan of the runs, newest first, in batches:
 * each batch is older than what the lists hold, so it fills buckets at their old end. A run refused
 * at the door (no stage) is listed by ?stage=refused and not indexed.
 */
export async function backfillRunIndex(): Promise<{ runs: number; indexed: number }> {
  const secret = serverEnv().APPROVAL_SIGNING_SECRET;
  if (!secret) throw new ServerConfigError("APPROVAL_SIGNING_SECRET is not set: the run lists take only runs the console signed.");
  let runs = 0;
  let indexed = 0;
  let after: { createdAt: string; id: string } | null = null;
  for (;;) {
    const keyset: ReturnType<typeof sql> = after
      ? sql`AND (created_at < ${lit.timestamp(after.createdAt)} OR (created_at = ${lit.timestamp(after.createdAt)} AND id < ${lit.invocationId(after.id)}))`
      : sql``;
    const batch = await adminQuery<BackfillRow>(sql`
      SELECT id, CAST(partition_key AS VARCHAR) AS partition_key, target_service_key AS finding_id, created_at
      FROM sys_invocation_status
      WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run' ${keyset}
      ORDER BY created_at DESC, id DESC
      LIMIT ${lit.integer(BACKFILL_BATCH)}`);
    if (batch.length === 0) break;
    runs += batch.length;
    const last = batch.at(-1)!;
    after = { createdAt: new Date(last.created_at).toISOString(), id: last.id };
    const values = pivotState(await runStateRows(batch, ["stage", "finding", "submittedAt"]));
    const lists = new Map<Stage | undefined, RunIndexEntry[]>();
    for (const run of batch) {
      const held = values.get(run.finding_id);
      const stage = stateValue(held?.get("stage"), StageSchema);
      if (!stage) continue;
      // A run that recorded when it was submitted is indexed under that time, as it indexes itself.
      const submittedAt = stateValue(held?.get("submittedAt"), z.string());
      const entry: RunIndexEntry = {
        at: new Date(submittedAt ?? run.created_at).toISOString(),
        invocationId: run.id,
        findingId: run.finding_id,
        severity: stateValue(held?.get("finding"), FindingSchema)?.severity ?? null,
      };
      for (const list of isListedStage(stage) ? [undefined, stage] : [undefined]) lists.set(list, [...(lists.get(list) ?? []), entry]);
      indexed++;
    }
    await Promise.all([...lists].map(([stage, entries]) => runList(stage).addAll(signRunList(secret, runIndexKey(stage), entries))));
  }
  return { runs, indexed };
}
