// The console's reads and writes of remediation runs: submissions and sign-offs through the typed
// ingress client, lists and engine truth through a constant number of admin SQL queries.
import "server-only";
import type {
  ApprovalInboxItem,
  ApprovalInput,
  FindingDetail,
  FindingListQuery,
  FindingListResponse,
  SubmitFindingResponse,
} from "@/lib/api/contracts";
import { toApprovalInboxItem, toFindingSummary, type ApprovalInboxRow, type FindingListRow } from "@/lib/finding-summary";
import { toInvocationSummary, type InvocationRow } from "@/lib/invocation-summary";
import { LADDER_AGENTS, toLadderView } from "@/lib/ladder-view";
import type { Approval, Finding } from "@/restate/schemas";
import { adminQuery, joinSql, lit, sql, type SqlFragment } from "./admin-sql";
import { decodeCursor, encodeCursor } from "./cursor";
import { serverEnv, ServerConfigError } from "./env";
import { ApiRouteError } from "./errors";
import { signApproval, signSubmission } from "@/restate/identity/signed-claims";
import type { Operator } from "./auth/session";
import { remediationRun } from "./restate-ingress";

/** Columns that fill an InvocationRow (lib/invocation-summary.ts). */
export const INVOCATION_COLUMNS = sql`id, target, status, completion_result, completion_failure, pinned_deployment_id, created_at, completed_at, invoked_by_id, target_handler_name`;

/** The runs: invocations of RemediationWorkflow's `run` handler (not its status/approve calls). */
const IS_RUN = sql`inv.target_service_name = 'RemediationWorkflow' AND inv.target_handler_name = 'run'`;
/** A state row of the workflow, joined on the run's key. */
const stateOf = (alias: SqlFragment, key: SqlFragment) =>
  sql`${alias}.service_key = inv.target_service_key AND ${alias}.service_name = 'RemediationWorkflow' AND ${alias}.key = ${key}`;

function signingSecret(): string {
  const secret = serverEnv().APPROVAL_SIGNING_SECRET;
  if (!secret) throw new ServerConfigError("APPROVAL_SIGNING_SECRET is not set: the console cannot sign sign-offs (npm start generates one).");
  return secret;
}

export async function submitFinding(finding: Finding, operator: Operator): Promise<{ status: number; json: SubmitFindingResponse }> {
  // Submitting is idempotent on the workflow key: a second submission attaches to the first run.
  // The submitter is signed, so the workflow can hold them to "the submitter cannot approve".
  const submission = await remediationRun(finding.id).workflowSubmit({
    ...finding,
    submission: signSubmission(signingSecret(), { findingId: finding.id, submittedBy: operator.username }),
  });
  const started = submission.status === "Accepted";
  return {
    status: started ? 202 : 200,
    json: { findingId: finding.id, invocationId: submission.invocationId, submission: started ? "started" : "existing" },
  };
}

/**
 * Newest runs first, keyset-paged on (created_at, id). Two queries whatever the page size: the page
 * itself (filters first, then the page's state pivoted by key), and the count at the gate.
 */
export async function listFindings(query: FindingListQuery): Promise<FindingListResponse> {
  const filters: SqlFragment[] = [];
  const joins: SqlFragment[] = [];
  if (query.stage) {
    joins.push(sql`JOIN state AS by_stage ON ${stateOf(sql`by_stage`, sql`'stage'`)} AND by_stage.value_utf8 = ${lit.stageJson(query.stage)}`);
  }
  if (query.severity) {
    joins.push(
      sql`JOIN state AS by_finding ON ${stateOf(sql`by_finding`, sql`'finding'`)} AND json_get_str(by_finding.value_utf8, 'severity') = ${lit.severity(query.severity)}`,
    );
  }
  if (query.cursor) {
    const cursor = decodeCursor(query.cursor);
    if (!cursor) {
      throw new ApiRouteError("invalid_input", "Invalid query: cursor: not a cursor from this list; start again from the first page.", {
        cursor: "not a cursor from this list; start again from the first page",
      });
    }
    const at = lit.timestamp(cursor.createdAt);
    filters.push(sql`AND (inv.created_at < ${at} OR (inv.created_at = ${at} AND inv.id < ${lit.invocationId(cursor.id)}))`);
  }
  const pageSize = lit.integer(query.limit + 1);

  const page = sql`
    WITH page AS (
      SELECT inv.id, inv.target_service_key, inv.status, inv.created_at, inv.completed_at
      FROM sys_invocation AS inv ${joinSql(joins)}
      WHERE ${IS_RUN} ${joinSql(filters)}
      ORDER BY inv.created_at DESC, inv.id DESC
      LIMIT ${pageSize}
    )
    SELECT page.id AS invocation_id, page.target_service_key AS finding_id, page.status AS invocation_status,
      page.created_at, page.completed_at,
      max(CASE WHEN st.key = 'finding' THEN st.value_utf8 END) AS finding,
      max(CASE WHEN st.key = 'stage' THEN st.value_utf8 END) AS stage,
      max(CASE WHEN st.key = 'currentRung' THEN st.value_utf8 END) AS current_rung,
      max(CASE WHEN st.key = 'verdict' THEN st.value_utf8 END) AS verdict,
      max(CASE WHEN st.key = 'awaitingApprovalSince' THEN st.value_utf8 END) AS awaiting_since,
      max(CASE WHEN st.key = 'endedAt' THEN st.value_utf8 END) AS ended_at
    FROM page
    LEFT JOIN state AS st ON st.service_key = page.target_service_key AND st.service_name = 'RemediationWorkflow'
      AND st.key IN ('finding', 'stage', 'currentRung', 'verdict', 'awaitingApprovalSince', 'endedAt')
    GROUP BY page.id, page.target_service_key, page.status, page.created_at, page.completed_at
    ORDER BY page.created_at DESC, page.id DESC`;

  const [rows, waiting] = await Promise.all([adminQuery<FindingListRow>(page), countWaitingForSignoff()]);
  const items = rows.slice(0, query.limit).map(toFindingSummary);
  const last = rows.length > query.limit ? items.at(-1) : undefined;
  return {
    items,
    nextCursor: last ? encodeCursor({ createdAt: last.createdAt, id: last.invocationId }) : null,
    waitingForSignoff: waiting,
  };
}

