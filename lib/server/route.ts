// One wrapper for every route handler: who is calling and whether their role allows it, zod-validated
// params, query and body, one JSON error envelope, and errors mapped to status codes. Unknown failures
// become a 500 that leaks nothing.
import "server-only";
import { z, type ZodType } from "zod";
import { can, type Permission } from "@/lib/auth/roles";
import { authenticate, type Operator } from "./auth/session";
import { ServerConfigError } from "./env";
import { ApiRouteError, fromRestateError, invalidInput } from "./errors";

/** Next 16 passes dynamic segments as a promise. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export interface RouteInput<P, Q, B> {
  request: Request;
  /** The authenticated operator; `publicRoute` handlers get null when nobody is signed in. */
  operator: Operator;
  params: P;
  query: Q;
  body: B;
}

/** A handler's answer: JSON with a status (200 unless said otherwise). */
export interface Reply<T> {
  status?: number;
  json: T;
  /** Set-Cookie values (sign-in, sign-out). */
  cookies?: string[];
}

interface RouteSpec<P, Q, B> {
  /** "GET /api/findings": names the route in logs. */
  name: string;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
  /** What the caller's role must allow; "read" unless said otherwise. "session": any signed-in operator, but not an API token. */
  access?: Permission | "session";
  /** The largest body this route reads, in bytes (DEFAULT_MAX_BODY_BYTES unless said otherwise, e.g. for an upload). */
  maxBodyBytes?: number;
  /** Called (best effort) when the caller is refused for identity or role, e.g. to put the attempt on record. */
  onRefused?: (request: Request, params: P, refusal: ApiRouteError) => Promise<void>;
}

/** Answers smaller than this are not worth gzip (the compression middleware's own threshold). */
const COMPRESS_FROM_BYTES = 1024;

/**
 * Next.js streams a route's answer, so its compression cannot see the length and gzips every answer,
 * even a 100-byte submission receipt, where it costs more time than the bytes it saves. Small answers
 * say `no-transform`, which the compression middleware honours; large ones (lists, journals) stay compressed.
 */
export function jsonResponse(json: unknown, status = 200): Response {
  const body = JSON.stringify(json);
  const small = Buffer.byteLength(body) < COMPRESS_FROM_BYTES;
  return new Response(body, {
    status,
    headers: { "cache-control": small ? "no-store, no-transform" : "no-store", "content-type": "application/json" },
  });
}

function errorResponse(error: ApiRouteError): Response {
  const response = jsonResponse(error.toBody(), error.status);
  for (const [name, value] of Object.entries(error.headers)) response.headers.set(name, value);
  if (error.code === "unauthorized") response.headers.set("www-authenticate", 'Bearer realm="remediation-console"');
  return response;
}

async function authorize(request: Request, access: Permission | "session"): Promise<Operator> {
  const operator = await authenticate(request);
  if (!operator) throw new ApiRouteError("unauthorized", "Sign in first, or send a personal API token as Authorization: Bearer.");
  if (access === "session") {
    if (operator.via === "token") throw new ApiRouteError("forbidden", "API tokens are managed in the console, not with a token.");
    return operator;
  }
  if (!can(operator.roles, access)) {
    throw new ApiRouteError("forbidden", `Your role (${operator.roles.join(", ")}) may not ${access === "read" ? "read this" : access} here.`);
  }
  return operator;
}

/** The largest finding or sign-off is a few KiB; anything much bigger is not one of ours. */
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

function describeBytes(bytes: number): string {
  return bytes % (1024 * 1024) === 0 ? `${bytes / (1024 * 1024)} MiB` : bytes % 1024 === 0 ? `${bytes / 1024} KiB` : `${bytes} bytes`;
}

/**
 * The body as text, refused (413) as soon as it is known to exceed `limit`: from Content-Length before
 * anything is read, else while streaming, so a huge or endless body is never held in memory.
 */
export async function readBodyText(request: Request, limit: number): Promise<string> {
  return (await readBodyBytes(request, limit)).toString("utf8");
}

/** The body's bytes as sent (for a signature over them), refused (413) past `limit` as readBodyText is. */
export async function readBodyBytes(request: Request, limit: number): Promise<Buffer> {
  const tooLarge = () => new ApiRouteError("payload_too_large", `The request body is larger than this route accepts (${describeBytes(limit)}).`);
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The same request with its body read under the cap (none when too large): for code that reads a refused caller's body. */
async function withBodyWithin(request: Request, limit: number): Promise<Request> {
  const body = request.body && !request.bodyUsed ? await readBodyText(request, limit).catch(() => "") : "";
  return new Request(request.url, { method: request.method, headers: request.headers, ...(body ? { body } : {}) });
}

async function readJsonBody(request: Request, limit: number): Promise<unknown> {
  const text = await readBodyText(request, limit);
  if (!text.trim()) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiRouteError("invalid_input", "The request body is not valid JSON.", { "(body)": "must be a JSON object" });
  }
}

function queryObject(url: URL): Record<string, string> {
  const query: Record<string, string> = {};
  // A repeated key keeps its first value: filters take one value each.
  for (const [key, value] of url.searchParams) query[key] ??= value;
  return query;
}

function parseWith<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw invalidInput(parsed.error, what);
  return parsed.data;
}

