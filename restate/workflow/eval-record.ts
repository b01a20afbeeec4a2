// The eval record, exported once per run when the run ends, so it carries the human decision with
// the finding, the attempts, the plans (their diffs) and the verdicts: one complete example per run.
// It is built from the audit record's content, so both tell the same run.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import { isCancellation } from "../adapters/call-adapter";
import { EvalRecordSchema, type AuditRecord, type EvalRecord, type ExternalRef, type PlanRecord } from "../contracts/schemas";
import type { RunState } from "./run-state";
import { externalRefSerde, runEffect } from "./side-effects";

/** Null for a run that ended before any rung was decided: there is nothing to evaluate. */
export function evalRecordOf(audit: AuditRecord, plans: PlanRecord[]): EvalRecord | null {
  if (audit.attempts.length === 0) return null;
  const { identity, finding, attempts, verdicts, outcome, signoff, approvals, usage } = audit;
  return EvalRecordSchema.parse({
    identity,
    finding,
    attempts,
    verdicts,
    plans,
    outcome,
    decision: signoff
      ? { signoff, approvals: (approvals ?? []).map(({ approved, approver, comment, decidedAt }) => ({ approved, approver, comment, decidedAt })) }
      : null,
    ...(usage ? { usage } : {}),
  });
}

/**
 * Exports the run's eval record. The eval store is a side channel: when it refuses for good, the run
 * still ends with its audit record, and the failed step stays in the journal.
 */
export async function exportEvalRecord(ctx: restate.WorkflowContext<RunState>, audit: AuditRecord): Promise<void> {
  const record = evalRecordOf(audit, (await ctx.get("plans")) ?? []);
  if (!record) return;
  const { invocationId, findingId } = audit.identity;
  try {
    const evalExport: ExternalRef = await runEffect(
      ctx,
      "export eval",
      () => adapters.evalStore.exportEval({ idempotencyKey: `${invocationId}/eval`, findingId, record }),
      externalRefSerde,
    );
    ctx.set("evalExport", evalExport);
  } catch (error) {
    if (!(error instanceof restate.TerminalError) || isCancellation(error)) throw error;
    ctx.console.warn(`eval export for ${findingId} failed for good, the run ends without it: ${error.message}`);
  }
}
