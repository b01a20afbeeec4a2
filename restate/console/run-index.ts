// RunIndex: the console's list of runs, newest first, kept in Restate state so a page read touches a
// bounded number of keys however long the history. One object per list (`all`, `stage:<stage>`); in
// each, one chain of buckets for every severity together and one per severity. A bucket (one state
// key) holds at most RUN_INDEX_BUCKET_SIZE entries (100 unless configured) sorted newest first; a chain's buckets cover consecutive time
// ranges, linked both ways, so a page reads the bucket its cursor names and follows the links. Writes come
// in batches from the list's feeds (`apply`, restate/console/run-index-feed.ts, which the workflow writes to),
// and from the backfill's `addAll` (lib/server/run-index.ts), which only takes entries the console signed;
// `add` and `remove`, one run a call, still take what runs sent before the feeds. None but `addAll` takes
// calls from the ingress.
import * as restate from "@restatedev/restate-sdk";
import { config } from "../config";
import { SERVICE_NAMES } from "../contracts/services";
import { runListRefusal } from "../identity/claim-verifier";
import { CLAIM_MAX_AGE_MS, CLAIM_MAX_SKEW_MS } from "../identity/signed-claims";
import type { Severity } from "../contracts/vocabulary";
import {
  newerFirst,
  RUN_INDEX_KEY_PATTERN,
  RunIndexAdditionSchema,
  RunIndexEntrySchema,
  RunIndexPageRequestSchema,
  RunIndexPageSchema,
  RunIndexWritesSchema,
  type RunIndexAddition,
  type RunIndexEntry,
  type RunIndexPage,
  type RunIndexPageRequest,
  type RunIndexWrites,
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
/** The highest bucket number the chain has used, so a bucket opened at its old end takes a number no other had. */
const lastKey = (chain: Chain) => `${chain}:last`;
const bucketKey = (chain: Chain, bucket: number) => `${chain}:bucket:${bucket}`;

/**
 * One chain as a call sees it: each key read from the engine at most once, and each changed key set
 * once when the call is done (`save`), however many entries the call puts in or takes out.
 */
class ChainState {
  private readonly read = new Map<string, Promise<unknown>>();
  /** Keys to set, or to clear (null). */
  private readonly changed = new Map<string, unknown>();

  constructor(
    private readonly ctx: SharedCtx | Ctx,
    private readonly chain: Chain,
  ) {}

  private async get<T>(key: string): Promise<T | null> {
    if (this.changed.has(key)) return this.changed.get(key) as T | null;
    let value = this.read.get(key);
    if (!value) {
      value = this.ctx.get(key);
      this.read.set(key, value);
    }
    return ((await value) ?? null) as T | null;
  }

  newest = () => this.get<number>(newestKey(this.chain));
  bucket = (number: number) => this.get<Bucket>(bucketKey(this.chain, number));
  setNewest = (number: number) => this.changed.set(newestKey(this.chain), number);
  setBucket = (number: number, bucket: Bucket) => this.changed.set(bucketKey(this.chain, number), bucket);
  clearBucket = (number: number) => this.changed.set(bucketKey(this.chain, number), null);

  /** Stores a new bucket under a number never used in this chain. */
  async open(bucket: Bucket): Promise<number> {
    // Written before buckets opened at the old end, a chain has no last key: its numbers ran from 1 to the newest.
    const last = (await this.get<number>(lastKey(this.chain))) ?? (await this.newest()) ?? 0;
    this.changed.set(lastKey(this.chain), last + 1);
    this.setBucket(last + 1, bucket);
    return last + 1;
  }

  save(ctx: Ctx): void {
    for (const [key, value] of this.changed) {
      if (value === null) ctx.clear(key);
      else ctx.set(key, value);
    }
  }
}

/**
 * The bucket whose time range holds `at`: the newest one whose floor is at or before it (else the
 * oldest), walking from the newest; a run moves between stage lists soon after it was submitted, so
 * the walk is short.
 */
async function bucketFor(chain: ChainState, at: string): Promise<{ number: number; bucket: Bucket; newest: number } | null> {
  const newest = await chain.newest();
  let number = newest;
  while (newest !== null && number !== null) {
    const bucket = await chain.bucket(number);
    if (!bucket) return null;
    if (at >= bucket.floor || bucket.previous === null) return { number, bucket, newest };
    number = bucket.previous;
  }
  return null;
}

/** Puts the run in the chain, or leaves it as it is when it is there already (a repeated write). */
async function insert(chain: ChainState, entry: RunIndexEntry): Promise<void> {
  const found = await bucketFor(chain, entry.at);
  if (!found) {
    chain.setNewest(await chain.open({ floor: entry.at, previous: null, next: null, entries: [entry] }));
    return;
  }
  const { number, bucket, newest } = found;
  if (bucket.entries.some((held) => held.invocationId === entry.invocationId)) return;
  // The newest bucket is full and the run is newer than all it holds: it opens the next bucket.
  const newestHeld = bucket.entries[0];
  if (number === newest && bucket.entries.length >= config.RUN_INDEX_BUCKET_SIZE && newestHeld && entry.at > newestHeld.at) {
    const opened = await chain.open({ floor: entry.at, previous: newest, next: null, entries: [entry] });
    chain.setNewest(opened);
    chain.setBucket(newest, { ...bucket, next: opened });
    return;
  }
  // Only the oldest bucket takes runs older than its floor; it lowers its floor to them.
  const grown: Bucket = { ...bucket, floor: entry.at < bucket.floor ? entry.at : bucket.floor, entries: [...bucket.entries, entry].sort(newerFirst) };
  if (grown.entries.length <= config.RUN_INDEX_BUCKET_SIZE) {
    chain.setBucket(number, grown);
    return;
  }
  // A run older than all the full oldest bucket holds (the backfill, newest first, after newer runs were
  // indexed) opens a bucket before it, so the buckets fill; else the full bucket splits in two.
  const oldest = bucket.previous === null && grown.entries.at(-1) === entry;
  await split(chain, number, grown, oldest ? grown.entries.length - 1 : Math.floor(grown.entries.length / 2));
}

/**
 * Moves the entries of a bucket from about `at` on (its older ones) to a new bucket linked before it.
 * The cut falls between two times, since a run is found by its time alone; a bucket whose entries
 * all share one time stays whole.
 */
async function split(chain: ChainState, number: number, bucket: Bucket, at: number): Promise<void> {
  const { entries } = bucket;
  const between = (cut: number) => cut > 0 && cut < entries.length && entries[cut - 1]!.at > entries[cut]!.at;
  let cut = -1;
  for (let distance = 0; distance < entries.length && cut < 0; distance++) {
    if (between(at - distance)) cut = at - distance;
    else if (between(at + distance)) cut = at + distance;
  }
  if (cut < 0) {
    chain.setBucket(number, bucket);
    return;
  }
  const older = entries.slice(cut);
  const newer = entries.slice(0, cut);
  const lowest = older.at(-1)!.at;
  const opened = await chain.open({ floor: lowest < bucket.floor ? lowest : bucket.floor, previous: bucket.previous, next: number, entries: older });
  if (bucket.previous !== null) {
    const previous = await chain.bucket(bucket.previous);
    if (previous) chain.setBucket(bucket.previous, { ...previous, next: opened });
  }
  chain.setBucket(number, { ...bucket, floor: newer.at(-1)!.at, previous: opened, entries: newer });
}

/** Takes the run out of the chain (nothing when it is not there); an emptied bucket other than the newest is unlinked. */
async function remove(chain: ChainState, entry: RunIndexEntry): Promise<void> {
  const found = await bucketFor(chain, entry.at);
  if (!found) return;
  const { number, bucket, newest } = found;
  const kept = bucket.entries.filter((held) => held.invocationId !== entry.invocationId);
  if (kept.length === bucket.entries.length) return;
  if (kept.length > 0 || number === newest || bucket.next === null) {
    chain.setBucket(number, { ...bucket, entries: kept });
    return;
  }
  // Unlinked, so reads and later writes never walk through empty buckets; its range joins the older neighbour's.
  const next = await chain.bucket(bucket.next);
  if (next) chain.setBucket(bucket.next, { ...next, previous: bucket.previous });
  if (bucket.previous !== null) {
    const previous = await chain.bucket(bucket.previous);
    if (previous) chain.setBucket(bucket.previous, { ...previous, next: bucket.next });
  }
  chain.clearBucket(number);
}

type Change = (chain: ChainState, entry: RunIndexEntry) => Promise<void>;

/** Applies each change to its entry's chains, in order; each chain's state is set once at the end. */
async function changeChains(ctx: Ctx, changes: { entry: RunIndexEntry; change: Change }[]): Promise<void> {
  const byChain = new Map<Chain, { entry: RunIndexEntry; change: Change }[]>();
  for (const one of changes) {
    for (const chain of chainsOf(one.entry)) {
      const inChain = byChain.get(chain);
      if (inChain) inChain.push(one);
      else byChain.set(chain, [one]);
    }
  }
  // One chain after the other: the SDK takes one pending state read at a time (concurrent lazy reads
  // fail the invocation with "awaitNext already pending").
  for (const [name, inChain] of byChain) {
    const chain = new ChainState(ctx, name);
    for (const { entry, change } of inChain) await change(chain, entry);
    chain.save(ctx);
  }
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
  const chain = new ChainState(ctx, request.severity ?? "any");
  const after = request.after;
  // The cursor's bucket may have been emptied and unlinked since: the page then starts where its time falls.
  let number = after ? ((await chain.bucket(after.bucket)) ? after.bucket : ((await bucketFor(chain, after.at))?.number ?? null)) : await chain.newest();
  const found: RunIndexPage["entries"] = [];
  while (number !== null && found.length <= request.limit) {
    const bucket = await chain.bucket(number);
    if (!bucket) break;
    // Every bucket is cut at the cursor: a split since the last page may have moved runs past it into an older bucket.
    const entries = after ? bucket.entries.filter((entry) => newerFirst(entry, after) > 0) : bucket.entries;
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

/** The signed additions this list took, by signature, each kept until its signature expires. */
const APPLIED_SIGNATURES = "signed:applied";

/**
 * True the first time a valid signature is used on this list, false for any use after; it remembers each
 * signature until it expires (CLAIM_MAX_AGE_MS after issue, plus the clock skew allowed), when it would be
 * refused anyway.
 */
async function firstUseOf(ctx: Ctx, signature: string, issuedAt: number, now: number): Promise<boolean> {
  const applied = ((await ctx.get(APPLIED_SIGNATURES)) as Record<string, number> | null) ?? {};
  const live = Object.fromEntries(Object.entries(applied).filter(([, expires]) => expires > now));
  if (signature in live) return false;
  ctx.set(APPLIED_SIGNATURES, { ...live, [signature]: issuedAt + CLAIM_MAX_AGE_MS + CLAIM_MAX_SKEW_MS });
  return true;
}

export const runIndex = restate.object({
  name: SERVICE_NAMES.runIndex,
  handlers: {
    add: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexEntrySchema), ingressPrivate: true },
      async (ctx: Ctx, entry: RunIndexEntry) => {
        checkKey(ctx);
        await changeChains(ctx, [{ entry, change: insert }]);
      },
    ),
    /** A feed's batch (restate/console/run-index-feed.ts): runs put in and taken out, in the order the runs made them. */
    apply: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexWritesSchema), ingressPrivate: true },
      async (ctx: Ctx, { writes }: RunIndexWrites) => {
        checkKey(ctx);
        await changeChains(
          ctx,
          writes.map(({ op, entry }) => ({ entry, change: op === "add" ? insert : remove })),
        );
      },
    ),
    /** Many runs at once (the backfill, through the ingress): the same as adding each, when the console signed them for this list. */
    addAll: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexAdditionSchema) },
      async (ctx: Ctx, { entries, issuedAt, signature }: RunIndexAddition) => {
        checkKey(ctx);
        const now = await ctx.date.now();
        const refusal = runListRefusal({ list: ctx.key, entries, issuedAt: issuedAt ?? "", signature, now });
        if (refusal) throw new restate.TerminalError(`Run list "${ctx.key}" refused the entries: ${refusal}.`, { errorCode: 401 });
        // The same signed call again (a retry, or a replay meant to put back runs taken out since) changes nothing.
        if (!(await firstUseOf(ctx, signature!, Date.parse(issuedAt!), now))) return;
        // Newest first: runs older than every bucket open buckets at the old end, each filled before the next.
        await changeChains(
          ctx,
          [...entries].sort(newerFirst).map((entry) => ({ entry, change: insert })),
        );
      },
    ),
    remove: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexEntrySchema), ingressPrivate: true },
      async (ctx: Ctx, entry: RunIndexEntry) => {
        checkKey(ctx);
        await changeChains(ctx, [{ entry, change: remove }]);
      },
    ),
    page: restate.handlers.object.shared({ input: restate.serde.schema(RunIndexPageRequestSchema), output: restate.serde.schema(RunIndexPageSchema) }, page),
  },
  // Only the buckets a call needs are read: a list's state grows with its history.
  options: { journalRetention: 0, enableLazyState: true },
});

export type RunIndex = typeof runIndex;
