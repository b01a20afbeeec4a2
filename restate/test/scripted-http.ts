// A scripted HTTP server for adapter tests: on 127.0.0.1 and a free port, each request takes the next
// reply of the script (the last one repeats) and is recorded with its headers and body, so a test can
// count deliveries, read idempotency keys and see what an adapter sent.
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

export type HttpReply =
  | { kind: "answer"; status: number; body?: string; headers?: Record<string, string> }
  /** Bytes that are not HTTP, then the connection closes. */
  | { kind: "garbage" }
  | { kind: "slow"; delayMs: number; then: HttpReply };

export const http = {
  answer: (status: number, body: unknown = "", headers: Record<string, string> = {}): HttpReply => ({
    kind: "answer",
    status,
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: typeof body === "string" ? headers : { "content-type": "application/json", ...headers },
  }),
  garbage: (): HttpReply => ({ kind: "garbage" }),
  slow: (delayMs: number, then: HttpReply): HttpReply => ({ kind: "slow", delayMs, then }),
};

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface ScriptedHttpServer {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startScriptedHttpServer(script: HttpReply[] | ((request: RecordedRequest, index: number) => HttpReply)): Promise<ScriptedHttpServer> {
  const requests: RecordedRequest[] = [];
  const pick = (request: RecordedRequest, index: number): HttpReply => {
    if (typeof script === "function") return script(request, index);
    const next = script[Math.min(index, script.length - 1)];
    if (!next) throw new Error("the script has no replies");
    return next;
  };
  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const request = {
        method: incoming.method ?? "",
        path: incoming.url ?? "",
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        at: Date.now(),
      };
      const index = requests.length;
      requests.push(request);
      const answer = (reply: HttpReply) => {
        if (response.destroyed) return;
        if (reply.kind === "slow") {
          const timer = setTimeout(() => answer(reply.then), reply.delayMs);
          response.once("close", () => clearTimeout(timer));
        } else if (reply.kind === "garbage") {
          response.socket?.end("NOT HTTP AT ALL\r\n\r\n");
        } else {
          response.writeHead(reply.status, reply.headers);
          response.end(reply.body);
        }
      };
      answer(pick(request, index));
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
