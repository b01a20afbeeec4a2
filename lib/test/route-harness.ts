// Test support for the route handlers: a real stack per test file, the console pointed at it through
// the environment (as in production), and a way to call a route module as Next.js would.
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { parseSetCookie, stringifyCookie, type SetCookie } from "cookie";
import { afterAll, beforeAll } from "vitest";
import type { Role } from "@/lib/auth/roles";
import { TEST_BCRYPT_COST } from "@/scripts/stack";
import { PATIENCE_MS, pollUntil, startTestStack, type TestStack, type TestStackOptions } from "@/restate/test/harness";
import type { RouteContext } from "@/lib/server/route";

/** The operators every route test can act as; each one's password is `${username}-password`. */
export const TEST_OPERATORS: Record<string, Role[]> = {
  ada: ["admin"],
  vic: ["viewer"],
  sam: ["submitter"],
  ana: ["approver"],
  bo: ["approver"],
};
export type TestOperator = keyof typeof TEST_OPERATORS;
export const passwordOf = (username: string) => `${username}-password`;

const tokens: Record<string, string> = {};
/** A personal API token of a test operator (made by installTestOperators). */
export function tokenOf(username: string): string {
  const token = tokens[username];
  if (!token) throw new Error(`no token for ${username}: call installTestOperators() first`);
  return token;
}

/**
 * Writes an operators file with TEST_OPERATORS, points the console at it (and at fresh session and
 * signing secrets unless given), and makes one API token per operator. Returns the settings.
 */
export async function installTestOperators(settings: { approvalSigningSecret?: string } = {}): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "console-operators-"));
  const operators = Object.entries(TEST_OPERATORS).map(([username, roles]) => ({
    username,
    name: username.toUpperCase(),
    roles,
    passwordHash: bcrypt.hashSync(passwordOf(username), TEST_BCRYPT_COST),
  }));
  writeFileSync(join(dir, "operators.json"), JSON.stringify({ operators }));
  process.env.OPERATORS_FILE = join(dir, "operators.json");
  process.env.API_TOKENS_FILE = join(dir, "api-tokens.json");
  process.env.SESSION_SECRET = randomBytes(32).toString("hex");
  process.env.APPROVAL_SIGNING_SECRET = settings.approvalSigningSecret ?? randomBytes(32).toString("hex");
  const { resetServerEnvForTests } = await import("@/lib/server/env");
  resetServerEnvForTests();
  const { createToken } = await import("@/lib/server/auth/api-tokens");
  for (const operator of operators) tokens[operator.username] = createToken({ ...operator, groups: [], source: "local" }, "tests").token;
}

type Handler = (request: Request, context: RouteContext) => Promise<Response>;

export interface RouteAnswer<T = unknown> {
  status: number;
  body: T;
}

/** Calls an exported GET/POST with a Request and Next 16's `{ params: Promise }` second argument. */
export async function callRoute<T = unknown>(
  handler: Handler,
  path: string,
  options: {
    method?: string;
    body?: unknown;
    params?: Record<string, string>;
    /** Who calls, with their API token: an admin unless said otherwise; null for nobody. */
    as?: string | null;
    headers?: Record<string, string>;
  } = {},
): Promise<RouteAnswer<T> & { headers: Headers }> {
  const headers: Record<string, string> = { ...options.headers };
  const as = options.as === undefined ? "ada" : options.as;
  if (as) headers.authorization = `Bearer ${tokenOf(as)}`;
  const init: RequestInit = { method: options.method ?? "GET", headers };
  if (options.body !== undefined) {
    init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] = "application/json";
  }
  const response = await handler(new Request(`http://console.test${path}`, init), { params: Promise.resolve(options.params ?? {}) });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T, headers: response.headers };
}

/** A response's Set-Cookie headers, parsed (values decoded), by cookie name. */
export function setCookies(response: { headers: Headers }): Record<string, SetCookie> {
  const parsed = response.headers.getSetCookie().map((header) => parseSetCookie(header));
  return Object.fromEntries(parsed.map((cookie) => [cookie.name, cookie]));
}

/** The Cookie header a browser sends after this response: the cookies it set, less the ones it cleared (Max-Age=0). */
export function cookieHeaderAfter(response: { headers: Headers }): string {
  const kept = Object.values(setCookies(response)).filter((cookie) => cookie.maxAge === undefined || cookie.maxAge > 0);
  return stringifyCookie(Object.fromEntries(kept.map((cookie) => [cookie.name, cookie.value])));
}

/**
 * Starts a stack before the file's tests and points the console's settings at it. Route modules must
 * be imported after that (dynamic import in beforeAll), so the settings are read from this stack.
 */
export function consoleStackPerFile(options?: TestStackOptions): { readonly stack: TestStack } {
  const holder: { stack?: TestStack } = {};
  beforeAll(async () => {
    holder.stack = await startTestStack(options);
    process.env.RESTATE_INGRESS = holder.stack.server.ingressUrl;
    process.env.RESTATE_ADMIN = holder.stack.server.adminUrl;
    process.env.RECORD_VERIFY_KEY = holder.stack.secrets.recordVerifyKey;
    await installTestOperators({ approvalSigningSecret: holder.stack.secrets.approvalSigningSecret });
  });
  afterAll(async () => {
    await holder.stack?.stop();
  });
  return {
    get stack() {
      if (!holder.stack) throw new Error("the stack starts in beforeAll");
      return holder.stack;
    },
  };
}

/**
 * A route module for the file's tests, imported in beforeAll: call it after consoleStackPerFile, so the
 * module reads the console's settings from that stack. Use the result as the module itself, in tests.
 */
export function routeModule<Module extends object>(load: () => Promise<Module>): Module {
  let loaded: Module | undefined;
  beforeAll(async () => {
    loaded = await load();
  });
  return new Proxy({} as Module, {
    get(_, name) {
      if (!loaded) throw new Error("route modules are imported in beforeAll: use them inside tests and hooks");
      return Reflect.get(loaded, name);
    },
  });
}

/** Retries `check` until it passes (assertions inside may throw), more and more rarely (pollUntil), with the tests' patience. */
export function eventually<T>(check: () => Promise<T>, timeoutMs = PATIENCE_MS): Promise<T> {
  return pollUntil(check, { timeoutMs });
}
