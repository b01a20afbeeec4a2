// RemediationWorkflow, keyed by finding id: identity → escalation ladder (executors + judge) →
// policy gate (signoff-gate.ts) → ticket, PR, notification → eval and audit records (audit-record.ts);
// an operator can cancel it from the console at any stage before it ends (cancel-run.ts).
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import { provenanceOf } from "../adapters/provenance";
import { CODE_REVISION, lookupPinnedDeployment } from "../identity/workload-identity";
import { PROMPT_VERSION } from "../models/prompts";
import { walkEscalationLadder } from "../ladder/escalation-ladder";
import { config } from "../config";
import { claimRefusal } from "../identity/claim-verifier";
import { submitterRecord } from "../identity/record-signatures";
import { attest } from "../identity/services-signer";
import { submissionPayload } from "../identity/signed-claims";
import {
  ApprovalRequestSchema,
  ApprovalSchema,
  CancelRequestSchema,
  CancellationSchema,
  RefusedSignoffSchema,
  RunRequestSchema,
  RunResultSchema,
  UNAUTHENTICATED_SUBMITTER,
  StatusSchema,
  WorkloadIdentitySchema,
  runStatus,
  type Finding,
  type RunRequest,
  type RunResult,
  type Status,
  type WorkloadIdentity,
} from "../contracts/schemas";
import { finishRun, type AuditDetails } from "./audit-record";
import { noRun, readRunState, type RunState } from "./run-state";
import { EffectsAborted, executePlan, type ExecutedPlan } from "./execute-plan";
import { approve, holdAtGate, publicApproval, recordRefusedSignoff, signoffTrail, trailForStatus } from "./signoff-gate";
import { SERVICE_NAMES } from "../contracts/services";
import { cancel, cancelledAt, stopIfCancelled } from "./cancel-run";
import { setStage, submissionTime } from "./indexed-stage";

const SERVICE_NAME = SERVICE_NAMES.remediationWorkflow;
/** Built once, not per run: building a schema serde derives its JSON schema. */
const workloadIdentitySerde = restate.serde.schema(WorkloadIdentitySchema);

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
  const refusal = claimRefusal({
    payload: submissionPayload({ findingId: request.id, submittedBy: claim.submittedBy, issuedAt: claim.issuedAt }),
    signature: claim.signature,
    findingId: request.id,
    key: ctx.key,
    issuedAt: claim.issuedAt,
    now: await ctx.date.now(),
  });
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
  const startedAt = new Date(await ctx.date.now()).toISOString();
  ctx.set("startedAt", startedAt);
  ctx.set("submittedAt", submissionTime(request, startedAt));
  await setStage(ctx, "received");

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
    { serde: workloadIdentitySerde },
  );
  ctx.set("identity", identity);

  try {
    await stopIfCancelled(ctx);
    return await remediate(ctx, finding, identity);
  } catch (error) {
    // Cancelled by an operator (or stopped by any other terminal error we did not expect): the run
    // still ends with a final stage and an audit record, so nothing is left half-told.
    const stage = await ctx.get("stage");
    if (error instanceof restate.TerminalError && stage !== "failed" && stage !== "completed" && stage !== "rejected") {
      const cancelled = error instanceof restate.CancelledError;
      const details = cancelled ? await cancelledAt(ctx, stage ?? "received") : { failure: `Stopped at stage ${stage}: ${error.message}` };
      ctx.set("failure", details.failure);
      await finishRun(ctx, identity, cancelled ? "cancelled" : "failed", details);
    }
    throw error;
  }
}

