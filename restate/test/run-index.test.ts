// The run list's index (RunIndex) against a real restate-server: newest first across buckets, pages
// without gaps or repeats, lists per stage and severity that follow a run, repeated writes that
// change nothing, and writes only from the services or signed by the console.
import http2 from "node:http2";
import * as restate from "@restatedev/restate-sdk";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RunIndex } from "../console/run-index";
import type { RunIndexFeed } from "../console/run-index-feed";
import {
  newerFirst,
  runIndexFeedKey,
  runIndexKey,
  type RunIndexEntry,
  type RunIndexPage,
  type RunIndexPosition,
  type RunIndexWrite,
} from "../contracts/run-index";
import type { Severity, Stage } from "../contracts/vocabulary";
import { signRunList } from "../identity/signed-claims";
import { partitionKeyOfInvocation } from "../../lib/server/admin-sql";
import { freePort, registerDeployment } from "../../scripts/stack";
import { finding, PATIENCE_MS, startTestStack, type TestStack } from "./harness";

/**
 * A service of the test's own, registered beside the product's: `remove` and the feeds take calls only
 * from services, as the workflow's are. `write` sends each write to its run's feed, one way, as the workflow does.
 */
const remover = restate.service({
  name: "RunIndexTestRemover",
  handlers: {
    remove: async (ctx: restate.Context, request: { list: string; entry: RunIndexEntry }) => {
      await ctx.objectClient<RunIndex>({ name: "RunIndex" }, request.list).remove(request.entry);
    },
    write: async (ctx: restate.Context, request: { list: string; writes: RunIndexWrite[] }) => {
      for (const write of request.writes) {
        ctx.objectSendClient<RunIndexFeed>({ name: "RunIndexFeed" }, runIndexFeedKey(request.list, write.entry.findingId)).write(write);
      }
    },
  },
});

/**
 * The services' bucket size in this file (RUN_INDEX_BUCKET_SIZE; 100 by default): small, so the lists
 * cross bucket boundaries, split and empty buckets with a few hundred calls instead of thousands.
 */
const BUCKET_SIZE = 10;

let stack: TestStack;
let removerServer: http2.Http2Server | undefined;
beforeAll(async () => {
  stack = await startTestStack({ servicesEnv: { RUN_INDEX_BUCKET_SIZE: String(BUCKET_SIZE) } });
  const port = await freePort();
  removerServer = http2.createServer(
    restate
      .endpoint()
      .bind(remover)
      .setLogger(() => {})
      .http2Handler(),
  );
  await new Promise<void>((listening) => removerServer!.listen(port, "127.0.0.1", listening));
  await registerDeployment(stack.server.adminUrl, `http://127.0.0.1:${port}`);
});
afterAll(async () => {
  await stack?.stop();
  removerServer?.close();
});

const list = (stage?: Stage) => stack.ingress.objectClient<RunIndex>({ name: "RunIndex" }, runIndexKey(stage));
/** Adds runs as the backfill does: signed with the console's secret for this list. */
const add = async (stage: Stage | undefined, ...added: RunIndexEntry[]) =>
  await list(stage).addAll(signRunList(stack.secrets.approvalSigningSecret, runIndexKey(stage), added));
const remove = async (stage: Stage | undefined, entry: RunIndexEntry) =>
  await stack.ingress.serviceClient<typeof remover>({ name: "RunIndexTestRemover" }).remove({ list: runIndexKey(stage), entry });
const SEVERITY_CYCLE: Severity[] = ["low", "medium", "high", "critical"];

/** Made-up entries, one a second from `start`, with invocation ids of the engine's shape. */
function entries(count: number, start = Date.parse("2026-01-01T00:00:00.000Z")): RunIndexEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(start + i * 1000).toISOString(),
    invocationId: `inv_1${String(i).padStart(6, "0")}abc`,
    findingId: `indexed-${i}`,
    severity: SEVERITY_CYCLE[i % SEVERITY_CYCLE.length]!,
  }));
}

/** Every entry of a list, page after page. */
async function readAll(stage: Stage | undefined, limit: number, severity?: Severity) {
  const seen: RunIndexPage["entries"] = [];
  let after: RunIndexPosition | undefined;
  for (;;) {
    const page = await list(stage).page({ limit, ...(severity ? { severity } : {}), ...(after ? { after } : {}) });
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    seen.push(...page.entries);
    if (!page.next) return seen;
    after = page.next;
  }
}

