// RemediationWorkflow, keyed by finding id: identity → escalation ladder (executors + judge) →
// eval export → policy gate (durable `approval` promise) → ticket, PR, notification → audit record.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import { CODE_REVISION, PROMPT_VERSION, lookupPinnedDeployment } from "../identity/workload-identity";
import { walkEscalationLadder } from "../ladder/escalation-ladder";
import { config } from "../config";
import { canonicalJson, submitterRecord } from "../identity/record-signatures";
import { attest } from "../identity/services-signer";
import { submissionPayload, verifyClaim } from "../identity/signed-claims";
import { requiresHumanSignoff, withUnsignedSubmissionRule } from "../policy/signoff-policy";
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
  type Finding,
  type RunRequest,
  type RunResult,
  type SignoffDecision,
  type SignoffTrail,
  type Status,
  type WorkloadIdentity,
} from "../contracts/schemas";
import type { RunState } from "./run-state";
import { EffectsAborted, executePlan, type ExecutedPlan } from "./execute-plan";
import { runEffect } from "./side-effects";
import { signoffAttempts } from "./signoff-attempts";
import { approvalPromise, approve, noRun, publicApproval, recordRefusedSignoff } from "./signoff-gate";
import { SERVICE_NAMES } from "../contracts/services";

const SERVICE_NAME = SERVICE_NAMES.remediationWorkflow;
const refSerde = restate.serde.schema(ExternalRefSchema);
const nowIso = async (ctx: restate.WorkflowSharedContext<RunState>) => new Date(await ctx.date.now()).toISOString();

/** Fails fast, before anything is recorded, when the console's signed submitter does not verify. */
async function submitterOf(ctx: restate.WorkflowContext<RunState>, request: RunRequest): Promise<string> {
  const claim = request.submission;
  if (!claim) {
    if (config.UNSIGNED_SUBMISSIONS === "refuse") {
      throw new restate.TerminalError(
        "Submission refused: this deployment accepts findings only through the console (UNSIGNED_SUBMISSIONS=refuse), where the submitter is signed.",
        { errorCode: 401 },
      );
    }
    return UNAUTHENTICATED_SUBMITTER;
  }
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
  const submitterAttestation = attest("submitter", finding.id, submitterRecord(submittedBy));
  if (submitterAttestation) ctx.set("submittedByAttestation", submitterAttestation);
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
  const content = {
    outcome,
    identity,
    finding: await ctx.get("finding"),
    submittedBy: await ctx.get("submittedBy"),
    submittedByAttestation: (await ctx.get("submittedByAttestation")) ?? null,
    attempts: (await ctx.get("attempts")) ?? [],
    verdicts: (await ctx.get("verdicts")) ?? [],
    ...extra,
  };
  // Signed over its canonical JSON, so the exported record can be re-checked offline (npm run audit -- verify).
  const attestation = attest("audit-record", identity.findingId, JSON.parse(canonicalJson(content)));
  const record = attestation ? { ...content, attestation } : content;
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

  const submittedBy = (await ctx.get("submittedBy")) ?? UNAUTHENTICATED_SUBMITTER;
  const signoff = withUnsignedSubmissionRule(requiresHumanSignoff(finding, verdict), submittedBy === UNAUTHENTICATED_SUBMITTER, config.UNSIGNED_SUBMISSIONS);
  ctx.set("signoff", signoff);
  let approval: Approval | null = null;
  const approvals: Approval[] = [];
  /** Every sign-off attempt, refused ones included, goes into the audit record. */
  const attemptsAtGate = async () => await ctx.objectClient(signoffAttempts, ctx.key).list();
  if (signoff.required) {
    // Stage last: a reader that sees "awaiting-approval" also sees since when, and which gate.
    ctx.set("awaitingApprovalSince", await nowIso(ctx));
    // A sign-off is signed for this id: one made before the gate opened cannot decide it.
    ctx.set("gateId", ctx.rand.uuidv4());
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
      await finish("rejected", { signoff, approval, approvals, signoffTrail: await attemptsAtGate() });
      return { findingId: finding.id, outcome: "rejected", attempts: ladder.attempts, approval: publicApproval(approval), approvals: approvals.map(publicApproval), ticket: null, pullRequest: null };
    }
  }

  ctx.set("stage", "executing");
  let executed: ExecutedPlan;
  try {
    executed = await executePlan(ctx, finding, plan, key);
  } catch (error) {
    if (!(error instanceof EffectsAborted)) throw error;
    ctx.set("failure", error.message);
    await finish("failed", { signoff, approval, approvals, signoffTrail: await attemptsAtGate(), plan, failure: error.message, compensated: error.compensated });
    throw error;
  }
  const { ticket, pullRequest } = executed;

  await finish("completed", { signoff, approval, approvals, signoffTrail: await attemptsAtGate(), plan, ticket, pullRequest });
  return {
    findingId: finding.id,
    outcome: "completed",
    attempts: ladder.attempts,
    approval: approval && publicApproval(approval),
    approvals: approvals.map(publicApproval),
    ticket,
    pullRequest,
  };
}

const NO_TRAIL: SignoffTrail = { attempts: [], dropped: 0, uncredentialed: { count: 0, recent: [] } };

/**
 * The run's sign-off trail, read from SignoffAttempts once the gate matters: at a gate that asks for
 * a human, or after the run ended. While the agents are still planning (when the console polls the
 * most) a run has no gate to show, and `status` saves itself the call.
 */
async function trailFor(ctx: restate.WorkflowSharedContext<RunState>, stage: Status["stage"], signoff: SignoffDecision | null): Promise<SignoffTrail> {
  if (!signoff?.required && !FINISHED_STAGES.includes(stage)) return NO_TRAIL;
  return await ctx.objectClient(signoffAttempts, ctx.key).list();
}

async function status(ctx: restate.WorkflowSharedContext<RunState>): Promise<Status> {
  const finding = await ctx.get("finding");
  if (!finding) throw noRun(ctx.key);
  const signoff = (await ctx.get("signoff")) ?? null;
  const stage = (await ctx.get("stage")) ?? "received";
  const trail = await trailFor(ctx, stage, signoff);
  const approval = (await ctx.get("approval")) ?? null;
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
    gateId: (await ctx.get("gateId")) ?? null,
    approval: approval && publicApproval(approval),
    approvals: ((await ctx.get("approvals")) ?? []).map(publicApproval),
    signoffAttempts: trail.attempts,
    signoffAttemptsDropped: trail.dropped,
    uncredentialedAttempts: trail.uncredentialed,
    submittedBy: (await ctx.get("submittedBy")) ?? null,
    submittedByAttestation: (await ctx.get("submittedByAttestation")) ?? null,
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
