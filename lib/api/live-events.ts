// GET /api/events: what the console's change feed pushes to browsers over Server-Sent Events. Each
// data event carries the same shapes the REST routes answer, so the browser puts it straight into
// its query cache. Shared by the feed (server) and the stream hook (client).
import { z } from "zod";
import { FINDING_ID_PATTERN, INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";
import { ApprovalInboxItemSchema, FindingDetailSchema, FindingSummarySchema, JournalTimelineSchema } from "./contracts";

/** Runs whose stage, rung, gate or engine status changed, in the list's shape, and the gate count. */
export const RunsEventSchema = z.object({ runs: z.array(FindingSummarySchema), waitingForSignoff: z.number() });
/** The sign-off inbox, whole (sent when a run arrives at or leaves the gate). */
export const ApprovalsEventSchema = z.object({ items: z.array(ApprovalInboxItemSchema) });
/** One watched run's page, whole. */
export const DetailEventSchema = z.object({ findingId: z.string(), detail: FindingDetailSchema });
/** One watched invocation's journal timeline, whole. */
export const JournalEventPayloadSchema = z.object({ invocationId: z.string(), timeline: JournalTimelineSchema });

/** The feed's data events, by SSE event name. */
export const LIVE_EVENT_SCHEMAS = {
  runs: RunsEventSchema,
  approvals: ApprovalsEventSchema,
  detail: DetailEventSchema,
  journal: JournalEventPayloadSchema,
} as const;
export type LiveEventKind = keyof typeof LIVE_EVENT_SCHEMAS;
export type LiveEvent = { [K in LiveEventKind]: { kind: K; payload: z.infer<(typeof LIVE_EVENT_SCHEMAS)[K]> } }[LiveEventKind];

/**
 * Control events, never replayed: `hello` opens every stream (`resumed`: the events missed since the
 * client's last id follow, so nothing needs asking again); `reset` says the gap cannot be replayed
 * (another console process, a restart, too long away): ask for everything again; `invalidate` names one
 * watched run or journal to ask for again; `signed-out` ends a stream whose session ended.
 */
export const HelloEventSchema = z.object({ feed: z.string(), resumed: z.boolean() });
export const InvalidateEventSchema = z.object({ findingId: z.string().optional(), invocationId: z.string().optional() });

/** Journals one stream may watch at once. */
export const MAX_WATCHED_JOURNALS = 10;

/** What a stream watches besides the runs and the inbox (every stream gets those). */
export const LiveTopicsSchema = z.object({
  finding: z.string().regex(FINDING_ID_PATTERN, "must be a finding id").optional(),
  /** Invocations whose journal is on screen (the run's, a rung's, sub-agent calls opened inline), comma-separated. */
  journals: z
    .string()
    .transform((list) => list.split(","))
    .pipe(
      z
        .array(z.string().regex(INVOCATION_ID_PATTERN, "must be invocation ids such as inv_1abc…, comma-separated"))
        .max(MAX_WATCHED_JOURNALS, `at most ${MAX_WATCHED_JOURNALS} journals`),
    )
    .optional(),
  /** The last event id seen, for a client that reconnects on its own (EventSource sends Last-Event-ID). */
  since: z.string().max(64).optional(),
});
export type LiveTopics = z.infer<typeof LiveTopicsSchema>;
