// The policy gate: the run opening it and waiting on its durable approval promises, the handlers that
// decide them (`approve`) or put a console-refused attempt on the trail (`recordRefusedSignoff`), and
// the trail as `status` and the audit record read it.
// A decision counts only when the console signed it for this finding and this gate, its nonce was
// never spent before, the run waits at that gate, and the sign-off rules allow it. Everything else
// is refused, recorded and changes nothing.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters";
import { callAdapterOrWarn, EFFECT_RETRY, isCancellation } from "../adapters/call-adapter";
import { config } from "../config";
import { claimRefusal } from "../identity/claim-verifier";
import { approvalPayload, macMatches, refusalPayload } from "../identity/signed-claims";
import { approvalRecord } from "../identity/record-signatures";
import { attest } from "../identity/services-signer";
import { eligibleGroups, inEligibleGroup } from "../policy/eligible-groups";
import { activePolicy } from "../policy/policy-service";
import { changeFacts, requiresHumanSignoff, signoffRefusal, withUnsignedSubmissionRule } from "../policy/signoff-policy";
import { gateDecided } from "../contracts/gate";
import {
  ApprovalSchema,
  FINISHED_STAGES,
  NO_SIGNOFF_TRAIL,
  SignoffDecisionSchema,
  UNAUTHENTICATED_SUBMITTER,
  type Approval,
  type ApprovalRequest,
  type Finding,
  type GateDeadlineState,
  type Plan,
  type RefusedSignoff,
  type SignoffAttempt,
  type SignoffDecision,
  type SignoffTrail,
  type Stage,
  type Verdict,
} from "../contracts/schemas";
import { GATE_EXPIRED, startGateClock } from "./gate-deadline";
import { noRun, type RunState } from "./run-state";
import { signoffAttempts } from "./signoff-attempts";
import { setStage } from "./indexed-stage";

type GateContext = restate.WorkflowSharedContext<RunState>;

// Serdes built once, not per call: building one derives its JSON schema.
const approvalSerde = restate.serde.schema(ApprovalSchema);
const signoffDecisionSerde = restate.serde.schema(SignoffDecisionSchema);

/** The gate's n-th decision (1-based). The first keeps the name "approval" that runs started before two-approver gates used. */
export const approvalPromise = (ctx: GateContext, n = 1) => ctx.promise<Approval>(n === 1 ? "approval" : `approval-${n}`, approvalSerde);

/** Approvals as anyone on the ingress may read them: the console's claim (signature, nonce) stays out. */
export function publicApproval(approval: Approval): Approval {
  const { signature: _signature, nonce: _nonce, ...rest } = approval;
  return rest;
}

/**
 * The gate, once the judge accepted a plan: decides whether a human must sign off and, if so, opens
 * the gate and waits (suspended) until it is decided. Returns the decision and the approvals in order.
 */
export async function holdAtGate(
  ctx: restate.WorkflowContext<RunState>,
  finding: Finding,
  verdict: Verdict,
  plan: Plan,
): Promise<{ signoff: SignoffDecision; approvals: Approval[]; deadline: GateDeadlineState | null; expired: boolean }> {
  const submittedBy = (await ctx.get("submittedBy")) ?? UNAUTHENTICATED_SUBMITTER;
  // Journaled: a run keeps the decision it got, even if the services restart with another policy file.
  const signoff = await ctx.run(
    "apply sign-off policy",
    () =>
      withUnsignedSubmissionRule(
        requiresHumanSignoff(finding, verdict, changeFacts(plan), activePolicy()),
        submittedBy === UNAUTHENTICATED_SUBMITTER,
        config.UNSIGNED_SUBMISSIONS,
      ),
    { serde: signoffDecisionSerde },
  );
  ctx.set("signoff", signoff);
  const approvals: Approval[] = [];
  if (!signoff.required) return { signoff, approvals, deadline: null, expired: false };
  // Stage last: a reader that sees "awaiting-approval" also sees since when, which gate and its deadline.
  const openedAt = await ctx.date.now();
  ctx.set("awaitingApprovalSince", new Date(openedAt).toISOString());
  // A sign-off is signed for this id: one made before the gate opened cannot decide it.
  const gateId = ctx.rand.uuidv4();
  ctx.set("gateId", gateId);
  const runUrl = runPageUrl(finding.id);
  const clock = signoff.deadline
    ? startGateClock(ctx, {
        finding,
        gateId,
        policy: signoff.deadline,
        openedAt,
        ...(signoff.approverGroups ? { approverGroups: signoff.approverGroups } : {}),
        ...(runUrl ? { runUrl } : {}),
      })
    : null;
  await setStage(ctx, "awaiting-approval");
  await askApprovers(ctx, finding, signoff.reasons, gateId);
  // `approve` checks who may decide; a critical finding waits for two different approvers.
  while (!gateDecided(approvals, signoff.approvalsRequired)) {
    const next = approvalPromise(ctx, approvals.length + 1);
    const approval = clock ? await clock.nextDecision(next) : await next.get();
    if (!approval) return { signoff, approvals, deadline: clock!.state, expired: true };
    approvals.push(approval);
    ctx.set("approvals", approvals);
    ctx.set("approval", approval);
  }
  return { signoff, approvals, deadline: clock?.state ?? null, expired: false };
}

