// RunIndex: the console's list of runs, newest first, kept in Restate state so a page read touches a
// bounded number of keys however long the history. One object per list (`all`, `stage:<stage>`); in
// each, one chain of buckets for every severity together and one per severity. A bucket (one state
// key) holds about BUCKET_SIZE entries sorted newest first; a chain's buckets cover consecutive time
// ranges, linked both ways, so a page reads the bucket its cursor names and follows the links. Writes are one-way sends from
// the workflow (restate/workflow/indexed-stage.ts; `add` and `remove` take no calls from the ingress) and
// the backfill's `addAll` (lib/server/run-index.ts), which only takes entries the console signed.
import * as restate from "@restatedev/restate-sdk";
import { SERVICE_NAMES } from "../contracts/services";
import { runListRefusal } from "../identity/claim-verifier";
import type { Severity } from "../contracts/vocabulary";
import {
  BUCKET_SIZE,
  newerFirst,
  RUN_INDEX_KEY_PATTERN,
  RunIndexAdditionSchema,
  RunIndexEntrySchema,
  RunIndexPageRequestSchema,
  RunIndexPageSchema,
  type RunIndexAddition,
  type RunIndexEntry,
  type RunIndexPage,
  type RunIndexPageRequest,
} from "../contracts/run-index";

/** One chain's state keys: "any" for every severity, else the severity. */
type Chain = "any" | Severity;
type IndexState = Record<string, unknown>;
type Ctx = restate.ObjectContext<IndexState>;
type SharedCtx = restate.ObjectSharedContext<IndexState>;

/** A bucket: its entries newest first, the earliest time it takes, and its neighbours in the chain. */
interface Bucket {
  floor: string;
  previous: number | null;
  next: number | null;
  entries: RunIndexEntry[];
}

const newestKey = (chain: Chain) => `${chain}:newest`;
const bucketKey = (chain: Chain, bucket: number) => `${chain}:bucket:${bucket}`;

async function bucketAt(ctx: SharedCtx | Ctx, chain: Chain, bucket: number): Promise<Bucket | null> {
  return (await ctx.get(bucketKey(chain, bucket))) as Bucket | null;
}

/**
 * The bucket whose time range holds `at`: the newest one whose floor is at or before it (else the
 * oldest), walking from the newest; a run moves between stage lists soon after it was submitted, so
 * the walk is short. One state read per bucket walked.
 */
async function bucketFor(ctx: Ctx, chain: Chain, at: string): Promise<{ number: number; bucket: Bucket; newest: number } | null> {
  const newest = (await ctx.get(newestKey(chain))) as number | null;
  let number = newest;
  while (newest !== null && number !== null) {
    const bucket = await bucketAt(ctx, chain, number);
    if (!bucket) return null;
    if (at >= bucket.floor || bucket.previous === null) return { number, bucket, newest };
    number = bucket.previous;
  }
  return null;
}

/** Puts the run in the chain, or leaves it as it is when it is there already (a repeated write). */
async function insert(ctx: Ctx, chain: Chain, entry: RunIndexEntry): Promise<void> {
  const found = await bucketFor(ctx, chain, entry.at);
  if (!found) {
    ctx.set(newestKey(chain), 1);
    ctx.set(bucketKey(chain, 1), { floor: entry.at, previous: null, next: null, entries: [entry] } satisfies Bucket);
    return;
  }
  const { number, bucket, newest } = found;
  if (bucket.entries.some((held) => held.invocationId === entry.invocationId)) return;
  // The newest bucket is full and the run is newer than all it holds: it opens the next bucket.
  const newestHeld = bucket.entries[0];
  if (number === newest && bucket.entries.length >= BUCKET_SIZE && newestHeld && entry.at > newestHeld.at) {
    const opened = newest + 1;
    ctx.set(newestKey(chain), opened);
    ctx.set(bucketKey(chain, opened), { floor: entry.at, previous: newest, next: null, entries: [entry] } satisfies Bucket);
    ctx.set(bucketKey(chain, newest), { ...bucket, next: opened });
    return;
  }
  ctx.set(bucketKey(chain, number), { ...bucket, entries: [...bucket.entries, entry].sort(newerFirst) });
}

