// The console's JSON API: the shapes route handlers return and the browser parses.
// Shared by app/api (server) and the react-query hooks (client); no server-only imports here.
import { z } from "zod";
import { OperatorViewSchema } from "@/lib/auth/roles";
import { LISTED_STAGES, type ListedStage } from "@/restate/contracts/vocabulary";
import { FINDING_ID_PATTERN } from "@/restate/contracts/ids";
import { PullRequestListSchema } from "@/restate/contracts/pull-requests";
import {
  ApprovalSchema,
  AttemptSchema,
  CancellationSchema,
  FindingSchema,
  SEVERITIES,
  STAGES,
  StageSchema,
  StatusSchema,
  ToolCallRecordSchema,
  UsageSchema,
} from "@/restate/contracts/schemas";

export { FindingSchema, StageSchema, STAGES, SEVERITIES };
export { ConnectionTestSchema, IntegrationsOverviewSchema, PORT_NAMES, type ConnectionTest, type IntegrationsOverview } from "@/restate/contracts/integrations";

/** The one error envelope of every route. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.enum([
      "bad_request",
      "invalid_input",
      "unauthorized",
      "forbidden",
      "not_found",
      "conflict",
      "method_not_allowed",
      "payload_too_large",
      "too_many_requests",
      "upstream_unavailable",
      "internal",
    ]),
    message: z.string(),
    /** Field-level problems for invalid_input: path → message. */
    fields: z.record(z.string(), z.string()).optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;
export type ApiErrorCode = ApiError["error"]["code"];

// POST /api/findings
export const SubmitFindingResponseSchema = z.object({
  findingId: z.string(),
  invocationId: z.string(),
  /** "existing" when a run for this id was already there: resubmitting never starts a second run. */
  submission: z.enum(["started", "existing"]),
});
export type SubmitFindingResponse = z.infer<typeof SubmitFindingResponseSchema>;

export { LISTED_STAGES, type ListedStage };
export const ListedStageSchema = z.enum(LISTED_STAGES);

