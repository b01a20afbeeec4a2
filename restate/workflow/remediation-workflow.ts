// RemediationWorkflow, keyed by finding id: identity → escalation ladder (executors + judge) →
// eval export → policy gate (durable `approval` promise) → ticket, PR, notification → audit record.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import { CODE_REVISION, PROMPT_VERSION, lookupPinnedDeployment } from "../identity/workload-identity";
import { walkEscalationLadder } from "../ladder/escalation-ladder";
import { requiresHumanSignoff } from "../policy/signoff-policy";
import {
  ApprovalRequestSchema,
  ApprovalSchema,
  ExternalRefSchema,
  FindingSchema,
  RunResultSchema,
  StatusSchema,
  WorkloadIdentitySchema,
  type Approval,
  type ApprovalRequest,
  type Finding,
  type RunResult,
  type Status,
  type WorkloadIdentity,
} from "../schemas";
import type { RunState } from "./run-state";
import { EffectsAborted, executePlan, type ExecutedPlan } from "./execute-plan";
import { runEffect } from "./side-effects";

const SERVICE_NAME = "RemediationWorkflow";
const refSerde = restate.serde.schema(ExternalRefSchema);
const approvalPromise = (ctx: restate.WorkflowSharedContext<RunState>) =>
  ctx.promise<Approval>("approval", restate.serde.schema(ApprovalSchema));
const nowIso = async (ctx: restate.WorkflowSharedContext<RunState>) => new Date(await ctx.date.now()).toISOString();
const noRun = (key: string) =>
  new restate.TerminalError(`No remediation run for finding "${key}": submit it first with POST /${SERVICE_NAME}/${key}/run.`, {
    errorCode: 404,
  });

async function run(ctx: restate.WorkflowContext<RunState>, finding: Finding): Promise<RunResult> {
  if (finding.id !== ctx.key) {
    throw new restate.TerminalError(
      `Finding id "${finding.id}" does not match the workflow key "${ctx.key}": submit it to /${SERVICE_NAME}/${finding.id}/run.`,
      { errorCode: 400 },
    );
  }
  ctx.set("finding", finding);
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
  if (signoff.required) {
    // Stage last: a reader that sees "awaiting-approval" also sees since when.
    ctx.set("awaitingApprovalSince", await nowIso(ctx));
    ctx.set("stage", "awaiting-approval");
    approval = await approvalPromise(ctx).get();
    ctx.set("approval", approval);
    if (!approval.approved) {
      await finish("rejected", { signoff, approval });
      return { findingId: finding.id, outcome: "rejected", attempts: ladder.attempts, approval, ticket: null, pullRequest: null };
    }
  }

  ctx.set("stage", "executing");
  let executed: ExecutedPlan;
  try {
    executed = await executePlan(ctx, finding, plan, key);
  } catch (error) {
    if (!(error instanceof EffectsAborted)) throw error;
    ctx.set("failure", error.message);
    await finish("failed", { signoff, approval, plan, failure: error.message, compensated: error.compensated });
    throw error;
  }
  const { ticket, pullRequest } = executed;

  await finish("completed", { signoff, approval, plan, ticket, pullRequest });
  return { findingId: finding.id, outcome: "completed", attempts: ladder.attempts, approval, ticket, pullRequest };
}

async function approve(ctx: restate.WorkflowSharedContext<RunState>, request: ApprovalRequest): Promise<Approval> {
  const stage = await ctx.get("stage");
  if (!stage) throw noRun(ctx.key);
  const earlier = await approvalPromise(ctx).peek();
  if (earlier) {
    throw new restate.TerminalError(
      `Finding "${ctx.key}" was already ${earlier.approved ? "approved" : "rejected"} by ${earlier.approver} at ${earlier.decidedAt}.`,
      { errorCode: 409 },
    );
  }
  if (stage !== "awaiting-approval") {
    throw new restate.TerminalError(
      `Finding "${ctx.key}" is not waiting for sign-off (stage: ${stage}); a sign-off counts only once the judge accepted a plan and the policy gate asks for it.`,
      { errorCode: 409 },
    );
  }
  const approval: Approval = { ...request, decidedAt: await nowIso(ctx) };
  await approvalPromise(ctx).resolve(approval);
  return approval;
}

async function status(ctx: restate.WorkflowSharedContext<RunState>): Promise<Status> {
  const finding = await ctx.get("finding");
  if (!finding) throw noRun(ctx.key);
  return {
    findingId: ctx.key,
    finding,
    stage: (await ctx.get("stage")) ?? "received",
    currentRung: (await ctx.get("currentRung")) ?? null,
    attempts: (await ctx.get("attempts")) ?? [],
    plans: (await ctx.get("plans")) ?? [],
    verdicts: (await ctx.get("verdicts")) ?? [],
    verdict: (await ctx.get("verdict")) ?? null,
    signoff: (await ctx.get("signoff")) ?? null,
    awaitingApprovalSince: (await ctx.get("awaitingApprovalSince")) ?? null,
    approval: (await ctx.get("approval")) ?? null,
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
      { input: restate.serde.schema(FindingSchema), output: restate.serde.schema(RunResultSchema) },
      run,
    ),
    approve: restate.handlers.workflow.shared(
      { input: restate.serde.schema(ApprovalRequestSchema), output: restate.serde.schema(ApprovalSchema) },
      approve,
    ),
    // A read: nothing to audit, so its own invocation's journal is not kept (the console polls it).
    status: restate.handlers.workflow.shared({ output: restate.serde.schema(StatusSchema), journalRetention: 0 }, status),
  },
  options: { workflowRetention: { days: 30 }, journalRetention: { days: 30 } },
});

export type RemediationWorkflow = typeof remediationWorkflow;
