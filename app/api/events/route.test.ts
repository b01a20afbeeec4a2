// GET /api/events against a real restate-server and the real services: what a stream carries, to whom,
// how it resumes, and when it ends.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DetailEventSchema, RunsEventSchema } from "@/lib/api/live-events";
import { callRoute, consoleStackPerFile, cookieHeaderAfter, passwordOf, setCookies, tokenOf } from "@/lib/test/route-harness";
import { SseReader, type SseEvent } from "@/lib/test/sse-reader";
import { readableEntry } from "@/lib/timeline";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
let events: typeof import("./route");
let approval: typeof import("@/app/api/findings/[id]/approval/route");
let login: typeof import("@/app/api/auth/login/route");
let logout: typeof import("@/app/api/auth/logout/route");
let feed: typeof import("@/lib/server/change-feed");
let streamModule: typeof import("@/lib/server/event-stream");
beforeAll(async () => {
  events = await import("./route");
  approval = await import("@/app/api/findings/[id]/approval/route");
  login = await import("@/app/api/auth/login/route");
  logout = await import("@/app/api/auth/logout/route");
  feed = await import("@/lib/server/change-feed");
  streamModule = await import("@/lib/server/event-stream");
});

/** Generous: what is measured here is what arrives, not how fast (the browser test holds the feed to a second). */
const ARRIVES_MS = 30_000;

// Before the stack stops: the feed would go on reading a server that is gone.
afterAll(() => feed.restartChangeFeedForTests());

const open: AbortController[] = [];
afterEach(() => {
  for (const controller of open.splice(0)) controller.abort();
});

/** Opens a stream as a browser would (Last-Event-ID on a reconnect), with a token or a cookie. */
async function connect(search = "", who: { as?: string; cookie?: string; lastEventId?: string } = {}) {
  const controller = new AbortController();
  open.push(controller);
  const headers: Record<string, string> = { accept: "text/event-stream" };
  if (who.cookie) headers.cookie = who.cookie;
  else headers.authorization = `Bearer ${tokenOf(who.as ?? "ada")}`;
  if (who.lastEventId) headers["last-event-id"] = who.lastEventId;
  const response = await events.GET(new Request(`http://console.test/api/events${search}`, { headers, signal: controller.signal }), {
    params: Promise.resolve({}),
  });
  expect(response.status).toBe(200);
  return { response, reader: new SseReader(response.body!), close: () => controller.abort() };
}

const payload = <T>(event: SseEvent) => JSON.parse(event.data) as T;
const runsAbout = (findingId: string, done: (stage: string | null) => boolean) => (event: SseEvent) =>
  event.event === "runs" && RunsEventSchema.parse(payload(event)).runs.some((run) => run.id === findingId && done(run.stage));

async function waitingAtGate() {
  const waiting = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
  await ctx.stack.submitAs("sam", waiting);
  const status = await ctx.stack.waitForStage(waiting.id, "awaiting-approval");
  return { waiting, runInvocation: status.identity!.invocationId };
}