const bucketKeys = (key: string, chain = "any") =>
  stack.sql<{ key: string }>(`SELECT key FROM state WHERE service_name = 'RunIndex' AND service_key = '${key}' AND key LIKE '${chain}:bucket:%'`);
/** How many entries each bucket of a list holds, in every chain. */
async function bucketSizes(key: string): Promise<number[]> {
  const rows = await stack.sql<{ value_utf8: string }>(
    `SELECT value_utf8 FROM state WHERE service_name = 'RunIndex' AND service_key = '${key}' AND key LIKE '%:bucket:%'`,
  );
  return rows.map((row) => (JSON.parse(row.value_utf8) as { entries: unknown[] }).entries.length);
}
const ids = (listed: Pick<RunIndexEntry, "invocationId">[]) => listed.map((entry) => entry.invocationId);

/** A shuffle that is the same every run. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let seed = 7;
  for (let i = out.length - 1; i > 0; i--) {
    seed = (seed * 48271) % 2147483647;
    const j = seed % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

describe("RunIndex", () => {
  it("lists entries newest first across buckets, whatever order they arrived in, and pages without gaps or repeats", async () => {
    const stage: Stage = "rejected";
    const made = entries(BUCKET_SIZE * 2 + 50);
    // Mostly in order, as runs start, with a few late arrivals from earlier.
    const inOrder = made.slice(0, -20);
    const late = shuffled(made.slice(-20));
    for (const entry of [...inOrder, ...late]) await add(stage, entry);
    for (const entry of shuffled(made.slice(0, 40))) await add(stage, entry);

    const newestFirst = [...made].sort(newerFirst).map((entry) => entry.invocationId);
    const paged = await readAll(stage, 37);
    expect(paged.map((entry) => entry.invocationId)).toEqual(newestFirst);
    expect((await readAll(stage, 200)).map((entry) => entry.invocationId)).toEqual(newestFirst);
    expect((await bucketKeys(runIndexKey(stage))).length).toBeGreaterThanOrEqual(2);
    // A page reads its own bucket and the next older one at most: no bucket is larger than a page needs.
    for (const entry of paged) expect(entry.bucket).toBeGreaterThanOrEqual(1);

    const high = await readAll(stage, 11, "high");
    expect(high.map((entry) => entry.invocationId)).toEqual(
      [...made]
        .filter((entry) => entry.severity === "high")
        .sort(newerFirst)
        .map((entry) => entry.invocationId),
    );
  });

  it("keeps every bucket to BUCKET_SIZE runs when the backfill adds many runs older than those indexed already", async () => {
    const stage: Stage = "received";
    const recent = entries(5, Date.parse("2026-06-01T00:00:00.000Z")).map((entry) => ({ ...entry, invocationId: `${entry.invocationId}new` }));
    for (const entry of recent) await add(stage, entry);
    const history = entries(BUCKET_SIZE * 6 + 30, Date.parse("2026-05-01T00:00:00.000Z"));
    // In batches, oldest batch first: each batch lands among buckets the earlier ones filled.
    const batch = BUCKET_SIZE * 2 + 5;
    for (let start = 0; start < history.length; start += batch) await add(stage, ...history.slice(start, start + batch));

    const everything = [...recent, ...history];
    expect(ids(await readAll(stage, 37))).toEqual(ids([...everything].sort(newerFirst)));
    expect(ids(await readAll(stage, 13, "low"))).toEqual(ids(everything.filter((entry) => entry.severity === "low").sort(newerFirst)));
    const sizes = await bucketSizes(runIndexKey(stage));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(BUCKET_SIZE);
    // Half full at least, on average: a split leaves two halves.
    expect(sizes.reduce((sum, size) => sum + size, 0) / sizes.length).toBeGreaterThanOrEqual(BUCKET_SIZE / 2);
  });

  it("keeps one entry per run when a write is repeated, and a removal of what is not there changes nothing", async () => {
    const stage: Stage = "executing";
    const [first, second] = entries(2, Date.parse("2026-02-01T00:00:00.000Z"));
    await add(stage, first!);
    await add(stage, first!);
    await add(stage, first!, second!, second!);
    await remove(stage, { ...first!, invocationId: "inv_1nothere" });
    expect((await readAll(stage, 50)).map((entry) => entry.invocationId)).toEqual([second!.invocationId, first!.invocationId]);
    await remove(stage, first!);
    await remove(stage, first!);
    expect((await readAll(stage, 50)).map((entry) => entry.invocationId)).toEqual([second!.invocationId]);
    expect((await readAll(stage, 50, first!.severity!)).map((entry) => entry.invocationId)).toEqual([]);
  });

  it("unlinks a bucket emptied by removals, so a list of few runs reads few buckets however many passed through it", async () => {
    const stage: Stage = "judging";
    const made = entries(BUCKET_SIZE * 3, Date.parse("2026-03-01T00:00:00.000Z"));
    await add(stage, ...made);
    expect((await bucketKeys(runIndexKey(stage))).length).toBeGreaterThanOrEqual(3);
    const stays = made.slice(-3);
    for (const entry of made.slice(0, -3)) await remove(stage, entry);
    expect((await readAll(stage, 50)).map((entry) => entry.invocationId)).toEqual([...stays].sort(newerFirst).map((entry) => entry.invocationId));
    expect((await bucketKeys(runIndexKey(stage))).length).toBe(1);
    // A run older than every bucket left still finds its place.
    const older = entries(1, Date.parse("2025-12-01T00:00:00.000Z"))[0]!;
    await add(stage, { ...older, invocationId: "inv_1older" });
    expect((await readAll(stage, 50)).at(-1)?.invocationId).toBe("inv_1older");
  });

  it("goes on from a cursor whose bucket was emptied and unlinked since, to the runs older than it", async () => {
    const stage: Stage = "planning";
    const made = entries(BUCKET_SIZE * 3, Date.parse("2026-07-01T00:00:00.000Z"));
    await add(stage, ...made);
    const before = await readAll(stage, 200);
    const first = await list(stage).page({ limit: BUCKET_SIZE + BUCKET_SIZE / 2 });
    const cursor = first.next!;
    expect(cursor.bucket).not.toBe(first.entries[0]!.bucket);
    const emptied = before.filter((entry) => entry.bucket === cursor.bucket);
    for (const entry of emptied) await remove(stage, entry);

    const rest: RunIndexPage["entries"] = [];
    for (let after: RunIndexPosition | null = cursor; after;) {
      const next: RunIndexPage = await list(stage).page({ limit: 40, after });
      rest.push(...next.entries);
      after = next.next;
    }
    const older = [...made]
      .sort(newerFirst)
      .filter((entry) => newerFirst(entry, cursor) > 0 && !emptied.some((gone) => gone.invocationId === entry.invocationId));
    expect(older.length).toBeGreaterThan(0);
    expect(ids(rest)).toEqual(ids(older));
  });

  it("takes writes from the ingress only as entries the console signed for that list", async () => {
    const stage: Stage = "failed";
    const [kept, forged] = entries(2, Date.parse("2026-04-01T00:00:00.000Z"));
    await add(stage, kept!);
    const key = runIndexKey(stage);
    for (const handler of ["add", "remove"]) {
      const answer = await stack.post(`/RunIndex/${key}/${handler}`, handler === "add" ? forged : kept);
      expect(answer.status, `${handler}: ${JSON.stringify(answer.body)}`).toBe(400);
    }
    for (const [path, body] of [
      [`/RunIndex/${key}/apply`, { writes: [{ op: "add", entry: forged }] }],
      [`/RunIndexFeed/${runIndexFeedKey(key, forged!.findingId)}/write`, { op: "add", entry: forged }],
      [`/RunIndexFeed/${runIndexFeedKey(key, forged!.findingId)}/flush`, {}],
    ] as const) {
      const answer = await stack.post(path, body);
      expect(answer.status, `${path}: ${JSON.stringify(answer.body)}`).toBe(400);
    }
    const secret = stack.secrets.approvalSigningSecret;
    const signed = signRunList(secret, key, [kept!]);
    const refused = [
      { entries: [forged] },
      { ...signed, entries: [forged] },
      { ...signed, entries: [kept, forged] },
      signRunList(secret, runIndexKey("completed"), [forged!]),
      signRunList("not-the-console-secret-not-the-console-secret", key, [forged!]),
      signRunList(secret, key, [forged!], new Date(Date.now() - 10 * 60_000)),
    ];
    for (const body of refused) {
      const answer = await stack.post(`/RunIndex/${key}/addAll`, body);
      expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    }
    expect((await readAll(stage, 50)).map((entry) => entry.invocationId)).toEqual([kept!.invocationId]);
  });

  it("takes a signed addition once: the same signed call again does not put back a run taken out since", async () => {
    const stage: Stage = "awaiting-approval";
    const [waiting, other] = entries(2, Date.parse("2026-06-01T00:00:00.000Z"));
    const key = runIndexKey(stage);
    const signed = signRunList(stack.secrets.approvalSigningSecret, key, [waiting!]);
    expect((await stack.post(`/RunIndex/${key}/addAll`, signed)).status).toBe(200);
    expect(ids(await readAll(stage, 50))).toEqual([waiting!.invocationId]);
    // The run is signed off and leaves the list; someone who saw the backfill's call sends it again.
    await remove(stage, waiting!);
    const replay = await stack.post(`/RunIndex/${key}/addAll`, signed);
    expect(replay.status, JSON.stringify(replay.body)).toBe(200);
    expect(await readAll(stage, 50)).toEqual([]);
    // A new signature for the same list is a new addition.
    await add(stage, other!);
    expect(ids(await readAll(stage, 50))).toEqual([other!.invocationId]);
  });

  it("takes a burst of writes through the feeds: every run listed once, and a run taken out after it was put in stays out", async () => {
    const stage: Stage = "expired";
    const burst = entries(BUCKET_SIZE * 15, Date.parse("2026-05-01T00:00:00.000Z")).map((entry) => ({ ...entry, findingId: `burst-${entry.findingId}` }));
    const takenOut = new Set(burst.filter((_, i) => i % 3 === 0).map((entry) => entry.invocationId));
    // Each run's add, then for every third its removal, all sent at once: the feeds hand them over in batches.
    const writes: RunIndexWrite[] = burst.flatMap((entry) => [
      { op: "add" as const, entry },
      ...(takenOut.has(entry.invocationId) ? [{ op: "remove" as const, entry }] : []),
    ]);
    await stack.ingress.serviceClient<typeof remover>({ name: "RunIndexTestRemover" }).write({ list: runIndexKey(stage), writes });
    const kept = burst.filter((entry) => !takenOut.has(entry.invocationId)).sort(newerFirst);
    await vi.waitFor(async () => expect(ids(await readAll(stage, 50))).toEqual(ids(kept)), { timeout: PATIENCE_MS, interval: 250 });
    expect(Math.max(...(await bucketSizes(runIndexKey(stage))))).toBeLessThanOrEqual(BUCKET_SIZE);
  });

  it("refuses a list that is not one of the run lists", async () => {
    const answer = await stack.post("/RunIndex/stage:unknown/page", { limit: 5 });
    expect(answer.status).toBe(404);
  });

  it("follows a run's stage: in the list of its stage now, in no earlier stage's, and once in the list of all runs", async () => {
    const gated = finding({ severity: "critical" });
    await stack.submitAs("index-test", gated);
    await stack.waitForStage(gated.id, "awaiting-approval");
    const idsIn = async (stage?: Stage) => (await readAll(stage, 200)).map((entry) => entry.findingId);
    await vi.waitFor(async () => expect(await idsIn("awaiting-approval")).toContain(gated.id), { timeout: PATIENCE_MS, interval: 200 });
    for (const stage of ["received", "planning", "judging"] as const) expect(await idsIn(stage)).not.toContain(gated.id);

    await stack.approve(gated.id, { approved: false, approver: "index-approver", comment: "not this one" });
    await stack.waitForStage(gated.id, "rejected");
    await vi.waitFor(async () => expect(await idsIn("rejected")).toContain(gated.id), { timeout: PATIENCE_MS, interval: 200 });
    expect(await idsIn("awaiting-approval")).not.toContain(gated.id);
    expect((await idsIn()).filter((id) => id === gated.id)).toHaveLength(1);
    expect((await readAll(undefined, 200, "critical")).map((entry) => entry.findingId)).toContain(gated.id);
    expect((await readAll(undefined, 200, "low")).map((entry) => entry.findingId)).not.toContain(gated.id);

    // The console reads a listed run's partition from its invocation id (lib/server/admin-sql.ts): the engine agrees.
    const listed = (await readAll(undefined, 200)).find((entry) => entry.findingId === gated.id)!;
    const [engine] = await stack.sql<{ partition_key: string }>(
      `SELECT CAST(partition_key AS VARCHAR) AS partition_key FROM sys_invocation_status WHERE id = '${listed.invocationId}'`,
    );
    expect(partitionKeyOfInvocation(listed.invocationId)).toBe(engine?.partition_key);
  });
});
