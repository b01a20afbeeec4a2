// One row of the run list (a RemediationWorkflow/run invocation joined with its state, pivoted by
// key) → FindingSummary. State values arrive as the JSON text the workflow stored (value_utf8).
// Pure: no I/O. Odd or missing state never breaks the list: the field reads as null.
import { z } from "zod";
import type { ApprovalInboxItem, FindingSummary } from "@/lib/api/contracts";
import { SEVERITIES, SignoffDecisionSchema, StageSchema } from "@/restate/schemas";

export interface FindingListRow {
  invocation_id: string;
  finding_id: string;
  invocation_status: string;
  created_at: string;
  completed_at?: string | null;
  /** value_utf8 of the state keys, null when the key is not set (yet). */
  finding?: string | null;
  stage?: string | null;
  current_rung?: string | null;
  verdict?: string | null;
  awaiting_since?: string | null;
  ended_at?: string | null;
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

export function toFindingSummary(row: FindingListRow): FindingSummary {
  const finding = stateValue(row.finding, StoredFinding);
  const stage = stateValue(row.stage, StageSchema);
  const verdict = stateValue(row.verdict, StoredVerdict);
  return {
    id: row.finding_id,
    invocationId: row.invocation_id,
    severity: finding?.severity ?? null,
    repo: finding?.repo ?? null,
    source: finding?.source ?? null,
    description: finding?.description ?? null,
    stage,
    invocationStatus: row.invocation_status,
    currentRung: stateValue(row.current_rung, z.string()),
    lastVerdict: verdict ? { agent: verdict.agent, approved: verdict.approved, reason: verdict.reason, score: verdict.score } : null,
    // Only a run still at the gate is waiting; the key stays set after the decision.
    waitingSince: stage === "awaiting-approval" ? stateValue(row.awaiting_since, z.string()) : null,
    createdAt: row.created_at,
    endedAt: stateValue(row.ended_at, z.string()) ?? row.completed_at ?? null,
  };
}

/** One run at the policy gate: its state pivoted by key. */
export interface ApprovalInboxRow {
  finding_id: string;
  finding?: string | null;
  awaiting_since?: string | null;
  signoff?: string | null;
}

/**
 * null while the workflow has set its stage but not yet the time it started waiting (the two writes
 * are a step apart): the run shows up in the inbox a moment later, with a real "waiting since".
 */
export function toApprovalInboxItem(row: ApprovalInboxRow): ApprovalInboxItem | null {
  const waitingSince = stateValue(row.awaiting_since, z.string());
  if (!waitingSince) return null;
  const finding = stateValue(row.finding, StoredFinding);
  return {
    findingId: row.finding_id,
    severity: finding?.severity ?? null,
    repo: finding?.repo ?? null,
    description: finding?.description ?? null,
    waitingSince,
    reasons: stateValue(row.signoff, SignoffDecisionSchema)?.reasons ?? [],
  };
}
