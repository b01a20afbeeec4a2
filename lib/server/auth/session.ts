// Who is calling: a personal API token (Authorization: Bearer) or the session cookie, sealed and
// signed by iron-session. Cookie requests that change state must also prove they come from our own
// pages (CSRF): the X-CSRF-Token header must equal the token sealed in the session (the page reads it
// from the rmc_csrf cookie, which another site can neither read nor set), and an Origin header, when
// the browser sends one, must be this console's.
import "server-only";
import { randomBytes, timingSafeEqual } from "node:crypto";
import { sealData, unsealData } from "iron-session";
import { z } from "zod";
import { RoleSchema, type OperatorView, type Role } from "@/lib/auth/roles";
import { serverEnv, ServerConfigError } from "../env";
import { ApiRouteError } from "../errors";
import { tokenOwner } from "./api-tokens";
import { findOperator } from "./operators";

export const SESSION_COOKIE = "rmc_session";
export const CSRF_COOKIE = "rmc_csrf";
export const CSRF_HEADER = "x-csrf-token";

export type Operator = OperatorView;

const SessionSchema = z.object({
  username: z.string(),
  name: z.string(),
  roles: z.array(RoleSchema),
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

function readCookie(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return decodeURIComponent(rest.join("="));
  }
  return undefined;
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

/** Set-Cookie headers that sign the operator in. */
export async function startSession(request: Request, operator: { username: string; name: string; roles: Role[] }, via: Session["via"]): Promise<string[]> {
  const csrf = randomBytes(24).toString("base64url");
  const session: Session = { ...operator, via, csrf };
  const sealed = await sealData(session, { password: sessionSecret(), ttl: ttlSeconds() });
  return [
    cookie(request, SESSION_COOKIE, sealed, { httpOnly: true, sameSite: "Lax", maxAge: ttlSeconds() }),
    cookie(request, CSRF_COOKIE, csrf, { httpOnly: false, sameSite: "Strict", maxAge: ttlSeconds() }),
  ];
}

export function endSession(request: Request): string[] {
  return [
    cookie(request, SESSION_COOKIE, "", { httpOnly: true, sameSite: "Lax", maxAge: 0 }),
    cookie(request, CSRF_COOKIE, "", { httpOnly: false, sameSite: "Strict", maxAge: 0 }),
  ];
}

/** The session in a sealed cookie value, or null when absent, expired or tampered with. */
export async function unsealSession(sealed: string | undefined): Promise<Session | null> {
  if (!sealed) return null;
  const data = await unsealData<unknown>(sealed, { password: sessionSecret(), ttl: ttlSeconds() }).catch(() => null);
  const parsed = SessionSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

export const readSession = (request: Request) => unsealSession(readCookie(request, SESSION_COOKIE));

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
 * The operator behind a request, or null. For a local operator signed in with a password, the roles
 * are read from the operators file on every request, so removing someone takes effect at once.
 */
export async function authenticate(request: Request): Promise<Operator | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const owner = match?.[1] ? tokenOwner(match[1]) : null;
    if (!owner) throw new ApiRouteError("unauthorized", "The API token is not valid (revoked or mistyped).");
    // A local operator's token follows the operators file (removed: dead); an OIDC operator's keeps the roles it was made with.
    if (owner.source === "oidc") return { username: owner.username, name: owner.name, roles: owner.roles, via: "token" };
    const local = findOperator(owner.username);
    if (!local) throw new ApiRouteError("unauthorized", "The API token's operator no longer exists.");
    return { username: local.username, name: local.name, roles: local.roles, via: "token" };
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
  if (session.via === "password") {
    const local = findOperator(session.username);
    if (!local) return null;
    return { username: local.username, name: local.name, roles: local.roles, via: "password" };
  }
  return { username: session.username, name: session.name, roles: session.roles, via: "oidc" };
}

/** The CSRF token of the request's session (for GET /api/session), or null. */
export async function csrfTokenOf(request: Request): Promise<string | null> {
  return (await readSession(request))?.csrf ?? null;
}
