// ConsoleSessions, keyed by username: the console's sign-in sessions that are still open. The session
// cookie names one of them (a random id); sign-in registers it, sign-out ends it, and every request
// made with the cookie asks `isActive` first. Kept in Restate so that every console process behind a
// load balancer sees the same sessions: a session ended through one process is ended for all.
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { SERVICE_NAMES } from "../contracts/services";

export const SessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, "a session id is 16-64 URL-safe characters");

/** The longest sign-in the console allows (SESSION_TTL_HOURS ≤ 30 days, and a minute for clocks): a later expiry is a mistake. */
const LONGEST_SESSION_MS = (30 * 24 * 3600 + 60) * 1000;

/** An operator signing in from many browsers must not grow the state without bound: the oldest sessions end first. */
export const MAX_SESSIONS_PER_OPERATOR = 50;

export const SessionRegistrationSchema = z.object({
  sessionId: SessionIdSchema,
  /** Epoch milliseconds; the cookie's own expiry. */
  expiresAt: z.number().int().positive(),
});
export type SessionRegistration = z.infer<typeof SessionRegistrationSchema>;

/** Open sessions: id → expiry (epoch ms). */
type SessionsState = { sessions: Record<string, number> };

/** Expired entries dropped, and the oldest beyond the cap; a pure function of the state and the time. */
export function keptSessions(sessions: Record<string, number>, now: number): Record<string, number> {
  const open = Object.entries(sessions).filter(([, expiresAt]) => expiresAt > now);
  open.sort(([, a], [, b]) => b - a);
  return Object.fromEntries(open.slice(0, MAX_SESSIONS_PER_OPERATOR));
}

function save(ctx: restate.ObjectContext<SessionsState>, sessions: Record<string, number>): void {
  // An operator with no open session leaves nothing behind.
  if (Object.keys(sessions).length) ctx.set("sessions", sessions);
  else ctx.clearAll();
}

export const consoleSessions = restate.object({
  name: SERVICE_NAMES.consoleSessions,
  handlers: {
    register: restate.handlers.object.exclusive(
      { input: restate.serde.schema(SessionRegistrationSchema) },
      async (ctx: restate.ObjectContext<SessionsState>, registration: SessionRegistration) => {
        const now = await ctx.date.now();
        if (registration.expiresAt <= now || registration.expiresAt > now + LONGEST_SESSION_MS) {
          throw new restate.TerminalError(`expiresAt must be in the future and at most 30 days ahead (got ${new Date(registration.expiresAt).toISOString()})`, {
            errorCode: 400,
          });
        }
        const sessions = keptSessions({ ...((await ctx.get("sessions")) ?? {}), [registration.sessionId]: registration.expiresAt }, now);
        save(ctx, sessions);
        // Whoever never signs in again is still cleaned up: a prune runs when this session would expire.
        ctx.objectSendClient(consoleSessions, ctx.key).prune(restate.rpc.sendOpts({ delay: registration.expiresAt - now + 1000 }));
      },
    ),
    end: restate.handlers.object.exclusive(
      { input: restate.serde.schema(SessionIdSchema) },
      async (ctx: restate.ObjectContext<SessionsState>, sessionId: string) => {
        const { [sessionId]: _ended, ...rest } = (await ctx.get("sessions")) ?? {};
        save(ctx, keptSessions(rest, await ctx.date.now()));
      },
    ),
    prune: restate.handlers.object.exclusive({ ingressPrivate: true }, async (ctx: restate.ObjectContext<SessionsState>) => {
      save(ctx, keptSessions((await ctx.get("sessions")) ?? {}, await ctx.date.now()));
    }),
    // Asked on every request made with a session cookie: one state read, nothing journaled to keep.
    // Expiry is the cookie's own (sealed with a ttl), so presence is the whole answer here.
    isActive: restate.handlers.object.shared(
      { input: restate.serde.schema(SessionIdSchema), output: restate.serde.schema(z.boolean()) },
      async (ctx: restate.ObjectSharedContext<SessionsState>, sessionId: string) => ((await ctx.get("sessions")) ?? {})[sessionId] !== undefined,
    ),
  },
  options: { journalRetention: 0 },
});

export type ConsoleSessions = typeof consoleSessions;