async function countWaitingForSignoff(): Promise<number> {
  const rows = await adminQuery<{ waiting: number }>(
    sql`SELECT count(*) AS waiting FROM state WHERE service_name = 'RemediationWorkflow' AND key = 'stage' AND value_utf8 = ${lit.stageJson("awaiting-approval")}`,
  );
  return Number(rows[0]?.waiting ?? 0);
}

/** The run's status (from the workflow), its ladder and the engine's view of its invocations. */
export async function getFindingDetail(findingId: string): Promise<FindingDetail> {
  // The run and every invocation it started, in one query (invoked_by_target names the parent run).
  const invocationsQuery = sql`
    SELECT ${INVOCATION_COLUMNS} FROM sys_invocation AS inv
    WHERE (${IS_RUN} AND inv.target_service_key = ${lit.findingId(findingId)})
       OR inv.invoked_by_target = ${lit.runTarget(findingId)}`;
  const [status, invocations] = await Promise.all([
    remediationRun(findingId).status(),
    adminQuery<InvocationRow>(invocationsQuery),
  ]);
  const run = invocations.find((row) => row.target_handler_name === "run" && row.target === `RemediationWorkflow/${findingId}/run`);
  const children = invocations.filter((row) => row !== run && (!run || row.invoked_by_id === run.id));
  const uiBase = serverEnv().restateUiBase;
  return {
    status,
    ladder: toLadderView(LADDER_AGENTS, status, children),
    workflowInvocation: run ? toInvocationSummary(run) : null,
    restateUiUrl: run && uiBase ? `${uiBase}/ui/invocations/${encodeURIComponent(run.id)}` : null,
  };
}

/** The approver is the authenticated operator, never a field of the request; the workflow checks the signature. */
export async function decideApproval(findingId: string, input: ApprovalInput, operator: Operator): Promise<Approval> {
  const comment = input.comment?.trim() ? input.comment : undefined;
  const signed = signApproval(signingSecret(), { findingId, approver: operator.username, approved: input.approved, ...(comment ? { comment } : {}) });
  return await remediationRun(findingId).approve(signed);
}

/** The inbox is a work queue, not an archive: past this many runs, the oldest are shown. */
const INBOX_LIMIT = 500;

/** Every run waiting at the policy gate, oldest first, with the gate's reasons. One query. */
export async function listApprovalInbox(): Promise<ApprovalInboxItem[]> {
  const rows = await adminQuery<ApprovalInboxRow>(sql`
    WITH waiting AS (
      SELECT service_key FROM state
      WHERE service_name = 'RemediationWorkflow' AND key = 'stage' AND value_utf8 = ${lit.stageJson("awaiting-approval")}
    )
    SELECT waiting.service_key AS finding_id,
      max(CASE WHEN st.key = 'finding' THEN st.value_utf8 END) AS finding,
      max(CASE WHEN st.key = 'awaitingApprovalSince' THEN st.value_utf8 END) AS awaiting_since,
      max(CASE WHEN st.key = 'signoff' THEN st.value_utf8 END) AS signoff
    FROM waiting
    JOIN state AS st ON st.service_key = waiting.service_key AND st.service_name = 'RemediationWorkflow'
      AND st.key IN ('finding', 'awaitingApprovalSince', 'signoff')
    GROUP BY waiting.service_key
    ORDER BY awaiting_since ASC, finding_id ASC
    LIMIT ${lit.integer(INBOX_LIMIT)}`);
  return rows.flatMap((row) => toApprovalInboxItem(row) ?? []);
}
