// Who is calling: a personal API token (Authorization: Bearer) or the session cookie, sealed and
// signed by iron-session. Cookie requests that change state must also prove they come from our own
// pages (CSRF): the X-CSRF-Token header must equal the token sealed in the session (the page reads it
// from the rmc_csrf cookie, which another site can neither read nor set), and an Origin header, when
// the browser sends one, must be this console's.
// The cookie alone is not enough: it names a session (a random id) that must still be open in the
// ConsoleSessions virtual object in Restate (restate/console/sessions.ts), which every console process
// asks (an "open" answer is reused for SESSION_CHECK_CACHE_SECONDS). Sign-out ends it there, so a
// copied cookie dies with it: at once in this process, within that bound in the others.
import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { parseCookie } from "cookie";
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import { RoleSchema, type OperatorView, type Role } from "@/lib/auth/roles";
import { onServerEnvReset, serverEnv, ServerConfigError } from "../env";
import { ApiRouteError } from "../errors";
import { operatorSessions } from "../restate-ingress";
import { tokenOwner } from "./api-tokens";
import { findOperator, operatorFingerprint } from "./operators";

export const SESSION_COOKIE = "rmc_session";
export const CSRF_COOKIE = "rmc_csrf";
export const CSRF_HEADER = "x-csrf-token";

export type Operator = OperatorView;

const SessionSchema = z.object({
  /** Names the session in the ConsoleSessions object; random, 128 bits. */
  id: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/),
  /** Epoch milliseconds. */
  issuedAt: z.number().int(),
  /** For a local operator: the operator record the session started from (operatorFingerprint). */
  operatorFingerprint: z.string().optional(),
  username: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
  /** For an OIDC operator: the groups claim at sign-in (a local operator's groups are read from the file at each request). */
  groups: z.array(z.string()).default([]),
  via: z.enum(["password", "oidc"]),
  csrf: z.string().min(16),
});
export type Session = z.infer<typeof SessionSchema>;

export function sessionSecret(): string {
  const secret = serverEnv().SESSION_SECRET;
  if (!secret) throw new ServerConfigError("SESSION_SECRET is not set: the console cannot seal sign-in sessions (npm start generates one).");
  return secret;
}

const ttlSeconds = () => Math.round(serverEnv().SESSION_TTL_HOURS * 3600);

/** A cookie the request carries, decoded; undefined when it has none of that name. */
export function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  return header ? parseCookie(header)[name] : undefined;
}

function isHttps(request: Request): boolean {
  const setting = serverEnv().COOKIE_SECURE;
  if (setting !== "auto") return setting === "true";
  return new URL(request.url).protocol === "https:" || request.headers.get("x-forwarded-proto") === "https";
}

export function cookie(request: Request, name: string, value: string, options: { httpOnly: boolean; sameSite: "Lax" | "Strict"; maxAge: number }): string {
  return [
    `${name}=${encodeURIComponent(value)}`,
    "Path=/",
    `Max-Age=${options.maxAge}`,
    `SameSite=${options.sameSite}`,
    ...(options.httpOnly ? ["HttpOnly"] : []),
    ...(isHttps(request) ? ["Secure"] : []),
  ].join("; ");
}

/**
 * Set-Cookie headers that sign the operator in, after the session is registered in Restate (so a
 * sign-in that Restate did not record fails, 503, instead of handing out a cookie nothing will accept).
 */
export async function startSession(
  request: Request,
  operator: { username: string; name: string; roles: Role[]; groups: string[] },
  via: Session["via"],
): Promise<string[]> {
  const local = via === "password" ? findOperator(operator.username) : undefined;
  if (via === "password" && !local) throw new ApiRouteError("unauthorized", "Unknown username or wrong password.");
  const issuedAt = Date.now();
  const session: Session = {
    id: randomBytes(16).toString("base64url"),
    issuedAt,
    ...(local ? { operatorFingerprint: operatorFingerprint(local) } : {}),
    ...operator,
    via,
    csrf: randomBytes(24).toString("base64url"),
  };
  await operatorSessions(session.username).register({ sessionId: session.id, expiresAt: issuedAt + ttlSeconds() * 1000 });
  const sealed = await sealData(session, { password: sessionSecret(), ttl: ttlSeconds() });
  return [
    cookie(request, SESSION_COOKIE, sealed, { httpOnly: true, sameSite: "Lax", maxAge: ttlSeconds() }),
    cookie(request, CSRF_COOKIE, session.csrf, { httpOnly: false, sameSite: "Strict", maxAge: ttlSeconds() }),
  ];
}

