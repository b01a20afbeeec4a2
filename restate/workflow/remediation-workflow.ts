// RemediationWorkflow, keyed by finding id: identity → escalation ladder (executors + judge) →
// eval export → policy gate (durable `approval` promise) → ticket, PR, notification → audit record.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import { CODE_REVISION, PROMPT_VERSION, lookupPinnedDeployment } from "../identity/workload-identity";
import { walkEscalationLadder } from "../ladder/escalation-ladder";
import { config } from "../config";
import { approvalPayload, refusalPayload, submissionPayload, verifyClaim } from "../identity/signed-claims";
import { requiresHumanSignoff, signoffRefusal } from "../policy/signoff-policy";
import {
  ApprovalRequestSchema,
  ApprovalSchema,
  ExternalRefSchema,
  FINISHED_STAGES,
  RefusedSignoffSchema,
  RunRequestSchema,
  RunResultSchema,
  UNAUTHENTICATED_SUBMITTER,
  StatusSchema,
  WorkloadIdentitySchema,
  type Approval,
  type ApprovalRequest,
  type Finding,
  type RefusedSignoff,
  type RunRequest,
  type RunResult,
  type SignoffAttempt,
  type SignoffDecision,
  type Status,
  type WorkloadIdentity,
} from "../schemas";
import type { RunState } from "./run-state";
import { EffectsAborted, executePlan, type ExecutedPlan } from "./execute-plan";
import { runEffect } from "./side-effects";
import { signoffAttempts } from "./signoff-attempts";

const SERVICE_NAME = "RemediationWorkflow";
const refSerde = restate.serde.schema(ExternalRefSchema);
/** The gate's n-th decision (1-based). The first keeps the name "approval" that runs started before two-approver gates used. */
const approvalPromise = (ctx: restate.WorkflowSharedContext<RunState>, n = 1) =>
  ctx.promise<Approval>(n === 1 ? "approval" : `approval-${n}`, restate.serde.schema(ApprovalSchema));
const nowIso = async (ctx: restate.WorkflowSharedContext<RunState>) => new Date(await ctx.date.now()).toISOString();
const noRun = (key: string) =>
  new restate.TerminalError(`No remediation run for finding "${key}": submit it first with POST /${SERVICE_NAME}/${key}/run.`, {
    errorCode: 404,
  });

/** Fails fast, before anything is recorded, when the console's signed submitter does not verify. */
async function submitterOf(ctx: restate.WorkflowContext<RunState>, request: RunRequest): Promise<string> {
  const claim = request.submission;
  if (!claim) return UNAUTHENTICATED_SUBMITTER;
  const secret = config.APPROVAL_SIGNING_SECRET;
  const refusal = secret
    ? verifyClaim(secret, {
        payload: submissionPayload({ findingId: request.id, submittedBy: claim.submittedBy, issuedAt: claim.issuedAt }),
        signature: claim.signature,
        findingId: request.id,
        key: ctx.key,
        issuedAt: claim.issuedAt,
        now: await ctx.date.now(),
      })
    : "the services have no APPROVAL_SIGNING_SECRET to verify it with";
  if (refusal) throw new restate.TerminalError(`Submission refused: ${refusal}.`, { errorCode: 401 });
  return claim.submittedBy;
}

async function run(ctx: restate.WorkflowContext<RunState>, request: RunRequest): Promise<RunResult> {
  const { submission: _submission, ...finding } = request;
  if (finding.id !== ctx.key) {
    throw new restate.TerminalError(
      `Finding id "${finding.id}" does not match the workflow key "${ctx.key}": submit it to /${SERVICE_NAME}/${finding.id}/run.`,
      { errorCode: 400 },
    );
  }
  const submittedBy = await submitterOf(ctx, request);
  ctx.set("finding", finding);
  ctx.set("submittedBy", submittedBy);
  ctx.set("stage", "received");
  ctx.set("startedAt", await nowIso(ctx));

  const identity = await ctx.run(
    "record workload identity",
    async () => ({
      service: SERVICE_NAME,
      findingId: finding.id,
      invocationId: ctx.request().id,
      deploymentId: await lookupPinnedDeployment(ctx.request().id),
      codeRevision: CODE_REVISION,
      promptVersion: PROMPT_VERSION,
      recordedAt: new Date().toISOString(),
    }),
    { serde: restate.serde.schema(WorkloadIdentitySchema) },
  );
  ctx.set("identity", identity);

  try {
    return await remediate(ctx, finding, identity);
  } catch (error) {
    // Cancelled by an operator (or stopped by any other terminal error we did not expect): the run
    // still ends with a final stage and an audit record, so nothing is left half-told.
    const stage = await ctx.get("stage");
    if (error instanceof restate.TerminalError && stage !== "failed" && stage !== "completed" && stage !== "rejected") {
      const failure =
        error instanceof restate.CancelledError
          ? `Cancelled by an operator at stage ${stage}; nothing after the last completed step ran.`
          : `Stopped at stage ${stage}: ${error.message}`;
      ctx.set("failure", failure);
      await finishRun(ctx, identity, error instanceof restate.CancelledError ? "cancelled" : "failed", { failure });
    }
    throw error;
  }
}