function describeCause(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause : null;
  return cause ? `${error.message} (${cause.message})` : error.message;
}

/** Logs what the operator is not shown: the real cause of a 500 or 503. */
function logFailure(name: string, mapped: ApiRouteError, original: unknown) {
  if (mapped.code === "internal") console.error(`[${name}] internal error`, original);
  // Refused callers (no identity, wrong role, CSRF, sign-off rules) leave a trace in the console's log.
  else if (mapped.code === "unauthorized" || mapped.code === "forbidden") console.warn(`[${name}] refused (${mapped.status}): ${mapped.message}`);
  else if (mapped.code === "upstream_unavailable") console.warn(`[${name}] Restate unavailable: ${describeCause(original)}`);
}

type Handler<P, Q, B, T> = (input: RouteInput<P, Q, B>) => Promise<Reply<T> | Response>;

export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, T = unknown>(
  spec: RouteSpec<P, Q, B>,
  handler: Handler<P, Q, B, T>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return wrap(spec, handler, (request) => authorize(request, spec.access ?? "read"));
}

/** A route anyone may call (sign-in, the session probe); the handler sees the operator or null. */
export function publicRoute<P = Record<string, never>, Q = Record<string, never>, B = undefined, T = unknown>(
  spec: Omit<RouteSpec<P, Q, B>, "access">,
  handler: (input: Omit<RouteInput<P, Q, B>, "operator"> & { operator: Operator | null }) => Promise<Reply<T> | Response>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return wrap(spec, handler as Handler<P, Q, B, T>, async (request) => (await authenticate(request).catch(() => null)) as Operator);
}

function wrap<P, Q, B, T>(
  spec: RouteSpec<P, Q, B>,
  handler: Handler<P, Q, B, T>,
  identify: (request: Request) => Promise<Operator>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    let refusedHere = false;
    try {
      const operator = await identify(request).catch((error: unknown) => {
        refusedHere = error instanceof ApiRouteError;
        throw error;
      });
      const params = spec.params ? parseWith(spec.params, await context?.params, "path") : ({} as P);
      const query = spec.query ? parseWith(spec.query, queryObject(new URL(request.url)), "query") : ({} as Q);
      const body = spec.body ? parseWith(spec.body, await readJsonBody(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), "body") : (undefined as B);
      const reply = await handler({ request, operator, params, query, body });
      if (reply instanceof Response) return reply;
      const response = jsonResponse(reply.json, reply.status ?? 200);
      for (const value of reply.cookies ?? []) response.headers.append("set-cookie", value);
      return response;
    } catch (error) {
      const mapped =
        error instanceof ApiRouteError
          ? error
          : error instanceof ServerConfigError
            ? new ApiRouteError("internal", "Something went wrong on the server.", undefined, error)
            : fromRestateError(error);
      logFailure(spec.name, mapped, error instanceof ApiRouteError ? (error.cause ?? error) : error);
      // Only the console's own identity and role checks: a refusal from the workflow is on record already.
      if (spec.onRefused && refusedHere && (mapped.code === "unauthorized" || mapped.code === "forbidden")) {
        const params = spec.params?.safeParse(await context?.params);
        if (params?.success)
          await spec
            .onRefused(await withBodyWithin(request, spec.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES), params.data, mapped)
            .catch((cause: unknown) => console.warn(`[${spec.name}] could not record the refusal`, cause));
      }
      return errorResponse(mapped);
    }
  };
}

/** A body that must be a JSON object: a missing body reads as "{}" problems, not a crash. */
export function jsonObject<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => value ?? {}, schema);
}

/** The methods Next.js routes to a route module; a module that leaves one out gets a bare 405 from Next. */
const ROUTED_METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"] as const;
type RoutedMethod = (typeof ROUTED_METHODS)[number];
type ServedMethod = Exclude<RoutedMethod, "HEAD" | "OPTIONS">;
type RouteHandler = (request: Request, context: RouteContext) => Promise<Response>;
type Refused<A extends ServedMethod> = Exclude<ServedMethod, A> | "OPTIONS" | ("GET" extends A ? never : "HEAD");

/**
 * Handlers for every method a route does not serve: 405 with `Allow` and the error envelope, and an
 * OPTIONS that lists the served ones (Next's own OPTIONS would count these handlers as served).
 *   export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
 */
export function otherMethods<const A extends ServedMethod>(served: readonly A[]): Record<Refused<A>, RouteHandler> {
  const allowed = ROUTED_METHODS.filter(
    (method) => (served as readonly string[]).includes(method) || (method === "HEAD" && served.includes("GET" as A)) || method === "OPTIONS",
  );
  const allow = allowed.join(", ");
  const handlers: Partial<Record<RoutedMethod, RouteHandler>> = {};
  for (const method of ROUTED_METHODS) {
    if (allowed.includes(method) && method !== "OPTIONS") continue;
    handlers[method] =
      method === "OPTIONS"
        ? async () => new Response(null, { status: 204, headers: { allow, "cache-control": "no-store" } })
        : async (request) => {
            const error = new ApiRouteError("method_not_allowed", `${request.method} is not allowed here; this route answers ${allow}.`);
            error.headers.allow = allow;
            return errorResponse(error);
          };
  }
  return handlers as Record<Refused<A>, RouteHandler>;
}
