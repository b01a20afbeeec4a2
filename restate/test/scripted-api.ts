// A scripted HTTP API for adapter tests, on 127.0.0.1 and a free port: routes answer like the part of a
// real API an adapter uses (keeping what was written, so a retried write can be counted), and a test
// can put failures in front of a route (a 429 with Retry-After, a 5xx, a 401, a body that is not JSON,
// a slow answer). Every request is recorded.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach } from "vitest";

export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** JSON or form fields, parsed; the raw text when neither. */
  body: Record<string, unknown>;
  raw: string;
}

export interface ApiReply {
  status: number;
  json?: unknown;
  /** Sent as is (text/html unless `headers` says otherwise): a proxy's error page, say. */
  text?: string;
  headers?: Record<string, string>;
  /** Waits this long before answering. */
  delayMs?: number;
  /** Runs the route after the delay and sends its answer: a write that happens, answered late. */
  thenRoute?: boolean;
}

type Handler = (request: ApiRequest, match: RegExpExecArray) => ApiReply;

interface Route {
  method: string;
  pattern: RegExp;
  handler: Handler;
  injected: ApiReply[];
}

export interface ScriptedApi {
  url: string;
  requests: ApiRequest[];
  /** Answers `method` on paths matching `pattern` (anchored) with `handler`. */
  route(method: string, pattern: RegExp, handler: Handler): void;
  /** The next requests to that route get these answers, in order, before its handler answers again. */
  inject(method: string, pattern: RegExp, ...replies: ApiReply[]): void;
  /** Requests to a route so far. */
  count(method: string, pattern: RegExp): number;
  close(): Promise<void>;
}

export const replies = {
  rateLimited: (seconds: number): ApiReply => ({ status: 429, json: { message: "slow down" }, headers: { "retry-after": String(seconds) } }),
  unavailable: (): ApiReply => ({ status: 503, json: { message: "try later" } }),
  unauthorized: (): ApiReply => ({ status: 401, json: { message: "Bad credentials" } }),
  notFound: (): ApiReply => ({ status: 404, json: { message: "Not Found" } }),
  garbage: (): ApiReply => ({ status: 200, text: "<html><body>upstream error</body></html>", headers: { "content-type": "application/json" } }),
  slow: (delayMs: number): ApiReply => ({ status: 200, json: {}, delayMs }),
};

function parseBody(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(raw));
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>) : { value: parsed };
  } catch {
    return { raw };
  }
}

export async function startScriptedApi(): Promise<ScriptedApi> {
  const routes: Route[] = [];
  const requests: ApiRequest[] = [];
  const find = (method: string, path: string) => {
    for (const route of routes) {
      const match = route.method === method ? route.pattern.exec(path) : null;
      if (match) return { route, match };
    }
    return null;
  };
  const routeOf = (method: string, pattern: RegExp) => {
    const anchored = new RegExp(`^${pattern.source}$`);
    let route = routes.find((candidate) => candidate.method === method && candidate.pattern.source === anchored.source);
    if (!route) {
      route = { method, pattern: anchored, handler: () => ({ status: 404, json: { message: "no such route" } }), injected: [] };
      routes.push(route);
    }
    return route;
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://127.0.0.1");
      const raw = Buffer.concat(chunks).toString("utf8");
      const request: ApiRequest = {
        method: req.method ?? "GET",
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: parseBody(raw, req.headers["content-type"]),
        raw,
      };
      requests.push(request);
      const found = find(request.method, request.path);
      const answer = (reply: ApiReply) => {
        if (res.destroyed) return;
        const headers = { "content-type": reply.text !== undefined ? "text/html" : "application/json", ...reply.headers };
        res.writeHead(reply.status, headers);
        res.end(reply.text ?? (reply.json === undefined ? "" : JSON.stringify(reply.json)));
      };
      if (!found) return answer({ status: 404, json: { message: `no route for ${request.method} ${request.path}` } });
      const injected = found.route.injected.shift();
      const reply = injected ?? found.route.handler(request, found.match);
      if (!reply.delayMs) return answer(reply);
      setTimeout(() => answer(reply.thenRoute ? found.route.handler(request, found.match) : reply), reply.delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route(method, pattern, handler) {
      routeOf(method, pattern).handler = handler;
    },
    inject(method, pattern, ...more) {
      routeOf(method, pattern).injected.push(...more);
    },
    count(method, pattern) {
      const anchored = new RegExp(`^${pattern.source}$`);
      return requests.filter((request) => request.method === method && anchored.test(request.path)).length;
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fresh scripted API for each test of the file (closed after it); `api()` is the current one. */
export function scriptedApiPerTest(): () => ScriptedApi {
  let api: ScriptedApi | undefined;
  beforeEach(async () => {
    api = await startScriptedApi();
  });
  afterEach(async () => {
    await api?.close();
  });
  return () => {
    if (!api) throw new Error("the scripted API starts before each test");
    return api;
  };
}
