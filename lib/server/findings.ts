// The console's reads and writes of remediation runs: submissions and sign-offs through the typed
// ingress client, lists and engine truth through a constant number of admin SQL queries.
import "server-only";
import { RateLimiterMemory } from "rate-limiter-flexible";
import type {
  ApprovalInboxItem,
  ApprovalInput,
  CancelInput,
  FindingDetail,
  FindingListQuery,
  FindingListResponse,
  FindingSummary,
  SubmitFindingResponse,
} from "@/lib/api/contracts";
import {
  assembleFindingRows,
  pivotState,
  SUMMARY_STATE_KEYS,
  toApprovalInboxItem,
  toFindingSummary,
  type ApprovalInboxRow,
  type InvocationStatusRow,
  type RunPageRow,
} from "@/lib/finding-summary";
import { toInvocationSummary, type InvocationRow } from "@/lib/invocation-summary";
import { LADDER_AGENTS, toLadderView } from "@/lib/ladder-view";
import { calledInvocationId, readableEntry } from "@/lib/timeline";
import { byTimeLeft } from "@/restate/contracts/gate-deadline";
import { INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";
import type { Approval, Cancellation, Finding, Status } from "@/restate/contracts/schemas";
import { adminQuery, joinSql, lit, runStateRows, sql, type SqlFragment } from "./admin-sql";
import { decodeCursor, encodeCursor } from "./cursor";
import { endedRunSummary, keepEndedRun } from "./ended-runs";
import { serverEnv, ServerConfigError } from "./env";
import { ApiRouteError, conflict } from "./errors";
import { checkIntegrity } from "./integrity";
import { signApproval, signCancel, signRefusal, signSubmission } from "@/restate/identity/signed-claims";
import { authenticate, type Operator } from "./auth/session";
import { remediationRun } from "./restate-ingress";
import { engineKeysOf, readRunIndex, type ListedRunKey } from "./run-index";
import { isListedStage } from "@/restate/contracts/run-index";

/** Columns that fill an InvocationRow (lib/invocation-summary.ts). */
export const INVOCATION_COLUMNS = sql`id, target, status, completion_result, completion_failure, pinned_deployment_id, created_at, completed_at, invoked_by_id, target_handler_name`;

/** The runs: invocations of RemediationWorkflow's `run` handler (not its status/approve calls). */
const IS_RUN = sql`inv.target_service_name = 'RemediationWorkflow' AND inv.target_handler_name = 'run'`;

function signingSecret(): string {
  const secret = serverEnv().APPROVAL_SIGNING_SECRET;
  if (!secret) throw new ServerConfigError("APPROVAL_SIGNING_SECRET is not set: the console cannot sign sign-offs (npm start generates one).");
  return secret;
}

const FINDING_FIELDS = ["source", "severity", "description", "repo"] as const;

/** Fields where the run that holds the id differs from what was submitted now. */
function differingFields(submitted: Finding, held: Record<string, unknown>): string[] {
  return FINDING_FIELDS.filter((field) => submitted[field] !== held[field]);
}

/** The request body inside a decoded Input journal entry (the first payload that is a JSON object). */
function submittedBody(entry: unknown): Record<string, unknown> | null {
  if (!entry || typeof entry !== "object") return null;
  for (const [key, value] of Object.entries(entry as Record<string, unknown>)) {
    if ((key === "parameter" || key === "payload" || key === "value") && value && typeof value === "object" && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
    const nested = submittedBody(value);
    if (nested) return nested;
  }
  return null;
}

/**
 * What the run holding this id was submitted with: its Input journal entry, which exists from the
 * moment the run does (a submission refused for bad input included), else the finding it recorded.
 * Reading only the recorded finding would miss a run that has not recorded it yet.
 */
async function heldSubmission(findingId: string, invocationId: string): Promise<Record<string, unknown> | null> {
  if (INVOCATION_ID_PATTERN.test(invocationId)) {
    const [input] = await adminQuery<{ entry_json: string }>(
      sql`SELECT entry_json FROM sys_journal WHERE id = ${lit.invocationId(invocationId)} AND index = 0`,
    );
    const body = input ? submittedBody(readableEntry(input.entry_json)) : null;
    if (body) return body;
  }
  return await Promise.resolve(remediationRun(findingId).status()).then(
    (status) => status.finding,
    () => null,
  );
}

/** What submitting a finding did: started its run, or found a run under its id (of this finding, or of another one). */
export interface RunStart {
  findingId: string;
  invocationId: string;
  started: boolean;
  /** Fields in which the finding that holds this id differs from the one submitted now; empty when they agree. */
  differing: string[];
}

/**
 * Starts the finding's run, signed as submitted by `submittedBy` (an operator, or an intake such as
 * `github-webhook`), so the workflow can hold them to "the submitter cannot approve". Submitting is
 * idempotent on the workflow key: the same finding again attaches to its run.
 */
export async function startRun(finding: Finding, submittedBy: string): Promise<RunStart> {
  const submission = await remediationRun(finding.id).workflowSubmit({
    ...finding,
    submission: signSubmission(signingSecret(), { findingId: finding.id, submittedBy }),
  });
  const started = submission.status === "Accepted";
  // Another finding may hold this id (sent earlier, perhaps by someone squatting on it): say so.
  const held = started ? null : await heldSubmission(finding.id, submission.invocationId);
  return { findingId: finding.id, invocationId: submission.invocationId, started, differing: held ? differingFields(finding, held) : [] };
}

export async function submitFinding(finding: Finding, operator: Operator): Promise<{ status: number; json: SubmitFindingResponse }> {
  const run = await startRun(finding, operator.username);
  // Never attach a different finding to a run silently.
  if (run.differing.length > 0) {
    throw conflict(
      `Finding id "${finding.id}" is already held by a run of a different finding (${run.differing.join(", ")} differ${run.differing.length === 1 ? "s" : ""}); nothing was submitted. Check that run, or submit under a new id.`,
    );
  }
  return {
    status: run.started ? 202 : 200,
    json: { findingId: finding.id, invocationId: run.invocationId, submission: run.started ? "started" : "existing" },
  };
}

const BAD_CURSOR = () =>
  new ApiRouteError("invalid_input", "Invalid query: cursor: not a cursor from this list; start again from the first page.", {
    cursor: "not a cursor from this list; start again from the first page",
  });

/**
 * Newest runs first, from the run index (restate/console/run-index.ts): the page's entries from the
 * index buckets of the list asked for (all runs or one stage, any severity or one), then the runs'
 * summaries (summarizeRuns: ended runs from this process's copy, the others looked up by key). No
 * query scans the runs, so a page costs the same however long the history; refused submissions and
 * the passing stages are read by a scan.
 */
export async function listFindings(query: FindingListQuery): Promise<FindingListResponse> {
  if (query.stage === "refused" || (query.stage && !isListedStage(query.stage))) return await listFromEngineRuns(query);
  const cursor = query.cursor ? decodeCursor(query.cursor) : undefined;
  if (cursor === null || (cursor && cursor.bucket === undefined)) throw BAD_CURSOR();
  const filter = { ...(query.stage ? { stage: query.stage } : {}), ...(query.severity ? { severity: query.severity } : {}) };
  const after = cursor?.bucket ? { bucket: cursor.bucket, at: cursor.createdAt, invocationId: cursor.id } : undefined;
  const [indexPage, waiting] = await Promise.all([readRunIndex(filter, after, query.limit), countWaitingForSignoff()]);
  // The index follows the run a moment behind: a run that has just left the stage asked for is not shown in it.
  const items = (await summarizeRuns(engineKeysOf(indexPage.entries))).filter(
    (item) => (!query.stage || item.stage === query.stage) && (!query.severity || item.severity === query.severity),
  );
  const next = indexPage.next;
  return {
    items,
    nextCursor: next ? encodeCursor({ createdAt: next.at, id: next.invocationId, bucket: next.bucket }) : null,
    waitingForSignoff: waiting,
  };
}

/**
 * The list from a scan of the engine's runs, keyset-paged on (created_at, id), for what the run index
 * does not hold: submissions the workflow refused at its door (isRefusedSubmission: the run failed
 * and the workflow never set a stage) and runs at a stage they pass through within seconds
 * (PASSING_STAGES). Filters read the run's state in one scan of `state`, keeping the runs that match
 * every condition (each condition matches at most one row per run: one state key).
 */
async function listFromEngineRuns(query: FindingListQuery): Promise<FindingListResponse> {
  // Filters read the run's state: one scan of `state` for all of them, keeping the runs that match
  // every condition (each condition matches at most one row per run: one state key).
  const conditions: SqlFragment[] = [];
  const refused = query.stage === "refused";
  if (query.stage && query.stage !== "refused") conditions.push(sql`(key = 'stage' AND value_utf8 = ${lit.stageJson(query.stage)})`);
  if (query.severity) {
    conditions.push(sql`(key = 'finding' AND json_get_str(value_utf8, 'severity') = ${lit.severity(query.severity)})`);
  }
  const joins: SqlFragment[] = [];
  if (conditions.length > 0) {
    joins.push(sql`
      JOIN (
        SELECT partition_key, service_key FROM state
        WHERE service_name = 'RemediationWorkflow' AND (${joinSql(conditions, " OR ")})
        GROUP BY partition_key, service_key
        HAVING count(*) = ${lit.integer(conditions.length)}
      ) AS matching ON matching.partition_key = inv.partition_key AND matching.service_key = inv.target_service_key`);
  }
  const filters: SqlFragment[] = [];
  if (refused) {
    // Refused at the door (isRefusedSubmission): the run failed and the workflow never set a stage.
    joins.push(sql`
      LEFT JOIN (
        SELECT partition_key, service_key FROM state WHERE service_name = 'RemediationWorkflow' AND key = 'stage'
      ) AS staged ON staged.partition_key = inv.partition_key AND staged.service_key = inv.target_service_key`);
    filters.push(sql`AND inv.completion_result = 'failure' AND staged.service_key IS NULL`);
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor || cursor.bucket !== undefined) throw BAD_CURSOR();
    const at = lit.timestamp(cursor.createdAt);
    filters.push(sql`AND (inv.created_at < ${at} OR (inv.created_at = ${at} AND inv.id < ${lit.invocationId(cursor.id)}))`);
  }

  // sys_invocation_status rather than the sys_invocation view: it carries the partition key.
  const pageQuery = sql`
    SELECT inv.id, CAST(inv.partition_key AS VARCHAR) AS partition_key, inv.target_service_key AS finding_id,
      inv.created_at, inv.completed_at
    FROM sys_invocation_status AS inv ${joinSql(joins)}
    WHERE ${IS_RUN} ${joinSql(filters)}
    ORDER BY inv.created_at DESC, inv.id DESC
    LIMIT ${lit.integer(query.limit + 1)}`;
  const [pageRows, waiting] = await Promise.all([adminQuery<RunPageRow>(pageQuery), countWaitingForSignoff()]);
  const page = pageRows.slice(0, query.limit);

  const items = await summarizeRuns(page);
  // This scan pages on the engine's creation time (a summary shows the submission time).
  const last = pageRows.length > query.limit ? page.at(-1) : undefined;
  return {
    items,
    nextCursor: last ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null,
    waitingForSignoff: waiting,
  };
}

/**
 * The list's view of these runs, in the same order: an ended run's summary from this process's copy
 * (ended-runs.ts), the others' from two engine queries side by side, their state and their
 * invocations, each looked up by key. A run the engine no longer holds (past its retention), or whose
 * invocation belongs to another workflow key, is left out. The change feed summarizes with it too.
 */
export async function summarizeRuns(runs: readonly ListedRunKey[]): Promise<FindingSummary[]> {
  const known = new Map<string, FindingSummary>();
  for (const run of runs) {
    const summary = endedRunSummary(run.id, run.finding_id);
    if (summary) known.set(run.id, summary);
  }
  const missing = runs.filter((run) => !known.has(run.id));
  if (missing.length > 0) {
    const [state, statuses] = await Promise.all([
      runStateRows(missing, SUMMARY_STATE_KEYS),
      // The view computes the status operators know (running, backing-off...) from the in-flight state.
      adminQuery<InvocationStatusRow & { finding_id: string; created_at: string; completed_at: string | null }>(sql`
        SELECT id, target_service_key AS finding_id, created_at, completed_at, status, completion_result, completion_failure
        FROM sys_invocation WHERE id IN (${lit.list(missing.map((run) => lit.invocationId(run.id)))})`),
    ]);
    const engine = new Map(statuses.map((row) => [row.id, row]));
    const held = missing.flatMap((run) => {
      const row = engine.get(run.id);
      return row && row.finding_id === run.finding_id ? [{ ...run, created_at: row.created_at, completed_at: row.completed_at }] : [];
    });
    assembleFindingRows(held, state, statuses).forEach((row, i) => {
      const summary = toFindingSummary(row);
      known.set(held[i]!.id, summary);
      if (row.invocation_status === "completed") keepEndedRun(summary);
    });
  }
  return runs.flatMap((run) => known.get(run.id) ?? []);
}

/**
 * Runs parked on an approval promise (the first, or a critical finding's second). sys_promise holds
 * only promises of gated runs, so this is a small table, unlike a scan of every run's stage in `state`.
 */
export async function countWaitingForSignoff(): Promise<number> {
  const rows = await adminQuery<{ waiting: number }>(
    sql`SELECT count(DISTINCT service_key) AS waiting FROM sys_promise WHERE service_name = 'RemediationWorkflow' AND (key = 'approval' OR key LIKE 'approval-%') AND completed = false`,
  );
  return Number(rows[0]?.waiting ?? 0);
}

/** The run's status (from the workflow), its ladder and the engine's view of its invocations. */
export async function getFindingDetail(findingId: string, operator: Operator): Promise<FindingDetail> {
  const status = await remediationRun(findingId).status();
  const invocations = await runInvocations(findingId, status);
  const run = invocations.find((row) => row.target_handler_name === "run" && row.target === `RemediationWorkflow/${findingId}/run`);
  const children = invocations.filter((row) => row !== run && (!run || row.invoked_by_id === run.id));
  // Restate's own UI can rewrite and cancel anything: only admins are shown the way in.
  const uiBase = operator.roles.includes("admin") ? serverEnv().restateUiBase : null;
  return {
    status,
    ladder: toLadderView(LADDER_AGENTS, status, children),
    workflowInvocation: run ? toInvocationSummary(run) : null,
    restateUiUrl: run && uiBase ? `${uiBase}/ui/invocations/${encodeURIComponent(run.id)}` : null,
    integrity: checkIntegrity(status),
  };
}

/**
 * The run's invocation and those it started, each looked up by invocation id (the engine answers an id
 * from one partition; a filter on the finding id or the parent would scan every run ever made): the
 * run's id is in its identity record, the decided rungs' in its attempts, and a rung still deciding
 * only in the run's journal.
 */
async function runInvocations(findingId: string, status: Status): Promise<InvocationRow[]> {
  const runId = status.identity?.invocationId;
  if (!runId || !INVOCATION_ID_PATTERN.test(runId)) {
    // The first moments of a run, before it recorded its identity: find it the long way.
    return adminQuery<InvocationRow>(sql`
      SELECT ${INVOCATION_COLUMNS} FROM sys_invocation AS inv
      WHERE (${IS_RUN} AND inv.target_service_key = ${lit.findingId(findingId)})
         OR inv.invoked_by_target = ${lit.runTarget(findingId)}`);
  }
  const ids = new Set([runId, ...status.attempts.map((attempt) => attempt.subAgentInvocationId)]);
  if (status.stage === "planning" || status.stage === "judging") {
    const calls = await adminQuery<{ entry_lite_json: string }>(
      sql`SELECT entry_lite_json FROM sys_journal WHERE id = ${lit.invocationId(runId)} AND entry_type = 'Command: Call'`,
    );
    for (const call of calls) {
      const called = calledInvocationId(call.entry_lite_json);
      if (called) ids.add(called);
    }
  }
  const known = [...ids].filter((id) => INVOCATION_ID_PATTERN.test(id));
  return adminQuery<InvocationRow>(sql`SELECT ${INVOCATION_COLUMNS} FROM sys_invocation WHERE id IN (${lit.list(known.map((id) => lit.invocationId(id)))})`);
}

/** Anonymous refusals recorded per finding: 5 a minute per console process, with the library sign-in throttling uses. */
const anonymousRefusals = new RateLimiterMemory({ keyPrefix: "anonymous_refusal", points: 5, duration: 60 });

/**
 * Puts a sign-off the console refused (no identity, wrong role) on the run's record, signed by the
 * console (putRefusalOnRecord).
 */
export async function recordRefusedSignoff(findingId: string, request: Request, reason: string): Promise<void> {
  const operator = await authenticate(request).catch(() => null);
  const body: unknown = await request.json().catch(() => null);
  const approved = typeof body === "object" && body !== null && (body as { approved?: unknown }).approved === true;
  await putRefusalOnRecord(findingId, { approver: operator?.username ?? null, approved, reason });
}

/**
 * A refused sign-off on the run's record, signed by the console: with an `approver` someone vouched
 * for (a signed-in operator, a Slack user Slack signed for) it goes on the trail; without one it is
 * only counted apart (and, past a few a minute, only logged), so anonymous requests can never push
 * real entries out. `unidentifiedAs` names the anonymous sender on that count.
 */
export async function putRefusalOnRecord(
  findingId: string,
  attempt: { approver: string | null; approved: boolean; reason: string; unidentifiedAs?: string },
): Promise<void> {
  if (
    !attempt.approver &&
    !(await anonymousRefusals.consume(findingId).then(
      () => true,
      () => false,
    ))
  )
    return;
  const refusal = signRefusal(signingSecret(), {
    findingId,
    approver: attempt.approver ?? attempt.unidentifiedAs ?? "(not signed in)",
    identified: !!attempt.approver,
    approved: attempt.approved,
    reason: attempt.reason,
  });
  await remediationRun(findingId).recordRefusedSignoff(refusal);
}

/**
 * The approver is the authenticated operator, never a field of the request; the claim is bound to
 * the gate the run waits at now (or `forGate`), so it cannot decide a later one. The workflow checks it all.
 */
export async function decideApproval(findingId: string, input: ApprovalInput, operator: Operator, forGate?: string): Promise<Approval> {
  const comment = input.comment?.trim() ? input.comment : undefined;
  // A decision made on a message (Slack's buttons) is for the gate that message was posted for.
  const gateId = forGate ?? (await remediationRun(findingId).status()).gateId;
  const signed = signApproval(signingSecret(), {
    findingId,
    gateId: gateId ?? "",
    approver: operator.username,
    approverGroups: operator.groups,
    approved: input.approved,
    ...(comment ? { comment } : {}),
  });
  return await remediationRun(findingId).approve(signed);
}

/** Cancels the run as the signed-in operator, with their reason; the workflow checks the signature and that the run has not ended. */
export async function cancelRun(findingId: string, input: CancelInput, operator: Operator): Promise<Cancellation> {
  return await remediationRun(findingId).cancel(signCancel(signingSecret(), { findingId, by: operator.username, reason: input.reason }));
}

/** The inbox is a work queue, not an archive: past this many runs, the most urgent are shown. */
const INBOX_LIMIT = 500;

/**
 * Every run waiting at the policy gate, by time left (byTimeLeft: the earliest deadline first, then the
 * gates without one, oldest first), with the gate's reasons and deadline. Two queries: the pending
 * approval promises name the waiting runs (sys_promise holds only promises of gated runs, unlike a scan
 * of every run's state), then their stage, wait, finding, sign-off and deadline are looked up by key.
 */
export async function listApprovalInbox(): Promise<ApprovalInboxItem[]> {
  const pending = await adminQuery<{ partition_key: string; finding_id: string }>(sql`
    SELECT DISTINCT CAST(partition_key AS VARCHAR) AS partition_key, service_key AS finding_id FROM sys_promise
    WHERE service_name = 'RemediationWorkflow' AND (key = 'approval' OR key LIKE 'approval-%') AND completed = false`);
  if (pending.length === 0) return [];
  const details = pivotState(await runStateRows(pending, ["stage", "awaitingApprovalSince", "finding", "signoff", "deadline"]));
  const waiting = pending
    .map((run) => ({ run, values: details.get(run.finding_id) }))
    .filter(({ values }) => values?.get("stage") === JSON.stringify("awaiting-approval"))
    .map(({ run, values }): ApprovalInboxRow => ({
      finding_id: run.finding_id,
      awaiting_since: values?.get("awaitingApprovalSince") ?? null,
      finding: values?.get("finding") ?? null,
      signoff: values?.get("signoff") ?? null,
      deadline: values?.get("deadline") ?? null,
    }))
    .flatMap((row) => toApprovalInboxItem(row) ?? []);
  return waiting.sort((a, b) => byTimeLeft(a, b) || a.findingId.localeCompare(b.findingId)).slice(0, INBOX_LIMIT);
}
