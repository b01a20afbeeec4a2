// The product's API: every shape that crosses a Restate handler or the console's routes.
// Handlers use these as serdes, the console validates with them, types come from z.infer.
import { z } from "zod";
import { FINDING_ID_PATTERN, INVOCATION_ID_PATTERN, REPO_PATTERN } from "./ids";
import { FINISHED_STAGES, SEVERITIES, STAGES } from "./vocabulary";
import { GateDeadlinePolicySchema, MatchedRuleSchema } from "./policy";

export { FINISHED_STAGES, SEVERITIES, STAGES };

export { FINDING_ID_PATTERN, INVOCATION_ID_PATTERN, REPO_PATTERN };

/** "x is required" when the field is absent, the given message when it has the wrong type or value. */
const fieldError = (field: string, wrong: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? `${field} is required` : wrong),
});

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}`;
/** C0 and C1 controls and DEL; a multi-line field keeps tab and line breaks. Matching them is the point here. */
/* eslint-disable no-control-regex */
const CONTROL_CHAR = /[\u0000-\u001F\u007F-\u009F]/u;
const CONTROL_CHAR_EXCEPT_LINES = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/* eslint-enable no-control-regex */
/** Bidirectional embeddings, overrides and isolates: they make text read differently from what it is ("Trojan Source"). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** What renders as nothing: white space and default-ignorable characters (zero-width space and joiners, BOM, soft hyphen...). */
const INVISIBLE = /[\p{White_Space}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * Free text that people read (in the console, tickets, PRs): refuses control characters, bidi controls
 * and text that is only invisible characters, with a message naming the field and the character.
 */
function readableText(field: string, options: { multiline: boolean }) {
  return (text: string, ctx: z.RefinementCtx) => {
    const control = (options.multiline ? CONTROL_CHAR_EXCEPT_LINES : CONTROL_CHAR).exec(text)?.[0];
    if (control !== undefined) {
      ctx.addIssue({ code: "custom", message: `${field} must not contain control characters (found ${codePoint(control)})` });
      return;
    }
    const bidi = BIDI_CONTROL.exec(text)?.[0];
    if (bidi !== undefined) {
      ctx.addIssue({ code: "custom", message: `${field} must not contain bidirectional override or isolate characters (found ${codePoint(bidi)})` });
      return;
    }
    if (text.length > 0 && text.replace(INVISIBLE, "") === "") {
      ctx.addIssue({ code: "custom", message: `${field} must contain visible text, not only invisible or zero-width characters` });
    }
  };
}

export const FindingSchema = z
  .object({
    id: z
      .string(fieldError("id", "id must be a string"))
      .regex(FINDING_ID_PATTERN, "id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
    source: z
      .string(fieldError("source", "source must be a string"))
      .trim()
      .min(1, "source must not be empty")
      .max(64, "source must be at most 64 characters")
      .superRefine(readableText("source", { multiline: false })),
    severity: z.enum(SEVERITIES, fieldError("severity", "severity must be one of: low, medium, high, critical")),
    description: z
      .string(fieldError("description", "description must be a string"))
      .trim()
      .min(1, "description must not be empty")
      .max(2000, "description must be at most 2000 characters")
      .superRefine(readableText("description", { multiline: true })),
    repo: z
      .string(fieldError("repo", "repo must be a string"))
      .regex(REPO_PATTERN, "repo must be 1-100 letters, digits, '.', '_', '/' or '-', starting with a letter or digit"),
  })
  .strict();
export type Finding = z.infer<typeof FindingSchema>;
export type Severity = Finding["severity"];

export const PlanStepSchema = z.object({
  repo: z.string(),
  description: z.string(),
  command: z.string().optional(),
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

/** The code change a plan proposes, as its agent made it in a scratch workspace. */
export const PlanChangeSchema = z.object({
  /** The revision of the repository the diff applies to. */
  baseRevision: z.string().min(1),
  /** Paths the diff touches, relative to the repository root. */
  files: z.array(z.string().min(1)),
  /** A unified diff (`git diff` output). */
  diff: z.string(),
  /** The repository's test command as the agent last ran it in its workspace, after the change. */
  tests: z
    .object({
      command: z.string(),
      exitCode: z.number().int().nullable(),
      passed: z.boolean(),
      /** The end of its output, capped. */
      output: z.string(),
    })
    .optional(),
});
export type PlanChange = z.infer<typeof PlanChangeSchema>;

/** Tokens and cost of model calls (a call, a rung, a run): what the provider reported, priced by the configured table. */
export const UsageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  modelCalls: z.number().int().min(0),
  /** In US dollars; null when the price table has no entry for a model used. */
  costUsd: z.number().min(0).nullable(),
});
export type Usage = z.infer<typeof UsageSchema>;

/** One tool call of an executor agent, as the console lists it under the rung. */
export const ToolCallRecordSchema = z.object({
  turn: z.number().int().min(1),
  tool: z.string(),
  /** The call's input, shortened for display. */
  input: z.string(),
  isError: z.boolean(),
  /** The start of the tool's result, capped. */
  output: z.string(),
});
export type ToolCallRecord = z.infer<typeof ToolCallRecordSchema>;

export const PlanSchema = z.object({
  agent: z.string(),
  promptVersion: z.string(),
  summary: z.string(),
  steps: z.array(PlanStepSchema),
  rollback: z.array(z.string()),
  confidence: z.number().min(0).max(1),
  ticket: z.object({ title: z.string(), body: z.string() }),
  pullRequest: z.object({ title: z.string(), branch: z.string(), body: z.string() }),
  /** Absent when the agent only describes the fix. */
  change: PlanChangeSchema.optional(),
  /** Set when no workspace could be opened (no code host has the repository): the plan only describes the fix. */
  noWorkspace: z.string().optional(),
});
export type Plan = z.infer<typeof PlanSchema>;

export const ExecutorRequestSchema = z.object({
  finding: FindingSchema,
  /** Reasons earlier rungs were rejected, so the next agent can steer clear of them. */
  priorRejections: z.array(z.string()),
});
export type ExecutorRequest = z.infer<typeof ExecutorRequestSchema>;

export const JudgeCheckSchema = z.object({
  name: z.string(),
  passed: z.boolean(),
  reason: z.string(),
  /** The plan text that made a check fail. */
  evidence: z.string().optional(),
});
export type JudgeCheck = z.infer<typeof JudgeCheckSchema>;

export const VerdictSchema = z.object({
  agent: z.string(),
  approved: z.boolean(),
  /** Share of checks passed, weighted by the plan's own confidence: 0..1. */
  score: z.number().min(0).max(1),
  reason: z.string(),
  checks: z.array(JudgeCheckSchema),
  judgeModel: z.string(),
  commentary: z.string(),
  judgedAt: z.string(),
  /** The judge model's calls for this verdict; absent for the stub judge. */
  usage: UsageSchema.optional(),
});
export type Verdict = z.infer<typeof VerdictSchema>;

export const ATTEMPT_RESULTS = ["accepted", "rejected", "timed-out", "failed"] as const;
export const AttemptSchema = z.object({
  rung: z.number().int().min(1),
  agent: z.string(),
  subAgentInvocationId: z.string(),
  /** The seed's audit string: "accepted", "rejected: <judge reason>", "timed out after N ms: cancelled", "failed: ...". */
  outcome: z.string(),
  result: z.enum(ATTEMPT_RESULTS),
  reason: z.string().optional(),
  startedAt: z.string(),
  endedAt: z.string(),
  durationMs: z.number(),
  /** The rung's model calls; absent when its agent used no model (the stubs). */
  usage: UsageSchema.optional(),
  /** The rung's tool calls in its workspace, in order (capped). */
  toolCalls: z.array(ToolCallRecordSchema).optional(),
});
export type Attempt = z.infer<typeof AttemptSchema>;

export const SignoffDecisionSchema = z.object({
  required: z.boolean(),
  reasons: z.array(z.string()),
  /** How many different approvers must approve (2 for critical findings). */
  approvalsRequired: z.number().int().min(0).default(1),
  /** The policy rule that decided, and why it matched (absent on runs gated before policy files). */
  rule: MatchedRuleSchema.optional(),
  /** The groups whose members may approve; absent: any operator with the approver role. */
  approverGroups: z.array(z.string()).optional(),
  /** The gate's deadline from its rule; absent: the gate waits as long as it takes. */
  deadline: GateDeadlinePolicySchema.optional(),
});
export type SignoffDecision = z.infer<typeof SignoffDecisionSchema>;

/** A gate's deadline as the run records it when the gate opens (state key `deadline`), see ./gate-deadline.ts. */
export const GateDeadlineSchema = z.object({
  /** Reminders lead up to it; the escalation group is asked at it. */
  dueAt: z.string(),
  /** The run expires here, undecided: dueAt plus the escalation group's grace (dueAt without escalation). */
  finalDueAt: z.string(),
  /** When the escalation group was asked; from then on its members may decide too. */
  escalatedAt: z.string().optional(),
  /** When each reminder went out, in order. */
  remindersSent: z.array(z.string()),
});
export type GateDeadlineState = z.infer<typeof GateDeadlineSchema>;

/**
 * What a caller sends to `approve`: the decision and the console's signature over it. The signature
 * fields are optional in the shape so that an unsigned attempt reaches the handler, is refused with a
 * clear message and lands in the run's sign-off attempts, instead of vanishing as a 400.
 */
export const ApprovalRequestSchema = z
  .object({
    approved: z.boolean(fieldError("approved", "approved must be true or false")),
    approver: z
      .string(fieldError("approver", "approver must be a string"))
      .trim()
      .min(1, "approver must not be empty")
      .max(200, "approver must be at most 200 characters"),
    /** The approver's groups, signed with the rest: the gate counts a decision only from its eligible groups. */
    approverGroups: z.array(z.string().max(64)).max(100, "approverGroups must have at most 100 groups").optional(),
    comment: z.string().trim().max(2000, "comment must be at most 2000 characters").optional(),
    /** The finding the console signed this decision for. */
    findingId: z.string().max(64).optional(),
    /** The gate the console signed it for (status.gateId when the operator decided). */
    gateId: z.string().max(64).optional(),
    issuedAt: z.string().max(40).optional(),
    nonce: z.string().max(64).optional(),
    signature: z.string().max(128).optional(),
  })
  .strict();
export type ApprovalRequest = z.infer<typeof ApprovalRequestSchema>;

/** What a caller sends to `cancel`: who stops the run and why, and the console's signature over it. */
export const CancelRequestSchema = z
  .object({
    by: z.string().trim().min(1).max(200),
    reason: z.string().trim().min(1, "reason must not be empty").max(500, "reason must be at most 500 characters"),
    findingId: z.string().max(64),
    issuedAt: z.string().max(40),
    nonce: z.string().min(1).max(64),
    signature: z.string().max(128),
  })
  .strict();
export type CancelRequest = z.infer<typeof CancelRequestSchema>;

/** An operator's accepted cancel request: the run's `cancelled` state and the audit record's. */
export const CancellationSchema = z.object({ by: z.string(), reason: z.string(), at: z.string() });
export type Cancellation = z.infer<typeof CancellationSchema>;

/** What a durable approval promise carries once a human decided: the signed claim, kept for auditors. */
export const ApprovalSchema = z.object({
  approved: z.boolean(),
  approver: z.string(),
  /** The approver's groups, as the console signed them (absent on runs decided before groups). */
  approverGroups: z.array(z.string()).optional(),
  comment: z.string().optional(),
  decidedAt: z.string(),
  /** The gate it decided, and which of its approvals it was (1-based). */
  gateId: z.string().optional(),
  n: z.number().int().min(1).optional(),
  /** The console's signed claim (kept for the audit record; left out of `status`, which anyone on the ingress can read). */
  issuedAt: z.string().optional(),
  nonce: z.string().optional(),
  signature: z.string().optional(),
  /** The services' signature over the accepted decision (see restate/identity/record-signatures.ts). */
  attestation: z.string().optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

/** Every call to `approve` on an existing run, accepted or refused: the gate's own audit trail. */
export const SignoffAttemptSchema = z.object({
  at: z.string(),
  /** Who the request claimed to be (for a refused attempt, a claim nobody vouched for). */
  approver: z.string(),
  approved: z.boolean(),
  accepted: z.boolean(),
  /** Why it was refused; for an accepted one, which approval it was ("approval 1 of 2"). */
  reason: z.string(),
  signed: z.boolean(),
  /** Position in the run's trail (1-based, never reused): a gap means entries were removed. */
  seq: z.number().int().min(1).optional(),
  /** The previous entry's signature: each entry's signature covers it, so the entries form a chain. */
  previous: z.string().nullable().optional(),
  /** The services' signature over the entry (see restate/identity/record-signatures.ts). */
  attestation: z.string().optional(),
});
export type SignoffAttempt = z.infer<typeof SignoffAttemptSchema>;

/**
 * Attempts nobody vouched for (no valid signature, nobody signed in): counted, and the latest few kept,
 * apart from the trail, so a flood of them can never push a real entry out.
 */
export const UncredentialedAttemptsSchema = z.object({
  count: z.number().int().min(0),
  recent: z.array(SignoffAttemptSchema),
});
export type UncredentialedAttempts = z.infer<typeof UncredentialedAttemptsSchema>;

/** The whole sign-off trail of a run, as SignoffAttempts keeps it. */
export const SignoffTrailSchema = z.object({
  attempts: z.array(SignoffAttemptSchema),
  /** Trail entries dropped past the cap (oldest first); shown so nothing disappears silently. */
  dropped: z.number().int().min(0),
  uncredentialed: UncredentialedAttemptsSchema,
});
export type SignoffTrail = z.infer<typeof SignoffTrailSchema>;
/** The trail of a run nobody has signed off yet. */
export const NO_SIGNOFF_TRAIL: SignoffTrail = { attempts: [], dropped: 0, uncredentialed: { count: 0, recent: [] } };

/** A sign-off the console refused itself (no session, wrong role), signed by the console for the run's trail. */
export const RefusedSignoffSchema = z
  .object({
    findingId: z.string().max(64),
    approver: z.string().max(200),
    identified: z.boolean(),
    approved: z.boolean(),
    reason: z.string().max(500),
    issuedAt: z.string().max(40),
    nonce: z.string().max(64),
    signature: z.string().max(128),
  })
  .strict();
export type RefusedSignoff = z.infer<typeof RefusedSignoffSchema>;

/** The console's signed statement of who submitted a finding (see restate/identity/signed-claims.ts). */
export const SubmissionClaimSchema = z
  .object({
    submittedBy: z.string().trim().min(1).max(200),
    issuedAt: z.string().max(40),
    signature: z.string().max(128),
  })
  .strict();
export type SubmissionClaimInput = z.infer<typeof SubmissionClaimSchema>;

/** The input of `run`: the finding, plus the console's signed submitter when it came through the console. */
export const RunRequestSchema = FindingSchema.extend({ submission: SubmissionClaimSchema.optional() }).strict();
export type RunRequest = z.infer<typeof RunRequestSchema>;

/** Who a finding submitted straight to the ingress, without a signed submitter, is recorded as. */
export const UNAUTHENTICATED_SUBMITTER = "ingress (unauthenticated)";

export const WorkloadIdentitySchema = z.object({
  service: z.string(),
  findingId: z.string(),
  invocationId: z.string(),
  /** The Restate deployment this invocation is pinned to, when the admin API could tell. */
  deploymentId: z.string().nullable(),
  /** Hash of the service code that ran: identifies the code even without the admin API. */
  codeRevision: z.string(),
  promptVersion: z.string(),
  recordedAt: z.string(),
});
export type WorkloadIdentity = z.infer<typeof WorkloadIdentitySchema>;

export const ExternalRefSchema = z.object({
  system: z.string(),
  id: z.string(),
  url: z.string().optional(),
});
export type ExternalRef = z.infer<typeof ExternalRefSchema>;

export const StageSchema = z.enum(STAGES);
export type Stage = z.infer<typeof StageSchema>;

export const PlanRecordSchema = z.object({ rung: z.number(), plan: PlanSchema });
export type PlanRecord = z.infer<typeof PlanRecordSchema>;

/**
 * The run's durable state: one Restate state key per field, each with the value `status` shows while
 * the run has not written it. `status` returns every key, so a field added here is in the state's
 * type, in `status` and in the console's placeholder for a run just submitted.
 */
export const RunStateSchema = z.object({
  finding: FindingSchema,
  stage: StageSchema.default("received"),
  currentRung: z.string().nullable().default(null),
  attempts: z.array(AttemptSchema).default(() => []),
  plans: z.array(PlanRecordSchema).default(() => []),
  verdicts: z.array(VerdictSchema).default(() => []),
  verdict: VerdictSchema.nullable().default(null),
  signoff: SignoffDecisionSchema.nullable().default(null),
  awaitingApprovalSince: z.string().nullable().default(null),
  /** The gate the run waits at (set when it opens): a sign-off is signed for this id. */
  gateId: z.string().nullable().default(null),
  /** The gate's deadline, when its rule gives one (set as the gate opens). */
  deadline: GateDeadlineSchema.nullable().default(null),
  /** The last decision at the gate (the one that let the run on, or the rejection). */
  approval: ApprovalSchema.nullable().default(null),
  /** Every accepted decision, in order. */
  approvals: z.array(ApprovalSchema).default(() => []),
  submittedBy: z.string().nullable().default(null),
  /** The services' signature over the submitter (see restate/identity/record-signatures.ts). */
  submittedByAttestation: z.string().nullable().default(null),
  identity: WorkloadIdentitySchema.nullable().default(null),
  ticket: ExternalRefSchema.nullable().default(null),
  pullRequest: ExternalRefSchema.nullable().default(null),
  notification: ExternalRefSchema.nullable().default(null),
  evalExport: ExternalRefSchema.nullable().default(null),
  auditRecord: ExternalRefSchema.nullable().default(null),
  failure: z.string().nullable().default(null),
  /** Who cancelled the run from the console, and why (the run then ends as failed). */
  cancelled: CancellationSchema.nullable().default(null),
  startedAt: z.string().nullable().default(null),
  /** When it was submitted: the console's signed time, else when the workflow began; the run list's order. */
  submittedAt: z.string().nullable().default(null),
  endedAt: z.string().nullable().default(null),
});
export type RunState = z.infer<typeof RunStateSchema>;
export const RUN_STATE_KEYS = Object.keys(RunStateSchema.shape) as (keyof RunState)[];

/** What `status` answers: the whole run state (approvals without the console's claim) and the sign-off trail. */
export const StatusSchema = z.object({
  findingId: z.string(),
  ...RunStateSchema.shape,
  signoffAttempts: z.array(SignoffAttemptSchema),
  signoffAttemptsDropped: z.number().int().min(0),
  uncredentialedAttempts: UncredentialedAttemptsSchema,
});
export type Status = z.infer<typeof StatusSchema>;

const UnwrittenStateSchema = RunStateSchema.omit({ finding: true });

/** The run's state keys as Restate hands them out: null for a key the run has not written. */
export type WrittenRunState = { [K in keyof RunState]: RunState[K] | null };

/** A run's status from its state keys (an unwritten one reads as its default) and its sign-off trail. */
export function runStatus(findingId: string, state: Partial<WrittenRunState> & Pick<RunState, "finding">, trail = NO_SIGNOFF_TRAIL): Status {
  const written = Object.fromEntries(Object.entries(state).filter(([, value]) => value !== null && value !== undefined));
  return {
    findingId,
    ...UnwrittenStateSchema.parse({}),
    ...written,
    finding: state.finding,
    signoffAttempts: trail.attempts,
    signoffAttemptsDropped: trail.dropped,
    uncredentialedAttempts: trail.uncredentialed,
  };
}

export const AUDIT_OUTCOMES = ["completed", "rejected", "expired", "exhausted", "failed", "cancelled"] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * The audit record exported when a run ends, however it ends: the product's key artifact. What the
 * run reached is in it: the gate's fields once the judge accepted a plan, the plan and its effects
 * once it executed, `failure` when it did not finish. The services sign it (`attestation`, over the
 * canonical JSON of the rest), so `npm run audit -- verify` can re-check it offline.
 */
export const AuditRecordSchema = z
  .object({
    outcome: z.enum(AUDIT_OUTCOMES),
    identity: WorkloadIdentitySchema,
    finding: FindingSchema,
    submittedBy: z.string(),
    submittedByAttestation: z.string().nullable(),
    attempts: z.array(AttemptSchema),
    verdicts: z.array(VerdictSchema),
    signoff: SignoffDecisionSchema.optional(),
    /** Approvals as decided, with the console's signed claim, so an auditor can re-check them. */
    approval: ApprovalSchema.nullable().optional(),
    approvals: z.array(ApprovalSchema).optional(),
    signoffTrail: SignoffTrailSchema.optional(),
    /** The gate's deadline and what its timers did (reminders, escalation), when its rule gave one. */
    deadline: GateDeadlineSchema.optional(),
    plan: PlanSchema.optional(),
    /** The run's model calls, over every rung and verdict (absent when no model was called). */
    usage: UsageSchema.optional(),
    ticket: ExternalRefSchema.optional(),
    pullRequest: ExternalRefSchema.optional(),
    failure: z.string().optional(),
    /** The effects undone after a side effect failed for good. */
    compensated: z.array(z.string()).optional(),
    /** Who cancelled the run and why, when an operator did. */
    cancelled: CancellationSchema.optional(),
    attestation: z.string().optional(),
  })
  .strict();
export type AuditRecord = z.infer<typeof AuditRecordSchema>;

/** A human decision as the eval dataset keeps it: who decided what, when; the console's claim stays out. */
export const EvalDecisionSchema = z.object({
  signoff: SignoffDecisionSchema,
  approvals: z.array(ApprovalSchema.pick({ approved: true, approver: true, comment: true, decidedAt: true })),
});
export type EvalDecision = z.infer<typeof EvalDecisionSchema>;

/**
 * The eval record exported when a run that walked the ladder ends (eval-record.ts): the finding, every
 * attempt, plan (its change is the diff) and verdict, and the human decision, for offline evaluation.
 */
export const EvalRecordSchema = z
  .object({
    identity: WorkloadIdentitySchema,
    finding: FindingSchema,
    attempts: z.array(AttemptSchema),
    verdicts: z.array(VerdictSchema),
    /** Every rung's plan, with its change (the unified diff) when the agent made one. */
    plans: z.array(PlanRecordSchema),
    /** How the run ended. */
    outcome: z.enum(AUDIT_OUTCOMES),
    /** The gate's rules and every accepted decision; null when the run never reached the gate. */
    decision: EvalDecisionSchema.nullable(),
    /** The run's model calls, over every rung and verdict (absent when no model was called). */
    usage: UsageSchema.optional(),
  })
  .strict();
export type EvalRecord = z.infer<typeof EvalRecordSchema>;

export const RunResultSchema = z.object({
  findingId: z.string(),
  /** "expired": nobody decided before the gate's final deadline, and nothing was executed. */
  outcome: z.enum(["completed", "rejected", "expired"]),
  attempts: z.array(AttemptSchema),
  approval: ApprovalSchema.nullable(),
  approvals: z.array(ApprovalSchema).default([]),
  ticket: ExternalRefSchema.nullable(),
  pullRequest: ExternalRefSchema.nullable(),
});
export type RunResult = z.infer<typeof RunResultSchema>;