/** Ends the request's session in Restate (for every console process) and clears its cookies. */
export async function endSession(request: Request): Promise<string[]> {
  const session = await readSession(request);
  if (session) await endInRestate(session);
  return [
    cookie(request, SESSION_COOKIE, "", { httpOnly: true, sameSite: "Lax", maxAge: 0 }),
    cookie(request, CSRF_COOKIE, "", { httpOnly: false, sameSite: "Strict", maxAge: 0 }),
  ];
}

/** A value remembered until an epoch-ms time. */
interface Remembered<T> {
  value: T;
  until: number;
}
const MAX_REMEMBERED = 10_000;

/** The value if still good; a lapsed entry is dropped. */
function recall<T>(memory: Map<string, Remembered<T>>, key: string, now: number): T | undefined {
  const entry = memory.get(key);
  if (entry && entry.until > now) return entry.value;
  if (entry) memory.delete(key);
  return undefined;
}

/** Remembers at most MAX_REMEMBERED entries: lapsed ones go first, then the longest-remembered (a Map keeps insertion order). */
function remember<T>(memory: Map<string, Remembered<T>>, key: string, value: T, until: number, now: number): void {
  memory.delete(key);
  if (memory.size >= MAX_REMEMBERED) {
    for (const [old, entry] of memory) if (entry.until <= now) memory.delete(old);
    const oldest = memory.keys().next();
    if (memory.size >= MAX_REMEMBERED && !oldest.done) memory.delete(oldest.value);
  }
  memory.set(key, { value, until });
}

const cacheMs = () => serverEnv().SESSION_CHECK_CACHE_SECONDS * 1000;

interface SessionMemory {
  /** Sealed cookie → its session: the same text always unseals to the same session, so it is unsealed once a while. */
  unsealed: Map<string, Remembered<Session>>;
  /**
   * Sessions Restate said were open, for SESSION_CHECK_CACHE_SECONDS, so an operator's requests in quick
   * succession ask Restate once. A session ended through this process is forgotten at once; one ended
   * through another console process is refused here within that bound. Only "open" is remembered: an
   * ended session never opens again.
   */
  open: Map<string, Remembered<true>>;
  /** Counts sessions being ended through this process: an answer read while one was being ended is not remembered. */
  endings: number;
}
// One per process, shared by the route handlers and the page proxy (which Next.js bundles apart).
const memoryKey = Symbol.for("remediation-console.session-memory");
const memory: SessionMemory = ((globalThis as { [memoryKey]?: SessionMemory })[memoryKey] ??= { unsealed: new Map(), open: new Map(), endings: 0 });
// Another secret or another Restate makes every remembered answer moot.
onServerEnvReset(() => {
  memory.unsealed.clear();
  memory.open.clear();
});

/** The session in a sealed cookie value, or null when absent, expired or tampered with. */
export async function unsealSession(sealed: string | undefined): Promise<Session | null> {
  if (!sealed) return null;
  const now = Date.now();
  const known = recall(memory.unsealed, sealed, now);
  if (known) return known;
  const data = await unsealData<unknown>(sealed, { password: sessionSecret(), ttl: ttlSeconds() }).catch(() => null);
  const parsed = SessionSchema.safeParse(data);
  if (!parsed.success) return null;
  // Never past the seal's own expiry (sealed at issuedAt or just after, for the ttl).
  const until = Math.min(now + cacheMs(), parsed.data.issuedAt + ttlSeconds() * 1000);
  if (until > now) remember(memory.unsealed, sealed, parsed.data, until, now);
  return parsed.data;
}

export const readSession = (request: Request) => unsealSession(readCookie(request, SESSION_COOKIE));

const sessionKey = (session: Pick<Session, "username" | "id">) => `${session.username}\n${session.id}`;

/** Ends the session in Restate; this process stops accepting it before and after. */
async function endInRestate(session: Pick<Session, "username" | "id">): Promise<void> {
  memory.endings++;
  memory.open.delete(sessionKey(session));
  try {
    await operatorSessions(session.username).end(session.id);
  } finally {
    memory.endings++;
    memory.open.delete(sessionKey(session));
  }
}