describe("GET /api/events", () => {
  it("answers as a stream that proxies pass on at once, and only to a signed-in operator", async () => {
    const { response, reader } = await connect();
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("cache-control")).toBe("no-cache, no-transform");
    expect(response.headers.get("x-accel-buffering")).toBe("no");
    const hello = await reader.waitFor((event) => event.event === "hello", ARRIVES_MS);
    expect(payload(hello)).toEqual({ feed: expect.any(String), resumed: false });
    expect(hello.id).toMatch(/^[\w-]+\.\d+$/);

    const nobody = await events.GET(new Request("http://console.test/api/events"), { params: Promise.resolve({}) });
    expect(nobody.status).toBe(401);
    const bad = await callRoute(events.GET, "/api/events?finding=not%20an%20id&journals=inv_1,nope");
    expect(bad.status).toBe(422);
  });

  it("brings a viewer watching a run its sign-off as it happens, never the signed claim", async () => {
    const { waiting, runInvocation } = await waitingAtGate();
    const viewer = await connect(`?finding=${waiting.id}&journals=${runInvocation}`, { as: "vic" });
    const admin = await connect(`?finding=${waiting.id}`, { as: "ada" });
    await viewer.reader.waitFor((event) => event.event === "hello", ARRIVES_MS);
    await admin.reader.waitFor((event) => event.event === "hello", ARRIVES_MS);

    const decided = await callRoute(approval.POST, `/api/findings/${waiting.id}/approval`, {
      method: "POST",
      params: { id: waiting.id },
      as: "ana",
      body: { approved: true, comment: "checked the rotation" },
    });
    expect(decided.status).toBe(200);

    const approved = (event: SseEvent) =>
      event.event === "detail" && DetailEventSchema.parse(payload(event)).detail.status.approvals.some((given) => given.approver === "ana");
    const seen = DetailEventSchema.parse(payload(await viewer.reader.waitFor(approved, ARRIVES_MS)));
    expect(seen.detail.restateUiUrl).toBeNull();
    await viewer.reader.waitFor(
      runsAbout(waiting.id, (stage) => stage !== "awaiting-approval"),
      ARRIVES_MS,
    );
    await viewer.reader.waitFor(
      (event) => event.event === "approvals" && !payload<{ items: { findingId: string }[] }>(event).items.some((item) => item.findingId === waiting.id),
      ARRIVES_MS,
    );
    await viewer.reader.waitFor((event) => event.event === "journal" && payload<{ invocationId: string }>(event).invocationId === runInvocation, ARRIVES_MS);
    await ctx.stack.waitForStage(waiting.id, "completed");
    await admin.reader.waitFor(approved, ARRIVES_MS);

    // The claim the console signed for ana, as journaled by the approve call: its signature and nonce.
    const [input] = await ctx.stack.sql<{ entry_json: string }>(
      `SELECT entry_json FROM sys_journal WHERE index = 0 AND id IN (SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${waiting.id}/approve')`,
    );
    const claim = JSON.stringify(readableEntry(input?.entry_json ?? "null"));
    const secrets = [...claim.matchAll(/"(signature|nonce)":"([^"]+)"/g)].map((match) => match[2]!);
    expect(secrets.length).toBeGreaterThanOrEqual(2);
    for (const secret of secrets) expect(viewer.reader.raw).not.toContain(secret);
    expect(viewer.reader.raw).not.toMatch(/"(signature|nonce)":"(?!\[redacted)/);
  });

  it("resumes a stream that comes back with its last event id, missing no change; after a restart, says to ask again", async () => {
    const first = await connect();
    await first.reader.waitFor((event) => event.event === "hello", ARRIVES_MS);
    const lastEventId = first.reader.lastEventId;
    first.close();

    // Changes while nobody is connected (the feed keeps reading a while for exactly this).
    const low = finding();
    await ctx.stack.submitAs("sam", low);
    await ctx.stack.waitForStage(low.id, "completed");

    const again = await connect("", { lastEventId });
    expect(payload(await again.reader.waitFor((event) => event.event === "hello", ARRIVES_MS))).toMatchObject({ resumed: true });
    await again.reader.waitFor(
      runsAbout(low.id, (stage) => stage === "completed"),
      ARRIVES_MS,
    );
    expect(again.reader.events.some((event) => event.event === "reset")).toBe(false);

    // The console restarts: its streams end, and its new feed cannot replay the old one's events.
    const before = again.reader.lastEventId;
    feed.restartChangeFeedForTests();
    await again.reader.ended;
    const afterRestart = await connect("", { lastEventId: before });
    await afterRestart.reader.waitFor((event) => event.event === "reset", ARRIVES_MS);
    const hello = payload<{ feed: string }>(afterRestart.reader.events.find((event) => event.event === "hello")!);
    expect(before?.startsWith(`${hello.feed}.`)).toBe(false);
  });

  it("ends a stream whose session was signed out", async () => {
    const signedIn = await callRoute(login.POST, "/api/auth/login", {
      method: "POST",
      as: null,
      body: { username: "vic", password: passwordOf("vic") },
      headers: { origin: "http://console.test", host: "console.test" },
    });
    expect(signedIn.status).toBe(200);
    const cookie = cookieHeaderAfter(signedIn);
    const csrf = setCookies(signedIn).rmc_csrf?.value ?? "";
    const stream = await connect("", { cookie });
    await stream.reader.waitFor((event) => event.event === "hello", ARRIVES_MS);

    const out = await callRoute(logout.POST, "/api/auth/logout", { method: "POST", as: null, headers: { cookie, "x-csrf-token": csrf } });
    expect(out.status).toBe(200);
    await stream.reader.waitFor((event) => event.event === "signed-out", streamModule.SESSION_RECHECK_MS + ARRIVES_MS);
    await stream.reader.ended;
  });
});
