// One wrapper for every route handler: zod-validated params, query and body, one JSON error
// envelope, and errors mapped to status codes. Unknown failures become a 500 that leaks nothing.
import "server-only";
import { z, type ZodType } from "zod";
import { ApiRouteError, fromRestateError, invalidInput } from "./errors";

/** Next 16 passes dynamic segments as a promise. */
export interface RouteContext {
  params: Promise<Record<string, string | string[] | undefined>>;
}

export interface RouteInput<P, Q, B> {
  request: Request;
  params: P;
  query: Q;
  body: B;
}

/** A handler's answer: JSON with a status (200 unless said otherwise). */
export interface Reply<T> {
  status?: number;
  json: T;
}

interface RouteSpec<P, Q, B> {
  /** "GET /api/findings": names the route in logs. */
  name: string;
  params?: ZodType<P>;
  query?: ZodType<Q>;
  body?: ZodType<B>;
}

const NO_STORE = { "cache-control": "no-store" };

export function jsonResponse(json: unknown, status = 200): Response {
  return Response.json(json, { status, headers: NO_STORE });
}

function errorResponse(error: ApiRouteError): Response {
  return jsonResponse(error.toBody(), error.status);
}

async function readJsonBody(request: Request): Promise<unknown> {
  const text = await request.text();
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
  else if (mapped.code === "upstream_unavailable") console.warn(`[${name}] Restate unavailable: ${describeCause(original)}`);
}

export function route<P = Record<string, never>, Q = Record<string, never>, B = undefined, T = unknown>(
  spec: RouteSpec<P, Q, B>,
  handler: (input: RouteInput<P, Q, B>) => Promise<Reply<T>>,
): (request: Request, context: RouteContext) => Promise<Response> {
  return async (request, context) => {
    try {
      const params = spec.params ? parseWith(spec.params, await context?.params, "path") : ({} as P);
      const query = spec.query ? parseWith(spec.query, queryObject(new URL(request.url)), "query") : ({} as Q);
      const body = spec.body ? parseWith(spec.body, await readJsonBody(request), "body") : (undefined as B);
      const reply = await handler({ request, params, query, body });
      return jsonResponse(reply.json, reply.status ?? 200);
    } catch (error) {
      const mapped = error instanceof ApiRouteError ? error : fromRestateError(error);
      logFailure(spec.name, mapped, error instanceof ApiRouteError ? (error.cause ?? error) : error);
      return errorResponse(mapped);
    }
  };
}

/** A body that must be a JSON object: a missing body reads as "{}" problems, not a crash. */
export function jsonObject<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => value ?? {}, schema);
}