/** The run's page in the console, for messages; undefined when CONSOLE_URL is not set. */
function runPageUrl(findingId: string): string | undefined {
  return config.CONSOLE_URL ? `${config.CONSOLE_URL.replace(/\/+$/, "")}/findings/${encodeURIComponent(findingId)}` : undefined;
}

/**
 * The message to approvers, with buttons, where the chat can carry them (Slack): one journaled step. A
 * message that cannot be posted leaves the gate open as it is; the console's inbox still lists it.
 */
async function askApprovers(ctx: restate.WorkflowContext<RunState>, finding: Finding, reasons: string[], gateId: string): Promise<void> {
  const chat = adapters.chat;
  if (!chat.requestApproval) return;
  const runUrl = runPageUrl(finding.id);
  await callAdapterOrWarn(
    ctx,
    "ask approvers",
    () => chat.requestApproval!({ idempotencyKey: `${ctx.request().id}/approval-request-${gateId}`, finding, gateId, reasons, ...(runUrl ? { runUrl } : {}) }),
    { retry: EFFECT_RETRY },
    `could not ask the approvers in chat for ${finding.id}`,
  );
}

/** Every sign-off attempt of the run, refused ones included: the audit record carries it. */
export const signoffTrail = async (ctx: GateContext): Promise<SignoffTrail> => await ctx.objectClient(signoffAttempts, ctx.key).list();

/**
 * The trail for `status`, read once the gate matters: at a gate that asks for a human, or after the
 * run ended. While the agents are still planning (when the console polls the most) a run has no gate
 * to show, and `status` saves itself the call.
 */
export async function trailForStatus(ctx: GateContext, stage: Stage, signoff: SignoffDecision | null): Promise<SignoffTrail> {
  if (!signoff?.required && !FINISHED_STAGES.includes(stage)) return NO_SIGNOFF_TRAIL;
  return await signoffTrail(ctx);
}

/** A sign-off refused: recorded in the run's trail (or, unvouched, only counted), then answered with the reason. */
function refuse(ctx: GateContext, request: ApprovalRequest, at: string, errorCode: number, reason: string, credentialed: boolean): restate.TerminalError {
  const attempt: SignoffAttempt = { at, approver: request.approver, approved: request.approved, accepted: false, reason, signed: credentialed };
  ctx.objectSendClient(signoffAttempts, ctx.key).record({ ...attempt, credentialed });
  return new restate.TerminalError(`Sign-off refused: ${reason}`, { errorCode });
}

/**
 * Adds to the run's sign-off trail an attempt the console refused itself (nobody signed in, a role that
 * may not sign off), so every attempt is visible with the run. Only the console can sign one, and each
 * signed refusal counts once. Nobody signed in: counted apart from the trail, like unsigned attempts.
 */
export async function recordRefusedSignoff(ctx: GateContext, refusal: RefusedSignoff): Promise<void> {
  if (!(await ctx.get("stage"))) throw noRun(ctx.key);
  const now = await ctx.date.now();
  const { signature, ...claim } = refusal;
  const bad = claimRefusal({ payload: refusalPayload(claim), signature, findingId: claim.findingId, key: ctx.key, issuedAt: claim.issuedAt, now });
  if (bad) throw new restate.TerminalError(`Refusal record refused: ${bad}.`, { errorCode: 401 });
  if (!(await ctx.objectClient(signoffAttempts, ctx.key).spend({ nonce: claim.nonce, issuedAt: claim.issuedAt }))) {
    throw new restate.TerminalError("Refusal record refused: it was recorded already.", { errorCode: 409 });
  }
  ctx.objectSendClient(signoffAttempts, ctx.key).record({
    at: new Date(now).toISOString(),
    approver: claim.approver,
    approved: claim.approved,
    accepted: false,
    reason: `refused by the console: ${claim.reason}`,
    signed: false,
    credentialed: claim.identified,
  });
}

