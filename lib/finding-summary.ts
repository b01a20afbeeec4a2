// One row of the run list (a RemediationWorkflow/run invocation joined with its state, pivoted by
// key) → FindingSummary. State values arrive as the JSON text the workflow stored (value_utf8).
// Pure: no I/O. Odd or missing state never breaks the list: the field reads as null.
import { z } from "zod";
import type { ApprovalInboxItem, FindingSummary } from "@/lib/api/contracts";
import { GateDeadlineSchema, SEVERITIES, SignoffDecisionSchema, StageSchema } from "@/restate/contracts/schemas";

/** One run of a list page, from sys_invocation_status. */
export interface RunPageRow {
  id: string;
  /** Decimal text (CAST AS VARCHAR): u64 partition keys do not survive JSON numbers. */
  partition_key: string;
  finding_id: string;
  created_at: string;
  completed_at?: string | null;
}

/** A row of the `state` table: one key of one workflow. */
export interface StateRow {
  service_key: string;
  key: string;
  value_utf8?: string | null;
}

/** State rows → workflow key → state key → stored JSON text. */
export function pivotState(rows: readonly StateRow[]): Map<string, Map<string, string | null>> {
  const byKey = new Map<string, Map<string, string | null>>();
  for (const row of rows) {
    const values = byKey.get(row.service_key) ?? new Map<string, string | null>();
    values.set(row.key, row.value_utf8 ?? null);
    byKey.set(row.service_key, values);
  }
  return byKey;
}

/** The state keys a summary reads, as the workflow names them. */
export const SUMMARY_STATE_KEYS = ["finding", "stage", "currentRung", "verdict", "awaitingApprovalSince", "endedAt", "submittedAt"] as const;

/**
 * Puts a page together: each run with its state (pivoted by key) and the engine's status of its
 * invocation. A run whose state or status is missing still shows, with nulls and "unknown".
 */
export function assembleFindingRows(page: readonly RunPageRow[], state: readonly StateRow[], statuses: readonly InvocationStatusRow[]): FindingListRow[] {
  const byKey = pivotState(state);
  const statusById = new Map(statuses.map((row) => [row.id, row]));
  return page.map((run) => {
    const values = byKey.get(run.finding_id);
    return {
      invocation_id: run.id,
      finding_id: run.finding_id,
      invocation_status: statusById.get(run.id)?.status ?? "unknown",
      completion_result: statusById.get(run.id)?.completion_result ?? null,
      completion_failure: statusById.get(run.id)?.completion_failure ?? null,
      created_at: run.created_at,
      completed_at: run.completed_at ?? null,
      finding: values?.get("finding") ?? null,
      stage: values?.get("stage") ?? null,
      current_rung: values?.get("currentRung") ?? null,
      verdict: values?.get("verdict") ?? null,
      awaiting_since: values?.get("awaitingApprovalSince") ?? null,
      ended_at: values?.get("endedAt") ?? null,
      submitted_at: values?.get("submittedAt") ?? null,
    };
  });
}

/** The engine's view of a run's invocation, from sys_invocation. */
export interface InvocationStatusRow {
  id: string;
  status: string;
  /** "success" or "failure" once the invocation ended. */
  completion_result?: string | null;
  completion_failure?: string | null;
}

/** A run of the list with its state values, before parsing. */
export interface FindingListRow {
  invocation_id: string;
  finding_id: string;
  invocation_status: string;
  completion_result?: string | null;
  completion_failure?: string | null;
  created_at: string;
  completed_at?: string | null;
  /** value_utf8 of the state keys, null when the key is not set (yet). */
  finding?: string | null;
  stage?: string | null;
  current_rung?: string | null;
  verdict?: string | null;
  awaiting_since?: string | null;
  ended_at?: string | null;
  submitted_at?: string | null;
}

const StoredFinding = z.object({
  severity: z.enum(SEVERITIES).nullable().catch(null),
  repo: z.string().nullable().catch(null),
  source: z.string().nullable().catch(null),
  description: z.string().nullable().catch(null),
});
const StoredVerdict = z.object({ agent: z.string(), approved: z.boolean(), reason: z.string(), score: z.number() });

