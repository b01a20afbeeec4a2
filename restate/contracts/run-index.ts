// The run list's index as both sides spell it: the entries the workflow writes into
// restate/console/run-index.ts, the page the console reads from it, and which list a filter reads.
import { z } from "zod";
import { SEVERITIES, STAGES, type Stage } from "./vocabulary";

/**
 * Entries a bucket holds at most unless RUN_INDEX_BUCKET_SIZE says otherwise (restate/config.ts): a full
 * bucket opens a new one or splits (unless all its entries share one time).
 */
export const DEFAULT_BUCKET_SIZE = 100;

export const RunIndexEntrySchema = z.object({
  /** When the run was submitted (ISO 8601, the run state's submittedAt): the list's order, with the invocation id to break ties. */
  at: z.string().datetime(),
  invocationId: z.string().regex(/^inv_[0-9A-Za-z]+$/),
  findingId: z.string().min(1).max(200),
  severity: z.enum(SEVERITIES).nullable(),
});
export type RunIndexEntry = z.infer<typeof RunIndexEntrySchema>;

/** Runs the backfill adds to a list at once, signed by the console (restate/identity/signed-claims.ts signRunList). */
export const RunIndexAdditionSchema = z.object({
  entries: z.array(RunIndexEntrySchema).max(5000),
  /** Optional here so an unsigned call gets the signature check's 401, not a parse error. */
  issuedAt: z.string().optional(),
  signature: z.string().optional(),
});
export type RunIndexAddition = z.infer<typeof RunIndexAdditionSchema>;

/** One change to a list: a run put in, or taken out. */
export const RunIndexWriteSchema = z.object({ op: z.enum(["add", "remove"]), entry: RunIndexEntrySchema });
export type RunIndexWrite = z.infer<typeof RunIndexWriteSchema>;

/** Writes a list applies in one call, in order (from its feeds, restate/console/run-index-feed.ts). */
export const RUN_INDEX_BATCH = 1000;
export const RunIndexWritesSchema = z.object({ writes: z.array(RunIndexWriteSchema).max(RUN_INDEX_BATCH) });
export type RunIndexWrites = z.infer<typeof RunIndexWritesSchema>;

/** Where a page starts: strictly after this entry, which lives in this bucket. */
export const RunIndexPositionSchema = z.object({
  bucket: z.number().int().positive(),
  at: z.string().datetime(),
  invocationId: z.string().regex(/^inv_[0-9A-Za-z]+$/),
});
export type RunIndexPosition = z.infer<typeof RunIndexPositionSchema>;

export const RunIndexPageRequestSchema = z.object({
  severity: z.enum(SEVERITIES).optional(),
  after: RunIndexPositionSchema.optional(),
  limit: z.number().int().min(1).max(200),
});
export type RunIndexPageRequest = z.infer<typeof RunIndexPageRequestSchema>;

export const RunIndexPageSchema = z.object({
  entries: z.array(RunIndexEntrySchema.extend({ bucket: z.number().int().positive() })),
  /** Where the next page starts; null on the last page. */
  next: RunIndexPositionSchema.nullable(),
});
export type RunIndexPage = z.infer<typeof RunIndexPageSchema>;

/**
 * Stages a run passes through within seconds: no list of their own, since a list write per stage
 * change would cost the run list more engine work than the runs themselves. The console lists them
 * from the engine's runs in flight (lib/server/findings.ts).
 */
export const PASSING_STAGES: readonly Stage[] = ["received", "planning", "judging", "executing"];
export const isListedStage = (stage: Stage): boolean => !PASSING_STAGES.includes(stage);

/** The index object's key for a list: every run, or the runs at one stage. */
export function runIndexKey(stage?: Stage): string {
  return stage ? `stage:${stage}` : "all";
}
export const RUN_INDEX_KEY_PATTERN = new RegExp(`^(all|stage:(${STAGES.join("|")}))$`);

/** Feeds per list: a list takes its writes in batches from this many feeds, each holding one batch in flight. */
export const RUN_INDEX_FEEDS = 8;

/**
 * The feed a run's writes to a list go through: always the same one for a run (so they stay in the
 * order made), spread over the list's feeds by the run's workflow key (FNV-1a).
 */
export function runIndexFeedKey(list: string, findingId: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < findingId.length; i++) hash = Math.imul(hash ^ findingId.charCodeAt(i), 0x01000193) >>> 0;
  return `${list}~${hash % RUN_INDEX_FEEDS}`;
}

/** The list a feed key feeds, or null when the key is not a feed of one of the lists. */
export function listOfFeed(key: string): string | null {
  const [list, feed, ...rest] = key.split("~");
  if (rest.length > 0 || !list || !RUN_INDEX_KEY_PATTERN.test(list) || !feed || !/^\d+$/.test(feed) || Number(feed) >= RUN_INDEX_FEEDS) return null;
  return list;
}

/** Newest first: by submission time, then by invocation id. */
export function newerFirst(a: Pick<RunIndexEntry, "at" | "invocationId">, b: Pick<RunIndexEntry, "at" | "invocationId">): number {
  if (a.at !== b.at) return a.at > b.at ? -1 : 1;
  return a.invocationId === b.invocationId ? 0 : a.invocationId > b.invocationId ? -1 : 1;
}