/** Resolves the gate's next approval promise for a decision that passes every check (see the file comment). */
export async function approve(ctx: GateContext, request: ApprovalRequest): Promise<Approval> {
  const stage = await ctx.get("stage");
  if (!stage) throw noRun(ctx.key);
  const now = await ctx.date.now();
  const at = new Date(now).toISOString();

  const secret = config.APPROVAL_SIGNING_SECRET;
  const issuedAt = request.issuedAt ?? "";
  const payload = approvalPayload({
    findingId: request.findingId ?? "",
    gateId: request.gateId ?? "",
    approver: request.approver,
    ...(request.approverGroups ? { approverGroups: request.approverGroups } : {}),
    approved: request.approved,
    comment: request.comment,
    issuedAt,
    nonce: request.nonce ?? "",
  });
  // Only a claim the console really made names someone; anything else is counted, not trailed.
  const credentialed = !!secret && macMatches(secret, payload, request.signature);
  const badSignature = claimRefusal({ payload, signature: request.signature, findingId: request.findingId ?? "", key: ctx.key, issuedAt, now });
  if (badSignature) throw refuse(ctx, request, at, 401, `${badSignature}.`, credentialed);

  // Spent before any other check: a claim refused for any reason (too early, wrong gate, the rules)
  // is dead, and cannot be posted again once the gate opens.
  const fresh = await ctx.objectClient(signoffAttempts, ctx.key).spend({ nonce: request.nonce ?? "", issuedAt });
  if (!fresh) throw refuse(ctx, request, at, 409, "this signed sign-off was already used once; sign off again.", true);

  const signoff = await ctx.get("signoff");
  const required = signoff?.approvalsRequired ?? 1;
  const earlier: Approval[] = [];
  while (!gateDecided(earlier, required)) {
    let decided: Approval | undefined;
    try {
      decided = await approvalPromise(ctx, earlier.length + 1).peek();
    } catch (error) {
      // Only the gate's expiry rejects an approval promise (gate-deadline.ts).
      if (!(error instanceof restate.TerminalError) || isCancellation(error)) throw error;
      throw refuse(ctx, request, at, 409, `finding "${ctx.key}" expired undecided: ${GATE_EXPIRED}.`, true);
    }
    if (!decided) break;
    earlier.push(decided);
  }
  const last = earlier.at(-1);
  if (last && gateDecided(earlier, required)) {
    throw refuse(
      ctx,
      request,
      at,
      409,
      `finding "${ctx.key}" was already ${last.approved ? "approved" : "rejected"} by ${last.approver} at ${last.decidedAt}.`,
      true,
    );
  }
  if (stage !== "awaiting-approval") {
    throw refuse(
      ctx,
      request,
      at,
      409,
      `finding "${ctx.key}" is not waiting for sign-off (stage: ${stage}); a sign-off counts only once the judge accepted a plan and the policy gate asks for it.`,
      true,
    );
  }
  const gateId = (await ctx.get("gateId")) ?? null;
  if (!gateId || request.gateId !== gateId) {
    throw refuse(ctx, request, at, 409, "this sign-off was signed before the gate opened or for another gate; reload the run and sign off again.", true);
  }
  // The rule's groups, and its escalation groups once the deadline escalated the gate (`deadline` state).
  const eligible = eligibleGroups(signoff, await ctx.get("deadline"));
  if (!inEligibleGroup(eligible, request.approverGroups ?? [])) {
    throw refuse(ctx, request, at, 403, `${request.approver} is not in the groups that may approve this gate (${eligible!.join(", ")}).`, true);
  }
  const policy = signoffRefusal({
    approver: request.approver,
    approved: request.approved,
    comment: request.comment,
    submittedBy: (await ctx.get("submittedBy")) ?? UNAUTHENTICATED_SUBMITTER,
    earlier,
  });
  if (policy) throw refuse(ctx, request, at, 403, policy, true);

  const n = earlier.length + 1;
  const decision: Approval = {
    approved: request.approved,
    approver: request.approver,
    ...(request.approverGroups ? { approverGroups: request.approverGroups } : {}),
    ...(request.comment ? { comment: request.comment } : {}),
    decidedAt: at,
    gateId,
    n,
    issuedAt,
    nonce: request.nonce,
    signature: request.signature,
  };
  const attestation = attest("approval", ctx.key, approvalRecord(decision));
  const approval: Approval = attestation ? { ...decision, attestation } : decision;
  try {
    await approvalPromise(ctx, n).resolve(approval);
  } catch (error) {
    // Two approvers at the same moment, or the gate's expiry: one settles the promise, the other lands
    // here, whatever code the engine gives the failed resolve. Its attempt still goes on the trail, with why.
    if (!(error instanceof restate.TerminalError)) throw error;
    const expired = await approvalPromise(ctx, n)
      .peek()
      .then(
        () => false,
        (failure: unknown) => failure instanceof restate.TerminalError,
      );
    throw refuse(
      ctx,
      request,
      at,
      409,
      expired
        ? `finding "${ctx.key}" expired undecided: ${GATE_EXPIRED}.`
        : `another sign-off for approval ${n} landed at the same moment; reload the run to see it.`,
      true,
    );
  }
  ctx.objectSendClient(signoffAttempts, ctx.key).record({
    at,
    approver: request.approver,
    approved: request.approved,
    accepted: true,
    reason: `${request.approved ? "approval" : "rejection"} ${n} of ${required}`,
    signed: true,
    credentialed: true,
  });
  return publicApproval(approval);
}