async function remediate(ctx: restate.WorkflowContext<RunState>, finding: Finding, identity: WorkloadIdentity): Promise<RunResult> {
  const key = (effect: string) => `${identity.invocationId}/${effect}`;
  // A real provider's agents need a checkout: without one the run ends here, before any model is asked.
  const { workspace } = adapters;
  if (workspace.missingRepository) {
    const missing = await ctx.run("check repository", () => workspace.missingRepository!(finding.repo));
    if (missing) throw new restate.TerminalError(`No agent can work on ${finding.repo}: ${missing}.`, { errorCode: 422 });
  }
  const ladder = await walkEscalationLadder(ctx, finding);

  if (!ladder.accepted) {
    const trail = ladder.attempts.map((attempt) => `${attempt.agent} (${attempt.subAgentInvocationId}): ${attempt.outcome}`);
    const failure = `No agent produced an acceptable plan; escalate to manual handling. Attempts: ${trail.join("; ")}`;
    ctx.set("failure", failure);
    await finishRun(ctx, identity, "exhausted", {});
    throw new restate.TerminalError(failure, { errorCode: 422 });
  }
  const { plan, verdict } = ladder.accepted;

  const { signoff, approvals, deadline, expired } = await holdAtGate(ctx, finding, verdict, plan);
  const approval = approvals.at(-1) ?? null;
  /** The gate as the audit record tells it: every sign-off attempt, refused ones included, and its deadline. */
  const gate = async (): Promise<AuditDetails> => ({ signoff, approval, approvals, signoffTrail: await signoffTrail(ctx), ...(deadline ? { deadline } : {}) });
  if (expired) {
    // Nobody decided in time: a distinct end, never an approval and never a rejection; nothing runs.
    await finishRun(ctx, identity, "expired", await gate());
    return {
      findingId: finding.id,
      outcome: "expired",
      attempts: ladder.attempts,
      approval: null,
      approvals: approvals.map(publicApproval),
      ticket: null,
      pullRequest: null,
    };
  }
  if (approval && !approval.approved) {
    await finishRun(ctx, identity, "rejected", await gate());
    return {
      findingId: finding.id,
      outcome: "rejected",
      attempts: ladder.attempts,
      approval: publicApproval(approval),
      approvals: approvals.map(publicApproval),
      ticket: null,
      pullRequest: null,
    };
  }

  await setStage(ctx, "executing");
  let executed: ExecutedPlan;
  try {
    const provenance = provenanceOf({ identity, verdict, approvals, executorModel: adapters.planner.model, consoleUrl: config.CONSOLE_URL });
    executed = await executePlan(ctx, finding, plan, key, provenance);
  } catch (error) {
    if (!(error instanceof EffectsAborted)) throw error;
    // Cancelled while executing: the effects already done are undone all the same.
    const cancelled = error.cancelled ? await cancelledAt(ctx, "executing") : null;
    const failure = cancelled ? `${cancelled.failure}. ${error.compensation}` : error.message;
    ctx.set("failure", failure);
    await finishRun(ctx, identity, cancelled ? "cancelled" : "failed", {
      ...(await gate()),
      plan,
      failure,
      compensated: error.compensated,
      ...(cancelled?.cancelled ? { cancelled: cancelled.cancelled } : {}),
    });
    throw error;
  }
  const { ticket, pullRequest } = executed;

  await finishRun(ctx, identity, "completed", { ...(await gate()), plan, ticket, pullRequest });
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

/** Everything the run recorded, for anyone on the ingress: approvals without the console's claim. */
async function status(ctx: restate.WorkflowSharedContext<RunState>): Promise<Status> {
  const { finding, ...state } = await readRunState(ctx);
  if (!finding) throw noRun(ctx.key);
  const trail = await trailForStatus(ctx, state.stage ?? "received", state.signoff);
  const approval = state.approval && publicApproval(state.approval);
  return runStatus(ctx.key, { ...state, finding, approval, approvals: state.approvals?.map(publicApproval) ?? null }, trail);
}

export const remediationWorkflow = restate.workflow({
  name: SERVICE_NAME,
  handlers: {
    run: restate.handlers.workflow.workflow({ input: restate.serde.schema(RunRequestSchema), output: restate.serde.schema(RunResultSchema) }, run),
    approve: restate.handlers.workflow.shared({ input: restate.serde.schema(ApprovalRequestSchema), output: restate.serde.schema(ApprovalSchema) }, approve),
    cancel: restate.handlers.workflow.shared({ input: restate.serde.schema(CancelRequestSchema), output: restate.serde.schema(CancellationSchema) }, cancel),
    recordRefusedSignoff: restate.handlers.workflow.shared({ input: restate.serde.schema(RefusedSignoffSchema) }, recordRefusedSignoff),
    // A read: nothing to audit, so its own invocation's journal is not kept (the console polls it).
    status: restate.handlers.workflow.shared({ output: restate.serde.schema(StatusSchema), journalRetention: 0 }, status),
  },
  options: { workflowRetention: { days: 30 }, journalRetention: { days: 30 } },
});

export type RemediationWorkflow = typeof remediationWorkflow;
