// The browser's only way to the console API: fetch, parse the body with the contract's zod schema,
// and turn the error envelope into an ApiRequestError that pages can show field by field.
import type { z } from "zod";
import type { ApiErrorCode } from "@/lib/api/contracts";

type Contracts = typeof import("@/lib/api/contracts");
/** Picks the schema that an answer must match out of the contract module. */
export type ContractSchema<Schema extends z.ZodType> = (contracts: Contracts) => Schema;

/**
 * True while this tab signs out: a refresh answered 401 meanwhile met the ended session, and the
 * sign-out itself goes to the sign-in page, without a way back to this page.
 */
let signingOut = false;
export const isSigningOut = () => signingOut;
export function setSigningOut(active: boolean): void {
  signingOut = active;
}

let contracts: Promise<Contracts> | undefined;
let loadedContracts: Contracts | undefined;

/**
 * The contract's schemas, and zod with them, load beside the first request rather than with the page:
 * they are most of a page's script and nothing needs them before data arrives.
 */
export function loadContracts(): Promise<Contracts> {
  contracts ??= import("@/lib/api/contracts").then((module) => (loadedContracts = module));
  return contracts;
}

/** The contract module once loadContracts() has finished, for checks that cannot wait (a form field on blur). */
export function contractsIfLoaded(): Contracts | undefined {
  return loadedContracts;
}

export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode | "network" | "unexpected_response",
    message: string,
    /** Field-level problems of an invalid_input answer: path → message. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message);
    this.name = "ApiRequestError";
  }

  get isNotFound() {
    return this.code === "not_found";
  }
}

interface RequestOptions {
  method?: "GET" | "POST" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

/** The session's CSRF token, from the cookie the sign-in set for our own pages to read. */
function csrfToken(): string | undefined {
  if (typeof document === "undefined") return undefined;
  // document.cookie reads "name=value; name=value"; the token is base64url, so it is never percent-encoded.
  for (const pair of document.cookie.split(";")) {
    const split = pair.indexOf("=");
    if (split > 0 && pair.slice(0, split).trim() === "rmc_csrf") return pair.slice(split + 1).trim() || undefined;
  }
  return undefined;
}

export async function requestJson<Schema extends z.ZodType>(
  url: string,
  pickSchema: ContractSchema<Schema>,
  { method = "GET", body, signal }: RequestOptions = {},
): Promise<z.infer<Schema>> {
  const schemas = loadContracts();
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal,
      headers: {
        accept: "application/json",
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...(method === "GET" ? {} : { "x-csrf-token": csrfToken() ?? "" }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiRequestError(0, "network", "The console cannot reach its server. Check your connection and try again.");
  }

  const text = await response.text();
  let payload: unknown = undefined;
  if (text) {
    try {
      payload = JSON.parse(text);
    } catch {
      payload = undefined;
    }
  }

  if (response.status === 401 && !signingOut && !url.startsWith("/api/auth/") && typeof window !== "undefined" && window.location.pathname !== "/sign-in") {
    // The session ended (expired, signed out elsewhere, operator removed): sign in again, then come back.
    window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
  const contract = await schemas;
  if (!response.ok) {
    const envelope = contract.ApiErrorSchema.safeParse(payload);
    if (envelope.success) {
      const { code, message, fields } = envelope.data.error;
      throw new ApiRequestError(response.status, code, message, fields ?? {});
    }
    throw new ApiRequestError(response.status, "unexpected_response", `The console API answered ${response.status} ${response.statusText}.`);
  }

  const parsed = pickSchema(contract).safeParse(payload);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first ? ` (${first.path.join(".") || "body"}: ${first.message})` : "";
    throw new ApiRequestError(response.status, "unexpected_response", `The console API answered with an unexpected shape${where}.`);
  }
  return parsed.data;
}

/** A short, operator-readable sentence for any error a query or mutation may throw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiRequestError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}