/** Parses one stored state value with a schema; null when absent, not JSON or not of that shape. */
export function stateValue<T>(text: string | null | undefined, schema: z.ZodType<T>): T | null {
  if (text == null) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A run the workflow refused at its door: the `run` invocation failed and the workflow recorded
 * neither the finding nor a stage (it writes both first thing). The same rule as the list's
 * `?stage=refused` filter in lib/server/findings.ts.
 */
export function isRefusedSubmission(row: Pick<FindingListRow, "completion_result" | "finding" | "stage">): boolean {
  return row.completion_result === "failure" && row.finding == null && row.stage == null;
}

/**
 * The workflow's refusal on one line: the engine prefixes the failure with its code ("[400] ") and
 * the validation lists each problem on a line of its own ("\n* (at /repo) repo is required").
 */
export function refusalReason(failure: string | null | undefined): string {
  const reason = (failure ?? "")
    .replace(/^\[\d{3}\]\s*/, "")
    .replace(/\s*\n\*\s*/g, "; ")
    .replace(/\s*\n\s*/g, " ")
    .replace(/:;\s/g, ": ")
    .trim();
  return reason || "refused by the workflow, without a reason";
}

/**
 * When the run list places a run: its submission time as the run index orders it (the console's
 * signed submission time, recorded by the workflow), else when the engine created it. Live updates put
 * a changed run on a page by this, so it must be the index's order or a run could show on two pages.
 */
function listedAt(row: FindingListRow): string {
  const at = stateValue(row.submitted_at, z.string()) ?? row.created_at;
  const time = new Date(at);
  return Number.isNaN(time.getTime()) ? row.created_at : time.toISOString();
}

export function toFindingSummary(row: FindingListRow): FindingSummary {
  const finding = stateValue(row.finding, StoredFinding);
  const refused = isRefusedSubmission(row);
  const stage = refused ? "refused" : stateValue(row.stage, StageSchema);
  const verdict = stateValue(row.verdict, StoredVerdict);
  return {
    id: row.finding_id,
    invocationId: row.invocation_id,
    severity: finding?.severity ?? null,
    repo: finding?.repo ?? null,
    source: finding?.source ?? null,
    description: finding?.description ?? null,
    stage,
    refusal: refused ? refusalReason(row.completion_failure) : null,
    invocationStatus: row.invocation_status,
    currentRung: stateValue(row.current_rung, z.string()),
    lastVerdict: verdict ? { agent: verdict.agent, approved: verdict.approved, reason: verdict.reason, score: verdict.score } : null,
    // Only a run still at the gate is waiting; the key stays set after the decision.
    waitingSince: stage === "awaiting-approval" ? stateValue(row.awaiting_since, z.string()) : null,
    createdAt: listedAt(row),
    endedAt: stateValue(row.ended_at, z.string()) ?? row.completed_at ?? null,
  };
}

/** One run at the policy gate: its state pivoted by key. */
export interface ApprovalInboxRow {
  finding_id: string;
  finding?: string | null;
  awaiting_since?: string | null;
  signoff?: string | null;
  deadline?: string | null;
}

/**
 * null while the workflow has set its stage but not yet the time it started waiting (the two writes
 * are a step apart): the run shows up in the inbox a moment later, with a real "waiting since".
 */
export function toApprovalInboxItem(row: ApprovalInboxRow): ApprovalInboxItem | null {
  const waitingSince = stateValue(row.awaiting_since, z.string());
  if (!waitingSince) return null;
  const finding = stateValue(row.finding, StoredFinding);
  const signoff = stateValue(row.signoff, SignoffDecisionSchema);
  const deadline = stateValue(row.deadline, GateDeadlineSchema);
  return {
    findingId: row.finding_id,
    severity: finding?.severity ?? null,
    repo: finding?.repo ?? null,
    description: finding?.description ?? null,
    waitingSince,
    reasons: signoff?.reasons ?? [],
    deadline: deadline
      ? { dueAt: deadline.dueAt, finalDueAt: deadline.finalDueAt, escalatedAt: deadline.escalatedAt ?? null, escalateTo: signoff?.deadline?.escalateTo ?? [] }
      : null,
  };
}
