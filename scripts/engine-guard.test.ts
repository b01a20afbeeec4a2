// The guard npm start puts in front of Restate's ports, against a real restate-server: curl-style
// requests pass, a rebinding page's Host and another origin's browser requests are refused and never
// reach the engine, and no CORS header ever lets a page read an answer.
import { request } from "node:http";
import type { Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finding, startTestStack, type TestStack } from "../restate/test/harness";
import { startEngineGuard } from "./engine-guard";
import { freePort } from "./stack";

let stack: TestStack;
let guards: Server[] = [];
const published = { ingress: 0, admin: 0 };

beforeAll(async () => {
  stack = await startTestStack();
  published.ingress = await freePort();
  published.admin = await freePort();
  guards = await Promise.all([
    startEngineGuard({ kind: "ingress", port: published.ingress, upstream: { host: "127.0.0.1", port: stack.server.ports.ingress } }),
    startEngineGuard({ kind: "admin", port: published.admin, upstream: { host: "127.0.0.1", port: stack.server.ports.admin } }),
  ]);
});
afterAll(async () => {
  for (const guard of guards) await new Promise((resolve) => guard.close(resolve));
  await stack?.stop();
});

/** A raw HTTP request with the headers a browser (or a rebinding page) would send. */
function send(port: number, method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return new Promise<{ status: number; headers: Record<string, unknown>; text: string }>((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const outgoing = request(
      { host: "127.0.0.1", port, method, path, headers: { ...(payload ? { "content-type": "application/json" } : {}), ...headers } },
      (answer) => {
        let text = "";
        answer.setEncoding("utf8");
        answer.on("data", (chunk: string) => (text += chunk));
        answer.on("end", () => resolve({ status: answer.statusCode ?? 0, headers: answer.headers, text }));
      },
    );
    outgoing.on("error", reject);
    outgoing.end(payload);
  });
}

const runsOf = async (id: string) =>
  Number((await stack.sql<{ n: number }>(`SELECT count(*) AS n FROM sys_invocation WHERE target = 'RemediationWorkflow/${id}/run'`))[0]?.n ?? 0);

describe("the engine guard", () => {
  it("lets curl-style requests through to the ingress and the admin API", async () => {
    const low = finding();
    const submitted = await send(published.ingress, "POST", `/RemediationWorkflow/${low.id}/run/send`, { host: `127.0.0.1:${published.ingress}` }, low);
    expect(submitted.status).toBe(202);
    await stack.waitForStage(low.id, "completed");
    const query = await send(
      published.admin,
      "POST",
      "/query",
      { host: `localhost:${published.admin}`, accept: "application/json" },
      { query: "SELECT count(1) AS n FROM sys_invocation" },
    );
    expect(query.status).toBe(200);
    expect(JSON.parse(query.text)).toMatchObject({ rows: [expect.objectContaining({ n: expect.any(Number) })] });
  });

  it.each([
    ["ingress", "POST", "/RemediationWorkflow/ID/run/send"],
    ["admin", "POST", "/query"],
  ] as const)("refuses a foreign Host on the %s port (DNS rebinding) before it reaches the engine", async (kind, method, path) => {
    const low = finding();
    const port = published[kind];
    const answer = await send(
      port,
      method,
      path.replace("ID", low.id),
      { host: `rebind.evil.example:${port}` },
      kind === "ingress" ? low : { query: "SELECT 1" },
    );
    expect(answer.status).toBe(421);
    expect(answer.text).toMatch(/answers only to 127\.0\.0\.1/);
    if (kind === "ingress") expect(await runsOf(low.id)).toBe(0);
  });

  it("refuses a browser request from another origin, preflight included, and sends no CORS header", async () => {
    const low = finding();
    // Restate itself would answer with CORS headers for any origin: that is why the guard is there.
    const raw = await send(stack.server.ports.ingress, "OPTIONS", `/RemediationWorkflow/${low.id}/status`, {
      host: `127.0.0.1:${stack.server.ports.ingress}`,
      origin: "https://evil.example",
      "access-control-request-method": "POST",
    });
    expect(raw.headers["access-control-allow-origin"]).toBeDefined();

    for (const [method, path] of [
      ["OPTIONS", `/RemediationWorkflow/${low.id}/status`],
      ["POST", `/RemediationWorkflow/${low.id}/run/send`],
      ["POST", `/RemediationWorkflow/${low.id}/approve`],
    ] as const) {
      const answer = await send(
        published.ingress,
        method,
        path,
        { host: `127.0.0.1:${published.ingress}`, origin: "https://evil.example" },
        method === "OPTIONS" ? undefined : low,
      );
      expect(answer.status, `${method} ${path}`).toBe(403);
      expect(answer.headers["access-control-allow-origin"]).toBeUndefined();
    }
    expect(await runsOf(low.id)).toBe(0);
  });

  it("still serves Restate's own UI on the admin port to its own origin, without CORS headers", async () => {
    const sameOrigin = await send(
      published.admin,
      "POST",
      "/query",
      { host: `127.0.0.1:${published.admin}`, origin: `http://127.0.0.1:${published.admin}`, accept: "application/json" },
      {
        query: "SELECT count(1) AS n FROM sys_invocation",
      },
    );
    expect(sameOrigin.status).toBe(200);
    expect(sameOrigin.headers["access-control-allow-origin"]).toBeUndefined();
    const otherOrigin = await send(
      published.admin,
      "POST",
      "/query",
      { host: `127.0.0.1:${published.admin}`, origin: "http://localhost:3000" },
      { query: "SELECT 1" },
    );
    expect(otherOrigin.status).toBe(403);
  });
});
