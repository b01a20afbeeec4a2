// The ingress transport against a real HTTP server on loopback: answers, kept-alive connections, and
// failures shaped as the global fetch's (so lib/server/errors.ts maps them to 503 alike).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { freePort } from "@/scripts/stack";
import { keepAliveFetch } from "./ingress-transport";

let server: Server | undefined;
afterEach(() => new Promise<void>((done) => (server ? (server.closeAllConnections(), server.close(() => done())) : done())));

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; connections: () => number }> {
  let connections = 0;
  server = createServer(handler);
  server.on("connection", () => connections++);
  await new Promise<void>((ready) => server!.listen(0, "127.0.0.1", ready));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, connections: () => connections };
}

describe("keepAliveFetch", () => {
  it("sends method, headers and body, returns status, headers and body, and reuses one connection", async () => {
    const { url, connections } = await listen((request, response) => {
      let body = "";
      request.on("data", (chunk: Buffer) => (body += chunk.toString()));
      request.on("end", () => {
        response.writeHead(202, { "content-type": "application/json", "x-seen": `${request.method} ${request.headers["x-key"]}` });
        response.end(JSON.stringify({ echoed: body }));
      });
    });
    const send = keepAliveFetch(5_000);
    for (const id of ["a", "b", "c"]) {
      const answer = await send(`${url}/RemediationWorkflow/${id}/run/send`, { method: "POST", headers: { "x-key": id }, body: new TextEncoder().encode(id) });
      expect(answer.status).toBe(202);
      expect(answer.headers.get("x-seen")).toBe(`POST ${id}`);
      expect(await answer.json()).toEqual({ echoed: id });
    }
    expect(connections()).toBe(1);
  });

  it("fails as fetch does when nothing listens: TypeError 'fetch failed' with the socket error as cause", async () => {
    const error = await keepAliveFetch(5_000)(`http://127.0.0.1:${await freePort()}/x`).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).message).toBe("fetch failed");
    expect(((error as TypeError).cause as NodeJS.ErrnoException).code).toBe("ECONNREFUSED");
  });

  it("gives up on an ingress that never answers after the timeout, with a TimeoutError", async () => {
    const { url } = await listen(() => {});
    const started = Date.now();
    const error = await keepAliveFetch(300)(`${url}/x`, { method: "POST", body: "{}" }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe("TimeoutError");
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
