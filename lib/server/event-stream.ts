// One browser's stream of the change feed (GET /api/events) as Server-Sent Events: what its operator
// may see of each change, a heartbeat so proxies keep it open, the events it missed when it comes back
// with its last event id, and its end when its session ends.
import "server-only";
import { createHash } from "node:crypto";
import type { LiveEvent, LiveTopics } from "@/lib/api/live-events";
import { can } from "@/lib/auth/roles";
import { authenticate, type Operator } from "./auth/session";
import { changeFeed } from "./change-feed";
import { formatEventId, planResume, topicOf, type LoggedEvent, type Topic } from "./change-log";
import { withoutClaimSecrets } from "./journal";

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
const HEARTBEAT_MS = 15_000;
/** How often an open stream asks again whether its session (or token) still holds. */
export const SESSION_RECHECK_MS = 20_000;
/** What EventSource waits before reconnecting on its own. */
const RETRY_MS = 2_000;

/** What an operator of this role is shown of an event: the same as the REST routes show them. */
function viewOf(event: LiveEvent, admin: boolean): LiveEvent {
  if (admin || event.kind !== "detail") return event;
  const detail = withoutClaimSecrets(event.payload.detail) as typeof event.payload.detail;
  return { kind: "detail", payload: { findingId: event.payload.findingId, detail: { ...detail, restateUiUrl: null } } };
}

/** Each event is serialized once per audience, however many streams carry it. */
const serialized = new WeakMap<LoggedEvent, { admin?: string; other?: string }>();
function frame(feedId: string, logged: LoggedEvent, admin: boolean): string {
  const cache = serialized.get(logged) ?? {};
  serialized.set(logged, cache);
  const audience = admin ? "admin" : "other";
  cache[audience] ??= `id: ${formatEventId(feedId, logged.seq)}\nevent: ${logged.event.kind}\ndata: ${JSON.stringify(viewOf(logged.event, admin).payload)}\n\n`;
  return cache[audience];
}

const control = (name: string, data: unknown, id?: string) => `${id ? `id: ${id}\n` : ""}event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;

/** Streams of one session (or token) share one check: a re-check costs one call per session, not per stream. */
const recentChecks = new Map<string, { at: number; caller: Promise<Operator | null> }>();
function recheckCaller(request: Request): Promise<Operator | null> {
  const credentials = `${request.headers.get("cookie") ?? ""}\n${request.headers.get("authorization") ?? ""}`;
  const key = createHash("sha256").update(credentials).digest("base64url");
  const now = Date.now();
  for (const [other, check] of recentChecks) if (now - check.at >= SESSION_RECHECK_MS) recentChecks.delete(other);
  const known = recentChecks.get(key);
  if (known) return known.caller;
  const caller = authenticate(new Request(request.url, { headers: request.headers })).catch(() => null);
  recentChecks.set(key, { at: now, caller });
  return caller;
}

export function openEventStream(request: Request, operator: Operator, topics: LiveTopics): Response {
  const feed = changeFeed();
  const watched: Topic[] = [
    ...(topics.finding ? [`finding:${topics.finding}` as const] : []),
    ...(topics.journals ?? []).map((id) => `journal:${id}` as const),
  ];
  const admin = operator.roles.includes("admin");
  const encoder = new TextEncoder();
  let end = () => {};

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      // Everything up to subscribe() runs without yielding, so no event falls between the replay and the live ones.
      const plan = planResume(request.headers.get("last-event-id") ?? topics.since, feed, watched, Date.now());
      const latest = formatEventId(feed.id, feed.log.lastSeq);
      write(`retry: ${RETRY_MS}\n\n`);
      if (plan.kind === "replay") {
        write(control("hello", { feed: feed.id, resumed: true }));
        for (const logged of plan.events) {
          const topic = topicOf(logged.event);
          if (!topic || watched.includes(topic)) write(frame(feed.id, logged, admin));
        }
        for (const topic of plan.stale) {
          const [kind, id] = topic.split(":") as ["finding" | "journal", string];
          write(control("invalidate", kind === "finding" ? { findingId: id } : { invocationId: id }));
        }
      } else {
        write(control("hello", { feed: feed.id, resumed: false }, latest));
        if (plan.kind === "reset") write(control("reset", { reason: "The changes since your last event are not known here: ask again." }, latest));
      }
      const unsubscribe = feed.subscribe({ topics: watched, deliver: (logged) => write(frame(feed.id, logged, admin)), end: () => end() });

      const heartbeat = setInterval(() => write(": keep-alive\n\n"), HEARTBEAT_MS);
      const recheck = setInterval(() => {
        void recheckCaller(request).then((caller) => {
          if (caller && can(caller.roles, "read")) return;
          write(control("signed-out", { message: "Your session ended: sign in again." }));
          end();
        });
      }, SESSION_RECHECK_MS);
      end = () => {
        if (!open) return;
        open = false;
        clearInterval(heartbeat);
        clearInterval(recheck);
        unsubscribe();
        request.signal.removeEventListener("abort", end);
        try {
          controller.close();
        } catch {
          // already closed by the reader
        }
      };
      request.signal.addEventListener("abort", end);
    },
    cancel() {
      end();
    },
  });

  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      // no-transform: Next's compression (and other proxies) would otherwise hold events back to fill a block.
      "cache-control": "no-cache, no-transform",
      // nginx and proxies modelled on it buffer responses unless told not to.
      "x-accel-buffering": "no",
    },
  });
}
