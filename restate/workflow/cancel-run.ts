// Cancel from the console: `cancel` checks the console's signed request, records who and why in the
// run's durable "cancellation" promise, then cancels the run's invocation. The run, interrupted at its
// next step, undoes its side effects (execute-plan.ts) and ends with the canceller in its audit record.
import * as restate from "@restatedev/restate-sdk";
import { claimRefusal } from "../identity/claim-verifier";
import { cancelPayload } from "../identity/signed-claims";
import { CancellationSchema, FINISHED_STAGES, type CancelRequest, type Cancellation } from "../contracts/schemas";
import { noRun, type RunState } from "./run-state";
import { signoffAttempts } from "./signoff-attempts";

type RunContext = restate.WorkflowSharedContext<RunState>;

/** Built once, not per call: building a schema serde derives its JSON schema. */
const cancellationSerde = restate.serde.schema(CancellationSchema);
export const cancellationPromise = (ctx: RunContext) => ctx.promise<Cancellation>("cancellation", cancellationSerde);

/** Who cancelled the run, once `cancel` accepted a request (null otherwise). */
export async function cancellationOf(ctx: RunContext): Promise<Cancellation | null> {
  return (await cancellationPromise(ctx).peek()) ?? null;
}

export async function cancel(ctx: RunContext, request: CancelRequest): Promise<Cancellation> {
  const stage = await ctx.get("stage");
  if (!stage) throw noRun(ctx.key);
  const now = await ctx.date.now();
  const { signature, ...claim } = request;
  const refusal = claimRefusal({ payload: cancelPayload(claim), signature, findingId: claim.findingId, key: ctx.key, issuedAt: claim.issuedAt, now });
  if (refusal) throw new restate.TerminalError(`Cancel refused: ${refusal}.`, { errorCode: 401 });
  if (!(await ctx.objectClient(signoffAttempts, ctx.key).spend({ nonce: claim.nonce, issuedAt: claim.issuedAt }))) {
    throw new restate.TerminalError("Cancel refused: this signed request was already used once.", { errorCode: 409 });
  }
  if (FINISHED_STAGES.includes(stage)) {
    throw new restate.TerminalError(`Finding "${ctx.key}" cannot be cancelled: its run already ended (stage: ${stage}).`, { errorCode: 409 });
  }
  const cancellation: Cancellation = { by: claim.by, reason: claim.reason, at: new Date(now).toISOString() };
  try {
    await cancellationPromise(ctx).resolve(cancellation);
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    const earlier = await cancellationOf(ctx);
    throw new restate.TerminalError(`Finding "${ctx.key}" was already cancelled${earlier ? ` by ${earlier.by} at ${earlier.at}` : ""}.`, { errorCode: 409 });
  }
  // The run records its invocation id before any step that can be interrupted; a run that has not yet
  // done so sees the resolved promise itself (stopIfCancelled).
  const identity = await ctx.get("identity");
  if (identity) ctx.invocation(restate.InvocationIdParser.fromString(identity.invocationId)).cancel();
  return cancellation;
}

/** For the run, right after it recorded its identity: a cancel that came before stops it here. */
export async function stopIfCancelled(ctx: RunContext): Promise<void> {
  if (await cancellationOf(ctx)) throw new restate.CancelledError();
}

/**
 * What the run records when it was cancelled at `stage`: the failure line and, when an operator
 * cancelled it through `cancel`, who and why (also kept in the run's state for the console).
 */
export async function cancelledAt(ctx: restate.WorkflowContext<RunState>, stage: string): Promise<{ failure: string; cancelled?: Cancellation }> {
  const cancellation = await cancellationOf(ctx);
  if (!cancellation) return { failure: `Cancelled by an operator at stage ${stage}; nothing after the last completed step ran.` };
  ctx.set("cancelled", cancellation);
  return { failure: `Cancelled by ${cancellation.by} at stage ${stage}: ${cancellation.reason}`, cancelled: cancellation };
}
