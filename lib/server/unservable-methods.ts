// Next.js cannot turn a TRACE request into a Request object and fails on it with a 500
// before any route or the proxy runs. The console answers them itself, as the routes answer every
// other method they do not serve: 405 with Allow and the error envelope. Installed once, from
// lib/server/console-startup.ts, on Node's HTTP server, ahead of Next's own request handling.
import "server-only";
import { Server, type IncomingMessage, type ServerResponse } from "node:http";

const UNSERVABLE = new Set(["TRACE"]);
const ALLOW = "GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS";
const installed = Symbol.for("remediation-console.unservable-methods");

function refuse(request: IncomingMessage, response: ServerResponse): void {
  const body = JSON.stringify({ error: { code: "method_not_allowed", message: `${request.method} is not allowed here; the console answers ${ALLOW}.` } });
  request.resume();
  response.writeHead(405, { allow: ALLOW, "content-type": "application/json", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  response.end(body);
}

export function refuseUnservableMethods(): void {
  const prototype = Server.prototype as Server & { [installed]?: boolean };
  if (prototype[installed]) return;
  prototype[installed] = true;
  const emit = prototype.emit;
  prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const [request, response] = args as [IncomingMessage, ServerResponse];
      if (request.method && UNSERVABLE.has(request.method)) {
        refuse(request, response);
        return true;
      }
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof prototype.emit;
}
