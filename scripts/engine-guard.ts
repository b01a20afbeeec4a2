// The embedded default's front door to the engine. Restate's ingress and admin API have no
// authentication and answer any Host and any Origin (with CORS credentials), so a web page in an
// operator's browser could reach them: cross-origin, or through DNS rebinding. `npm start` runs the
// server on internal loopback ports and publishes the usual ones (8080, 9070) through this guard:
//   - the Host must be a loopback name with this port (a rebinding page sends its own name: 421);
//   - a request a browser sends from another origin is refused (403), and CORS headers are dropped,
//     so no page can read an answer; the admin port still serves Restate's UI to its own origin.
// curl, the restate CLI and scripts send no Origin and pass as before. The console and the services
// talk to the internal ports directly.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from "node:http";

const LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "[::1]"];

export interface GuardOptions {
  /** Port to publish on 127.0.0.1. */
  port: number;
  /** Where the real listener is (an internal loopback port). */
  upstream: { host: string; port: number };
  /** Which engine port this is: the admin port serves Restate's UI to its own origin. */
  kind: "ingress" | "admin";
}

/** Why a request is refused, or null when it may pass. Exported for tests. */
export function guardRefusal(
  kind: GuardOptions["kind"],
  port: number,
  headers: { host?: string; origin?: string },
): { status: number; message: string } | null {
  const host = (headers.host ?? "").toLowerCase();
  if (!LOOPBACK_HOSTS.some((name) => host === `${name}:${port}` || host === name)) {
    return { status: 421, message: `Refused: this Restate ${kind} port answers only to 127.0.0.1:${port} or localhost:${port}, not "${headers.host ?? ""}".` };
  }
  const origin = headers.origin;
  if (origin !== undefined) {
    const sameOrigin = kind === "admin" && origin.toLowerCase() === `http://${host}`;
    if (!sameOrigin) {
      return { status: 403, message: `Refused: browsers may not call the Restate ${kind} from another origin (${origin}); use the console.` };
    }
  }
  return null;
}

function refuse(response: ServerResponse, status: number, message: string) {
  const body = JSON.stringify({ code: status, message });
  response.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), connection: "close" });
  response.end(body);
}

function forward(options: GuardOptions, incoming: IncomingMessage, response: ServerResponse) {
  const upstream = httpRequest(
    {
      host: options.upstream.host,
      port: options.upstream.port,
      method: incoming.method,
      path: incoming.url,
      headers: { ...incoming.headers, host: `${options.upstream.host}:${options.upstream.port}` },
    },
    (answer) => {
      const headers = { ...answer.headers };
      for (const name of Object.keys(headers)) if (name.startsWith("access-control-")) delete headers[name];
      response.writeHead(answer.statusCode ?? 502, headers);
      answer.pipe(response);
    },
  );
  upstream.on("error", (error) => {
    if (!response.headersSent) refuse(response, 502, `Restate ${options.kind} is not reachable: ${error.message}`);
    else response.destroy(error);
  });
  incoming.pipe(upstream);
}

export function startEngineGuard(options: GuardOptions): Promise<Server> {
  const server = createServer((incoming, response) => {
    const refusal = guardRefusal(options.kind, options.port, { host: incoming.headers.host, origin: incoming.headers.origin });
    if (refusal) {
      incoming.resume();
      refuse(response, refusal.status, refusal.message);
      return;
    }
    forward(options, incoming, response);
  });
  // Long-polling ingress calls (`/run` waits for the workflow) must not be cut by Node's defaults.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve(server));
  });
}
