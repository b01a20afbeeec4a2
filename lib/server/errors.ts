// Errors at the API boundary: one class that carries the envelope's code, and the mapping from
// what the Restate clients throw (HttpCallError, network failures, timeouts) to that class.
import "server-only";
import { HttpCallError } from "@restatedev/restate-sdk-clients";
import type { ZodError } from "zod";
import type { ApiError, ApiErrorCode } from "@/lib/api/contracts";

export const HTTP_STATUS: Record<ApiErrorCode, number> = {
  /** A document the route cannot read at all (an upload that is not SARIF, a malformed webhook delivery). */
  bad_request: 400,
  invalid_input: 422,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  method_not_allowed: 405,
  payload_too_large: 413,
  too_many_requests: 429,
  upstream_unavailable: 503,
  internal: 500,
};

export class ApiRouteError extends Error {
  override name = "ApiRouteError";
  /** Extra response headers (Retry-After, Allow). */
  readonly headers: Record<string, string> = {};
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly fields?: Record<string, string>,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
  get status(): number {
    return HTTP_STATUS[this.code];
  }
  toBody(): ApiError {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export const notFound = (message: string) => new ApiRouteError("not_found", message);
export const conflict = (message: string) => new ApiRouteError("conflict", message);

const UNREACHABLE = "Restate is not reachable right now; try again shortly.";

/** zod issues → path → first message, for the envelope's `fields`. */
export function fieldMessages(error: ZodError, prefix?: string): Record<string, string> {
  // No prototype: a field named "__proto__" or "constructor" is a key like any other, not an inherited member.
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const issue of error.issues) {
    const keys = issue.code === "unrecognized_keys" ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
    for (const path of keys) {
      const name = [prefix, ...path.map(String)].filter(Boolean).join(".") || "(root)";
      if (Object.hasOwn(fields, name)) continue;
      fields[name] = issue.code === "unrecognized_keys" ? `${String(path.at(-1))} is not a known field` : issue.message;
    }
  }
  return fields;
}

export function invalidInput(error: ZodError, what: string, prefix?: string): ApiRouteError {
  const fields = fieldMessages(error, prefix);
  const names = Object.keys(fields);
  return new ApiRouteError("invalid_input", `Invalid ${what}: ${names.map((name) => `${name}: ${fields[name]}`).join("; ")}`, fields);
}

/**
 * What Restate put in an error body: `{"code","message","source"}`. `source` is "invocation" when one
 * of our handlers threw it; `code` is then the handler's TerminalError errorCode (also the HTTP status).
 */
export function restateError(error: HttpCallError): { code: number | null; message: string | null; fromHandler: boolean } {
  try {
    const body = JSON.parse(error.responseText) as { code?: unknown; message?: unknown; source?: unknown };
    const message = typeof body.message === "string" && body.message.trim() ? body.message : null;
    return { code: typeof body.code === "number" ? body.code : null, message, fromHandler: body.source === "invocation" };
  } catch {
    // not JSON: Restate (or a proxy) answered with text
  }
  const text = error.responseText?.trim();
  return { code: null, message: text && text.length <= 500 && !text.startsWith("<") ? text : null, fromHandler: false };
}

function isNetworkFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === "TimeoutError" || error.name === "AbortError") return true;
  // undici: TypeError("fetch failed") with the socket error (ECONNREFUSED, ENOTFOUND...) as its cause.
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/**
 * Maps anything the ingress or admin clients threw to an envelope error. Restate's own 4xx messages
 * (unknown run, not waiting for sign-off, already decided) are written for operators and pass through.
 */
export function fromRestateError(error: unknown): ApiRouteError {
  if (error instanceof ApiRouteError) return error;
  if (isNetworkFailure(error)) return new ApiRouteError("upstream_unavailable", UNREACHABLE, undefined, error);
  if (error instanceof HttpCallError) {
    const { code, message, fromHandler } = restateError(error);
    switch (fromHandler && code !== null ? code : error.status) {
      case 400:
      case 422:
        return new ApiRouteError("invalid_input", message ?? "Restate rejected the request as invalid.");
      case 404:
        return new ApiRouteError("not_found", message ?? "Not found.");
      case 409:
        return new ApiRouteError("conflict", message ?? "The request conflicts with the run's current state.");
      case 401:
      case 403:
        // The workflow refusing a claim (the sign-off rules, or a signature this console made that the
        // services could not verify) speaks to the operator.
        if (fromHandler) return new ApiRouteError("forbidden", message ?? "The workflow refused the request.");
        // Not from our handlers: Restate (or a proxy before it) refused the console's own credentials.
        return new ApiRouteError("upstream_unavailable", "Restate refused the console's credentials; check RESTATE_*_HEADERS.");
      case 408:
      case 429:
      case 502:
      case 503:
      case 504:
        return new ApiRouteError("upstream_unavailable", UNREACHABLE);
    }
  }
  return new ApiRouteError("internal", "Something went wrong on the server.");
}