type Outcome = "completed" | "rejected" | "exhausted" | "failed" | "cancelled";

/** Writes the audit record, then the final stage: a finished stage means the audit trail is complete. */
async function finishRun(
  ctx: restate.WorkflowContext<RunState>,
  identity: WorkloadIdentity,
  outcome: Outcome,
  extra: Record<string, unknown>,
) {
  const record = {
    outcome,
    identity,
    finding: await ctx.get("finding"),
    submittedBy: await ctx.get("submittedBy"),
    attempts: (await ctx.get("attempts")) ?? [],
    verdicts: (await ctx.get("verdicts")) ?? [],
    ...extra,
  };
  const auditRecord = await runEffect(
    ctx,
    "export audit record",
    () => adapters.audit.exportAuditRecord({ idempotencyKey: `${identity.invocationId}/audit`, findingId: identity.findingId, record }),
    refSerde,
  );
  ctx.set("auditRecord", auditRecord);
  ctx.set("endedAt", await nowIso(ctx));
  ctx.set("stage", outcome === "completed" || outcome === "rejected" ? outcome : "failed");
}

async function remediate(ctx: restate.WorkflowContext<RunState>, finding: Finding, identity: WorkloadIdentity): Promise<RunResult> {
  const key = (effect: string) => `${identity.invocationId}/${effect}`;
  const ladder = await walkEscalationLadder(ctx, finding);

  const evalExport = await runEffect(
    ctx,
    "export eval",
    () =>
      adapters.evalStore.exportEval({
        idempotencyKey: key("eval"),
        findingId: finding.id,
        record: { identity, finding, attempts: ladder.attempts, verdicts: ladder.verdicts },
      }),
    refSerde,
  );
  ctx.set("evalExport", evalExport);

  const finish = (outcome: Outcome, extra: Record<string, unknown>) => finishRun(ctx, identity, outcome, extra);

  if (!ladder.accepted) {
    const trail = ladder.attempts.map((attempt) => `${attempt.agent} (${attempt.subAgentInvocationId}): ${attempt.outcome}`);
    const failure = `No agent produced an acceptable plan; escalate to manual handling. Attempts: ${trail.join("; ")}`;
    ctx.set("failure", failure);
    await finish("exhausted", {});
    throw new restate.TerminalError(failure, { errorCode: 422 });
  }
  const { plan, verdict } = ladder.accepted;

  const signoff = requiresHumanSignoff(finding, verdict);
  ctx.set("signoff", signoff);
  let approval: Approval | null = null;
  const approvals: Approval[] = [];
  /** Every sign-off attempt, refused ones included, goes into the audit record. */
  const attemptsAtGate = async () => await ctx.objectClient(signoffAttempts, ctx.key).list();
  if (signoff.required) {
    // Stage last: a reader that sees "awaiting-approval" also sees since when.
    ctx.set("awaitingApprovalSince", await nowIso(ctx));
    ctx.set("stage", "awaiting-approval");
    // The approve handler checks who may decide; a critical finding waits for two different approvers.
    for (let n = 1; n <= signoff.approvalsRequired; n++) {
      approval = await approvalPromise(ctx, n).get();
      approvals.push(approval);
      ctx.set("approvals", approvals);
      ctx.set("approval", approval);
      if (!approval.approved) break;
    }
    if (approval && !approval.approved) {
      await finish("rejected", { signoff, approval, approvals, signoffAttempts: await attemptsAtGate() });
      return { findingId: finding.id, outcome: "rejected", attempts: ladder.attempts, approval, approvals, ticket: null, pullRequest: null };
    }
  }

  ctx.set("stage", "executing");
  let executed: ExecutedPlan;
  try {
    executed = await executePlan(ctx, finding, plan, key);
  } catch (error) {
    if (!(error instanceof EffectsAborted)) throw error;
    ctx.set("failure", error.message);
    await finish("failed", { signoff, approval, approvals, signoffAttempts: await attemptsAtGate(), plan, failure: error.message, compensated: error.compensated });
    throw error;
  }
  const { ticket, pullRequest } = executed;

  await finish("completed", { signoff, approval, approvals, signoffAttempts: await attemptsAtGate(), plan, ticket, pullRequest });
  return { findingId: finding.id, outcome: "completed", attempts: ladder.attempts, approval, approvals, ticket, pullRequest };
}