/** Takes the run out of the chain (nothing when it is not there); an emptied bucket other than the newest is unlinked. */
async function remove(ctx: Ctx, chain: Chain, entry: RunIndexEntry): Promise<void> {
  const found = await bucketFor(ctx, chain, entry.at);
  if (!found) return;
  const { number, bucket, newest } = found;
  const kept = bucket.entries.filter((held) => held.invocationId !== entry.invocationId);
  if (kept.length === bucket.entries.length) return;
  if (kept.length > 0 || number === newest || bucket.next === null) {
    ctx.set(bucketKey(chain, number), { ...bucket, entries: kept });
    return;
  }
  // Unlinked, so reads and later writes never walk through empty buckets; its range joins the older neighbour's.
  const next = await bucketAt(ctx, chain, bucket.next);
  if (next) ctx.set(bucketKey(chain, bucket.next), { ...next, previous: bucket.previous });
  if (bucket.previous !== null) {
    const previous = await bucketAt(ctx, chain, bucket.previous);
    if (previous) ctx.set(bucketKey(chain, bucket.previous), { ...previous, next: bucket.next });
  }
  ctx.clear(bucketKey(chain, number));
}

function chainsOf(entry: RunIndexEntry): Chain[] {
  return entry.severity ? ["any", entry.severity] : ["any"];
}

function checkKey(ctx: SharedCtx | Ctx): void {
  if (!RUN_INDEX_KEY_PATTERN.test(ctx.key)) {
    throw new restate.TerminalError(`No run list "${ctx.key}": the lists are "all" and "stage:<stage>".`, { errorCode: 404 });
  }
}

/** One page, newest first, from `after` (or the newest run): reads the buckets it needs, following their links. */
async function page(ctx: SharedCtx, request: RunIndexPageRequest): Promise<RunIndexPage> {
  checkKey(ctx);
  const chain: Chain = request.severity ?? "any";
  const after = request.after;
  let number = after ? after.bucket : ((await ctx.get(newestKey(chain))) as number | null);
  const found: RunIndexPage["entries"] = [];
  while (number !== null && found.length <= request.limit) {
    const bucket = await bucketAt(ctx, chain, number);
    if (!bucket) break;
    const entries = after && number === after.bucket ? bucket.entries.filter((entry) => newerFirst(entry, after) > 0) : bucket.entries;
    const inBucket = number;
    found.push(...entries.map((entry) => ({ ...entry, bucket: inBucket })));
    number = bucket.previous;
  }
  const entries = found.slice(0, request.limit);
  const last = entries.at(-1);
  return {
    entries,
    next: found.length > request.limit && last ? { bucket: last.bucket, at: last.at, invocationId: last.invocationId } : null,
  };
}

export const runIndex = restate.object({
  name: SERVICE_NAMES.runIndex,
  handlers: {
    add: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexEntrySchema), ingressPrivate: true },
      async (ctx: Ctx, entry: RunIndexEntry) => {
        checkKey(ctx);
        // The chains keep apart keys: their reads go to the engine together.
        await Promise.all(chainsOf(entry).map((chain) => insert(ctx, chain, entry)));
      },
    ),
    /** Many runs at once (the backfill, through the ingress): the same as adding each, when the console signed them for this list. */
    addAll: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexAdditionSchema) },
      async (ctx: Ctx, { entries, issuedAt, signature }: RunIndexAddition) => {
        checkKey(ctx);
        const refusal = runListRefusal({ list: ctx.key, entries, issuedAt: issuedAt ?? "", signature, now: await ctx.date.now() });
        if (refusal) throw new restate.TerminalError(`Run list "${ctx.key}" refused the entries: ${refusal}.`, { errorCode: 401 });
        for (const entry of [...entries].sort(newerFirst).reverse()) for (const chain of chainsOf(entry)) await insert(ctx, chain, entry);
      },
    ),
    remove: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexEntrySchema), ingressPrivate: true },
      async (ctx: Ctx, entry: RunIndexEntry) => {
        checkKey(ctx);
        await Promise.all(chainsOf(entry).map((chain) => remove(ctx, chain, entry)));
      },
    ),
    page: restate.handlers.object.shared({ input: restate.serde.schema(RunIndexPageRequestSchema), output: restate.serde.schema(RunIndexPageSchema) }, page),
  },
  // Only the buckets a call needs are read: a list's state grows with its history.
  options: { journalRetention: 0, enableLazyState: true },
});

export type RunIndex = typeof runIndex;
