// Test support for the route handlers: a real stack per test file, the console pointed at it through
// the environment (as in production), and a way to call a route module as Next.js would.
import { afterAll, beforeAll } from "vitest";
import { startTestStack, type TestStack, type TestStackOptions } from "@/restate/test/harness";
import type { RouteContext } from "./route";

type Handler = (request: Request, context: RouteContext) => Promise<Response>;

export interface RouteAnswer<T = unknown> {
  status: number;
  body: T;
}

/** Calls an exported GET/POST with a Request and Next 16's `{ params: Promise }` second argument. */
export async function callRoute<T = unknown>(
  handler: Handler,
  path: string,
  options: { method?: string; body?: unknown; params?: Record<string, string> } = {},
): Promise<RouteAnswer<T>> {
  const init: RequestInit = { method: options.method ?? "GET" };
  if (options.body !== undefined) {
    init.body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    init.headers = { "content-type": "application/json" };
  }
  const response = await handler(new Request(`http://console.test${path}`, init), { params: Promise.resolve(options.params ?? {}) });
  return { status: response.status, body: (await response.json()) as T };
}

/**
 * Starts a stack before the file's tests and points the console's settings at it. Route modules must
 * be imported after that (dynamic import in beforeAll), so the settings are read from this stack.
 */
export function useConsoleStack(options?: TestStackOptions): { readonly stack: TestStack } {
  const holder: { stack?: TestStack } = {};
  beforeAll(async () => {
    holder.stack = await startTestStack(options);
    process.env.RESTATE_INGRESS = holder.stack.server.ingressUrl;
    process.env.RESTATE_ADMIN = holder.stack.server.adminUrl;
    const { resetServerEnvForTests } = await import("./env");
    resetServerEnvForTests();
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

/** Polls until `check` passes (assertions inside may throw) or the time is up. */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
  }
}