/** Whether Restate has the session open, or told this process so within SESSION_CHECK_CACHE_SECONDS. */
async function openInRestate(session: Session): Promise<boolean> {
  const key = sessionKey(session);
  const asked = Date.now();
  if (recall(memory.open, key, asked)) return true;
  const endingsBefore = memory.endings;
  const open = await operatorSessions(session.username).isActive(session.id);
  if (open && memory.endings === endingsBefore && cacheMs() > 0) remember(memory.open, key, true, asked + cacheMs(), asked);
  return open;
}

/**
 * The session still holds: for a local operator, their record is the one the session started from
 * (removed, new roles, new password: ended, and ended in Restate too), checked on every request; and
 * Restate has it open (see SessionMemory for how long an answer is reused).
 * Throws when Restate cannot be asked: an unknown answer is not a yes.
 */
export async function sessionIsActive(session: Session): Promise<boolean> {
  if (session.via === "password") {
    const local = findOperator(session.username);
    if (!local || operatorFingerprint(local) !== session.operatorFingerprint) {
      try {
        await endInRestate(session);
      } catch (error) {
        // The cookie is refused either way; the entry then lapses at its expiry.
        console.warn(`could not end ${session.username}'s outdated session in Restate`, error);
      }
      return false;
    }
  }
  return await openInRestate(session);
}

/** The sealed cookie's session when it is still active (for the page proxy); throws when Restate cannot be asked. */
export async function activeSession(sealed: string | undefined): Promise<Session | null> {
  const session = await unsealSession(sealed);
  return session && (await sessionIsActive(session)) ? session : null;
}

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The request's Origin, when a browser sent one, must be this console's own. */
export function checkOrigin(request: Request): void {
  const origin = request.headers.get("origin");
  if (!origin) return;
  // X-Forwarded-Host is the client's word (next start fills it in only when absent) unless a trusted proxy wrote it.
  const forwardedHost = serverEnv().TRUST_PROXY > 0 ? request.headers.get("x-forwarded-host")?.split(",")[0]?.trim() : undefined;
  const host = forwardedHost || request.headers.get("host") || new URL(request.url).host;
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (originHost !== host) throw new ApiRouteError("forbidden", "Cross-site request refused.");
}

/**
 * The operator behind a request, or null. A cookie's session must still be open in Restate and, for a
 * local operator, match their current record: removal and role or password changes take effect at
 * once; a sign-out at once in the process that handled it and within SESSION_CHECK_CACHE_SECONDS in the others.
 */
export async function authenticate(request: Request): Promise<Operator | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const owner = match?.[1] ? tokenOwner(match[1]) : null;
    if (!owner) throw new ApiRouteError("unauthorized", "The API token is not valid (revoked or mistyped).");
    if (Date.parse(owner.expiresAt) <= Date.now()) throw new ApiRouteError("unauthorized", `The API token expired on ${owner.expiresAt}.`);
    // A local operator's token follows the operators file (removed: dead; roles and groups as they are now);
    // an OIDC operator's keeps the roles and groups it was made with (nothing else vouches for them between sign-ins).
    if (owner.source === "oidc") return { username: owner.username, name: owner.name, roles: owner.roles, groups: owner.groups, via: "token" };
    const local = findOperator(owner.username);
    if (!local) throw new ApiRouteError("unauthorized", "The API token's operator no longer exists.");
    return { username: local.username, name: local.name, roles: local.roles, groups: local.groups ?? [], via: "token" };
  }

  const session = await readSession(request);
  if (!session) return null;
  if (UNSAFE_METHODS.has(request.method)) {
    checkOrigin(request);
    const presented = request.headers.get(CSRF_HEADER);
    if (!presented || !sameText(presented, session.csrf)) {
      throw new ApiRouteError("forbidden", "Missing or wrong CSRF token: reload the page and try again.");
    }
  }
  if (!(await sessionIsActive(session))) return null;
  if (session.via === "password") {
    const local = findOperator(session.username);
    if (!local) return null;
    return { username: local.username, name: local.name, roles: local.roles, groups: local.groups ?? [], via: "password" };
  }
  return { username: session.username, name: session.name, roles: session.roles, groups: session.groups, via: "oidc" };
}

/** The CSRF token of the request's session (for GET /api/session), or null. */
export async function csrfTokenOf(request: Request): Promise<string | null> {
  return (await readSession(request))?.csrf ?? null;
}