// GET /api/findings?stage=&severity=&cursor=&limit=
export const FindingListQuerySchema = z.object({
  stage: ListedStageSchema.optional(),
  severity: z.enum(SEVERITIES).optional(),
  /** Opaque cursor from the previous page's nextCursor. */
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type FindingListQuery = z.infer<typeof FindingListQuerySchema>;

export const VerdictSummarySchema = z.object({
  agent: z.string(),
  approved: z.boolean(),
  reason: z.string(),
  score: z.number(),
});

export const FindingSummarySchema = z.object({
  id: z.string(),
  invocationId: z.string(),
  severity: z.enum(SEVERITIES).nullable(),
  repo: z.string().nullable(),
  source: z.string().nullable(),
  description: z.string().nullable(),
  /** Business stage from workflow state, or "refused"; null while a new run has not recorded its stage yet. */
  stage: ListedStageSchema.nullable(),
  /** Why the workflow refused the submission (its validation message), for a "refused" run only. */
  refusal: z.string().nullable(),
  /** The engine's view of the run invocation: running, suspended, completed... */
  invocationStatus: z.string(),
  currentRung: z.string().nullable(),
  lastVerdict: VerdictSummarySchema.nullable(),
  waitingSince: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
});
export type FindingSummary = z.infer<typeof FindingSummarySchema>;

export const FindingListResponseSchema = z.object({
  items: z.array(FindingSummarySchema),
  nextCursor: z.string().nullable(),
  /** Runs waiting at the policy gate, over all pages and filters. */
  waitingForSignoff: z.number(),
});
export type FindingListResponse = z.infer<typeof FindingListResponseSchema>;

// GET /api/findings/{id}
export const InvocationSummarySchema = z.object({
  id: z.string(),
  target: z.string(),
  status: z.string(),
  completionResult: z.string().nullable(),
  completionFailure: z.string().nullable(),
  deploymentId: z.string().nullable(),
  createdAt: z.string(),
  completedAt: z.string().nullable(),
});
export type InvocationSummary = z.infer<typeof InvocationSummarySchema>;

export const LadderRungSchema = z.object({
  rung: z.number(),
  agent: z.string(),
  state: z.enum(["accepted", "rejected", "timed-out", "failed", "running", "not-reached"]),
  outcome: z.string().nullable(),
  reason: z.string().nullable(),
  durationMs: z.number().nullable(),
  subAgentInvocationId: z.string().nullable(),
  /** The engine's end state of that sub-agent invocation (e.g. "[409] Cancelled"). */
  invocation: InvocationSummarySchema.nullable(),
  /** The rung's model calls once decided; null while running, or when its agent called no model (the stubs). */
  usage: UsageSchema.nullable(),
  /** The rung's tool calls in its workspace, once decided (the first ones, shortened). */
  toolCalls: z.array(ToolCallRecordSchema),
});
export type LadderRung = z.infer<typeof LadderRungSchema>;

/** Whether the run's signed records (submitter, approvals, sign-off trail) verify with the services' key. */
export const IntegritySchema = z.object({
  /**
   * verified: every signed record checks out; tampered: a signature does not verify, or the trail was cut;
   * unsigned: none of its records carries a signature (it ran before record signing was on, or they were
   * all removed); unchecked: the console has no key to check with.
   */
  state: z.enum(["verified", "tampered", "unsigned", "unchecked"]),
  /** What does not verify, in words an operator can act on. */
  problems: z.array(z.string()),
  /** How many signed records were checked. */
  checked: z.number().int().min(0),
});
export type Integrity = z.infer<typeof IntegritySchema>;

export const FindingDetailSchema = z.object({
  status: StatusSchema,
  ladder: z.array(LadderRungSchema),
  workflowInvocation: InvocationSummarySchema.nullable(),
  /** Deep link into Restate's own UI for the workflow invocation: admins only, when the admin URL is browsable. */
  restateUiUrl: z.string().nullable(),
  integrity: IntegritySchema,
});
export type FindingDetail = z.infer<typeof FindingDetailSchema>;

// POST /api/findings/{id}/approval
export const ApprovalInputSchema = z
  .object({
    approved: z.boolean({ error: "approved must be true or false" }),
    comment: z.string().trim().max(2000, "comment must be at most 2000 characters").optional(),
    // No approver field: the approver is the signed-in operator (an `approver` in the body is refused).
  })
  .strict();
export type ApprovalInput = z.infer<typeof ApprovalInputSchema>;
export const ApprovalResponseSchema = ApprovalSchema;

// POST /api/findings/{id}/cancel
export const CancelInputSchema = z
  .object({
    reason: z.string({ error: "reason must be a string" }).trim().min(1, "reason must not be empty").max(500, "reason must be at most 500 characters"),
    // No canceller field: the run is cancelled by the signed-in operator.
  })
  .strict();
export type CancelInput = z.infer<typeof CancelInputSchema>;
export const CancelResponseSchema = CancellationSchema;

// GET /api/approvals
export const ApprovalInboxItemSchema = z.object({
  findingId: z.string(),
  severity: z.enum(SEVERITIES).nullable(),
  repo: z.string().nullable(),
  description: z.string().nullable(),
  waitingSince: z.string(),
  reasons: z.array(z.string()),
  /** The gate's deadline (restate/contracts/gate-deadline.ts) and who is asked once it passes; null without one. */
  deadline: z
    .object({
      dueAt: z.string(),
      finalDueAt: z.string(),
      escalatedAt: z.string().nullable(),
      escalateTo: z.array(z.string()),
    })
    .nullable(),
});
export const ApprovalInboxResponseSchema = z.object({ items: z.array(ApprovalInboxItemSchema) });
export type ApprovalInboxItem = z.infer<typeof ApprovalInboxItemSchema>;

// GET /api/invocations/{invocationId}/journal
export const TimelineEntrySchema = z.object({
  index: z.number(),
  /** The engine's entry type, e.g. "Command: Run". */
  entryType: z.string(),
  kind: z.enum(["input", "output", "run", "call", "send", "sleep", "promise", "state", "cancel", "other"]),
  name: z.string().nullable(),
  at: z.string(),
  /** Milliseconds since the invocation's first entry. */
  offsetMs: z.number(),
  /** Step duration or wait (timers, promises, calls): completion time minus command time. */
  durationMs: z.number().nullable(),
  completed: z.boolean(),
  /** "success" | "failure" from the matching notification, when there is one. */
  result: z.string().nullable(),
  childInvocationId: z.string().nullable(),
  childTarget: z.string().nullable(),
  promiseName: z.string().nullable(),
});
export type TimelineEntry = z.infer<typeof TimelineEntrySchema>;

export const JournalEventSchema = z.object({
  afterIndex: z.number().nullable(),
  at: z.string(),
  type: z.string(),
  message: z.string(),
});
export type JournalEvent = z.infer<typeof JournalEventSchema>;

export const JournalTimelineSchema = z.object({
  invocation: InvocationSummarySchema,
  entries: z.array(TimelineEntrySchema),
  events: z.array(JournalEventSchema),
});
export type JournalTimeline = z.infer<typeof JournalTimelineSchema>;

// GET /api/invocations/{invocationId}/journal/{index}
export const JournalEntryDetailSchema = z.object({
  index: z.number(),
  entryType: z.string(),
  /** The engine's full entry, payloads included. */
  entry: z.unknown(),
  /** For a command: the notification that completed it, i.e. the step's result; null while pending. */
  completion: z.object({ index: z.number(), entryType: z.string(), entry: z.unknown() }).nullable().optional(),
});
export type JournalEntryDetail = z.infer<typeof JournalEntryDetailSchema>;

export { AttemptSchema };

// POST /api/auth/login
export const LoginInputSchema = z
  .object({
    username: z.string().trim().min(1, "username is required").max(64),
    password: z.string().min(1, "password is required").max(200),
  })
  .strict();
export type LoginInput = z.infer<typeof LoginInputSchema>;

// GET /api/session
export const SessionResponseSchema = z.object({
  operator: OperatorViewSchema.nullable(),
  /** Whether "Sign in with SSO" is offered (OIDC configured). */
  oidc: z.boolean(),
});
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

// GET/POST /api/tokens, DELETE /api/tokens/{tokenId}
export const ApiTokenSchema = z.object({ id: z.string(), label: z.string(), createdAt: z.string(), expiresAt: z.string() });
export type ApiToken = z.infer<typeof ApiTokenSchema>;
export const ApiTokenListSchema = z.object({
  items: z.array(ApiTokenSchema),
  /** The console's settings (API_TOKEN_TTL_DAYS, API_TOKEN_MAX_TTL_DAYS), for the create form. */
  lifetime: z.object({ defaultDays: z.number().int(), maxDays: z.number().int() }),
});
export const CreateTokenInputSchema = z
  .object({
    label: z.string().trim().min(1, "label is required").max(100),
    /** Lifetime in days; the console's default when absent. The upper bound is the console's setting, checked by the route. */
    ttlDays: z.number({ error: "must be a number of days" }).int("must be a whole number of days").min(1, "must be at least 1 day").optional(),
  })
  .strict();
export type CreateTokenInput = z.infer<typeof CreateTokenInputSchema>;
/** The token itself is in this answer once and never again. */
export const CreatedTokenSchema = ApiTokenSchema.extend({ token: z.string() });
export const TokenParamsSchema = z.object({ tokenId: z.string().uuid("not a token id") });
export const RevokedTokenSchema = z.object({ revoked: z.string() });

// POST /api/auth/logout
export const SignedOutSchema = z.object({ signedOut: z.boolean() });

// GET /api/pull-requests?finding=
export const PullRequestListQuerySchema = z.object({ finding: z.string().regex(FINDING_ID_PATTERN, "must be a finding id").optional() });
export const PullRequestListResponseSchema = PullRequestListSchema;
export type PullRequestListResponse = z.infer<typeof PullRequestListResponseSchema>;

// POST /api/intake/sarif and POST /api/intake/github: findings that arrive by themselves
export const IntakeRunSchema = z.object({
  findingId: z.string(),
  invocationId: z.string(),
  severity: z.enum(SEVERITIES),
  title: z.string(),
});
export const IntakeResponseSchema = z.object({
  /** Who the runs are recorded as submitted by: the token's operator, or `github-webhook`. */
  submittedBy: z.string(),
  /** Findings whose runs this request started. */
  started: z.array(IntakeRunSchema),
  /** Findings that already had a run under their id: nothing new was started for them. */
  known: z.array(IntakeRunSchema),
  /** Ids held by a run of a different finding (another source or repository: the fields that differ): nothing was started for them. */
  conflicts: z.array(IntakeRunSchema.extend({ differing: z.array(z.string()) })),
  /** Results that are not open problems (passed, suppressed, absent, repeated), by JSON path. */
  skipped: z.array(z.object({ path: z.string(), reason: z.string() })),
});
export type IntakeResponse = z.infer<typeof IntakeResponseSchema>;
export type IntakeRun = z.infer<typeof IntakeRunSchema>;

/** A GitHub delivery that starts nothing: a ping, or an event or action the intake does not act on. */
export const GithubIgnoredSchema = z.object({ delivery: z.string(), event: z.string(), ignored: z.string() });
export type GithubIgnored = z.infer<typeof GithubIgnoredSchema>;

// GET /api/tickets
export { TicketsAndOutboxSchema, type TicketsAndOutbox } from "@/restate/contracts/tickets-and-outbox";

// GET /api/calibration, GET /api/calibration/export (one LabelledRunSchema per line)
export { CalibrationReportSchema, LabelledRunSchema, type CalibrationReport, type LabelledRun } from "@/lib/calibration";
export { EffectivePolicySchema, WhatIfResultSchema, type EffectivePolicy, type WhatIfResult } from "@/lib/policy-what-if";