/** A sign-off refused: recorded in the run's sign-off attempts, then answered with the reason. */
function refuse(
  ctx: restate.WorkflowSharedContext<RunState>,
  request: ApprovalRequest,
  at: string,
  errorCode: number,
  reason: string,
): restate.TerminalError {
  const attempt: SignoffAttempt = { at, approver: request.approver, approved: request.approved, accepted: false, reason, signed: !!request.signature };
  ctx.objectSendClient(signoffAttempts, ctx.key).record(attempt);
  return new restate.TerminalError(`Sign-off refused: ${reason}`, { errorCode });
}

/**
 * Adds to the run's sign-off trail an attempt the console refused itself (nobody signed in, a role that
 * may not sign off), so every attempt is visible with the run. Only the console can sign one.
 */
async function recordRefusedSignoff(ctx: restate.WorkflowSharedContext<RunState>, refusal: RefusedSignoff): Promise<void> {
  if (!(await ctx.get("stage"))) throw noRun(ctx.key);
  const secret = config.APPROVAL_SIGNING_SECRET;
  const now = await ctx.date.now();
  const { signature, ...claim } = refusal;
  const bad = secret
    ? verifyClaim(secret, { payload: refusalPayload(claim), signature, findingId: claim.findingId, key: ctx.key, issuedAt: claim.issuedAt, now })
    : "the services have no APPROVAL_SIGNING_SECRET to verify it with";
  if (bad) throw new restate.TerminalError(`Refusal record refused: ${bad}.`, { errorCode: 401 });
  ctx.objectSendClient(signoffAttempts, ctx.key).record({
    at: new Date(now).toISOString(),
    approver: claim.approver,
    approved: claim.approved,
    accepted: false,
    reason: `refused by the console: ${claim.reason}`,
    signed: false,
  });
}

/**
 * Resolves the gate's next approval promise, but only for a decision the console signed (approver,
 * finding, decision, comment, time, nonce) within the last minutes, at a run waiting at the gate,
 * and allowed by the sign-off policy. Everything else is refused and recorded, and changes nothing.
 */
async function approve(ctx: restate.WorkflowSharedContext<RunState>, request: ApprovalRequest): Promise<Approval> {
  const stage = await ctx.get("stage");
  if (!stage) throw noRun(ctx.key);
  const now = await ctx.date.now();
  const at = new Date(now).toISOString();

  const secret = config.APPROVAL_SIGNING_SECRET;
  const issuedAt = request.issuedAt ?? "";
  const badSignature = secret
    ? verifyClaim(secret, {
        payload: approvalPayload({
          findingId: request.findingId ?? "",
          approver: request.approver,
          approved: request.approved,
          comment: request.comment,
          issuedAt,
          nonce: request.nonce ?? "",
        }),
        signature: request.signature,
        findingId: request.findingId ?? "",
        key: ctx.key,
        issuedAt,
        now,
      })
    : "the services have no APPROVAL_SIGNING_SECRET, so no sign-off can be verified";
  if (badSignature) throw refuse(ctx, request, at, 401, `${badSignature}.`);

  const signoff = await ctx.get("signoff");
  const required = signoff?.approvalsRequired ?? 1;
  const earlier: Approval[] = [];
  for (let n = 1; n <= required; n++) {
    const decided = await approvalPromise(ctx, n).peek();
    if (!decided) break;
    earlier.push(decided);
    if (!decided.approved) break;
  }
  const last = earlier.at(-1);
  if (last && (!last.approved || earlier.length >= required)) {
    throw refuse(ctx, request, at, 409, `finding "${ctx.key}" was already ${last.approved ? "approved" : "rejected"} by ${last.approver} at ${last.decidedAt}.`);
  }
  if (stage !== "awaiting-approval") {
    throw refuse(
      ctx,
      request,
      at,
      409,
      `finding "${ctx.key}" is not waiting for sign-off (stage: ${stage}); a sign-off counts only once the judge accepted a plan and the policy gate asks for it.`,
    );
  }
  if (earlier.some((decided) => decided.nonce === request.nonce)) throw refuse(ctx, request, at, 409, "this signed sign-off was already used.");
  const policy = signoffRefusal({
    approver: request.approver,
    approved: request.approved,
    comment: request.comment,
    submittedBy: (await ctx.get("submittedBy")) ?? UNAUTHENTICATED_SUBMITTER,
    earlier,
  });
  if (policy) throw refuse(ctx, request, at, 403, policy);

  const approval: Approval = {
    approved: request.approved,
    approver: request.approver,
    ...(request.comment ? { comment: request.comment } : {}),
    decidedAt: at,
    issuedAt,
    nonce: request.nonce,
    signature: request.signature,
  };
  const n = earlier.length + 1;
  await approvalPromise(ctx, n).resolve(approval);
  ctx.objectSendClient(signoffAttempts, ctx.key).record({
    at,
    approver: request.approver,
    approved: request.approved,
    accepted: true,
    reason: `${request.approved ? "approval" : "rejection"} ${n} of ${required}`,
    signed: true,
  });
  return approval;
}

/**
 * The run's sign-off attempts, read from SignoffAttempts once the gate matters: at a gate that asks for
 * a human, or after the run ended. While the agents are still planning (when the console polls the
 * most) a run has no gate to show, and `status` saves itself the call.
 */
async function attemptsFor(ctx: restate.WorkflowSharedContext<RunState>, stage: Status["stage"], signoff: SignoffDecision | null) {
  if (!signoff?.required && !FINISHED_STAGES.includes(stage)) return [];
  return await ctx.objectClient(signoffAttempts, ctx.key).list();
}

async function status(ctx: restate.WorkflowSharedContext<RunState>): Promise<Status> {
  const finding = await ctx.get("finding");
  if (!finding) throw noRun(ctx.key);
  const signoff = (await ctx.get("signoff")) ?? null;
  const stage = (await ctx.get("stage")) ?? "received";
  return {
    findingId: ctx.key,
    finding,
    stage,
    currentRung: (await ctx.get("currentRung")) ?? null,
    attempts: (await ctx.get("attempts")) ?? [],
    plans: (await ctx.get("plans")) ?? [],
    verdicts: (await ctx.get("verdicts")) ?? [],
    verdict: (await ctx.get("verdict")) ?? null,
    signoff,
    awaitingApprovalSince: (await ctx.get("awaitingApprovalSince")) ?? null,
    approval: (await ctx.get("approval")) ?? null,
    approvals: (await ctx.get("approvals")) ?? [],
    signoffAttempts: await attemptsFor(ctx, stage, signoff),
    submittedBy: (await ctx.get("submittedBy")) ?? null,
    identity: (await ctx.get("identity")) ?? null,
    ticket: (await ctx.get("ticket")) ?? null,
    pullRequest: (await ctx.get("pullRequest")) ?? null,
    notification: (await ctx.get("notification")) ?? null,
    evalExport: (await ctx.get("evalExport")) ?? null,
    auditRecord: (await ctx.get("auditRecord")) ?? null,
    failure: (await ctx.get("failure")) ?? null,
    startedAt: (await ctx.get("startedAt")) ?? null,
    endedAt: (await ctx.get("endedAt")) ?? null,
  };
}

export const remediationWorkflow = restate.workflow({
  name: SERVICE_NAME,
  handlers: {
    run: restate.handlers.workflow.workflow(
      { input: restate.serde.schema(RunRequestSchema), output: restate.serde.schema(RunResultSchema) },
      run,
    ),
    approve: restate.handlers.workflow.shared(
      { input: restate.serde.schema(ApprovalRequestSchema), output: restate.serde.schema(ApprovalSchema) },
      approve,
    ),
    recordRefusedSignoff: restate.handlers.workflow.shared({ input: restate.serde.schema(RefusedSignoffSchema) }, recordRefusedSignoff),
    // A read: nothing to audit, so its own invocation's journal is not kept (the console polls it).
    status: restate.handlers.workflow.shared({ output: restate.serde.schema(StatusSchema), journalRetention: 0 }, status),
  },
  options: { workflowRetention: { days: 30 }, journalRetention: { days: 30 } },
});

export type RemediationWorkflow = typeof remediationWorkflow;
