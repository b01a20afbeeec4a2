// A scripted model server for tests: speaks the part of OpenAI's chat-completions API
// (POST …/chat/completions) and of Anthropic's messages API (POST …/messages) that the model layer
// uses, on 127.0.0.1 and a free port. Each request takes the next reply of the script; requests are
// counted by their body, so a test can tell a retried request from a new one.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface ScriptedUsage {
  input: number;
  output: number;
}

export type ScriptedReply =
  | { kind: "text"; text: string; usage?: ScriptedUsage }
  | { kind: "tool-calls"; calls: { name: string; input: unknown }[]; text?: string; usage?: ScriptedUsage }
  /** An HTTP error: `message` goes into the dialect's error body unless `body` replaces it. */
  | { kind: "error"; status: number; message: string; headers?: Record<string, string>; body?: string }
  /** A 200 whose body is not JSON (a proxy's error page, a wrong base URL). */
  | { kind: "not-json"; body: string }
  | { kind: "slow"; delayMs: number; then: ScriptedReply };

export const reply = {
  text: (text: string, usage?: ScriptedUsage): ScriptedReply => ({ kind: "text", text, usage }),
  json: (value: unknown, usage?: ScriptedUsage): ScriptedReply => ({ kind: "text", text: JSON.stringify(value), usage }),
  toolCalls: (calls: { name: string; input: unknown }[], usage?: ScriptedUsage): ScriptedReply => ({ kind: "tool-calls", calls, usage }),
  error: (status: number, message: string, headers?: Record<string, string>): ScriptedReply => ({ kind: "error", status, message, headers }),
  notJson: (body = "<html><body>502 Bad Gateway</body></html>"): ScriptedReply => ({ kind: "not-json", body }),
  slow: (delayMs: number, then: ScriptedReply): ScriptedReply => ({ kind: "slow", delayMs, then }),
};

export interface ScriptedRequest {
  dialect: "openai" | "anthropic";
  path: string;
  headers: IncomingMessage["headers"];
  body: Record<string, unknown>;
  /** sha256 of the raw body: equal for a retry of the same request. */
  key: string;
  /** 1 for the first time this body is seen, 2 for its first retry… */
  seen: number;
  /** When it arrived (ms since the epoch). */
  at: number;
}

/** The script: replies taken in order (the last one repeats), or a function of the request. */
export type Script = ScriptedReply[] | ((request: ScriptedRequest, index: number) => ScriptedReply);

export interface ScriptedModelServer {
  /** Base URL for @ai-sdk/openai-compatible and @ai-sdk/anthropic (both append their own paths). */
  url: string;
  requests: ScriptedRequest[];
  /** How many times each distinct request body arrived, in order of first arrival. */
  counts(): number[];
  /** Runs `onRequest` for every request as it arrives (before the reply). */
  onRequest(listener: (request: ScriptedRequest) => void): void;
  close(): Promise<void>;
}

const MODEL_ECHO = "scripted-model";

function openaiBody(scripted: Exclude<ScriptedReply, { kind: "error" | "not-json" | "slow" }>, index: number) {
  const usage = scripted.usage ?? { input: 10, output: 5 };
  const toolCalls =
    scripted.kind === "tool-calls"
      ? scripted.calls.map((call, n) => ({
          id: `call_${index}_${n}`,
          type: "function",
          function: { name: call.name, arguments: JSON.stringify(call.input) },
        }))
      : undefined;
  return {
    id: `chatcmpl-${index}`,
    object: "chat.completion",
    created: 1_700_000_000,
    model: MODEL_ECHO,
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: scripted.text ?? null, ...(toolCalls ? { tool_calls: toolCalls } : {}) },
        finish_reason: toolCalls ? "tool_calls" : "stop",
      },
    ],
    usage: { prompt_tokens: usage.input, completion_tokens: usage.output, total_tokens: usage.input + usage.output },
  };
}

function anthropicBody(scripted: Exclude<ScriptedReply, { kind: "error" | "not-json" | "slow" }>, index: number) {
  const usage = scripted.usage ?? { input: 10, output: 5 };
  const content: unknown[] = scripted.text ? [{ type: "text", text: scripted.text }] : [];
  if (scripted.kind === "tool-calls") {
    scripted.calls.forEach((call, n) => content.push({ type: "tool_use", id: `toolu_${index}_${n}`, name: call.name, input: call.input }));
  }
  return {
    id: `msg_${index}`,
    type: "message",
    role: "assistant",
    model: MODEL_ECHO,
    content,
    stop_reason: scripted.kind === "tool-calls" ? "tool_use" : "end_turn",
    stop_sequence: null,
    usage: { input_tokens: usage.input, output_tokens: usage.output },
  };
}

function errorBody(dialect: ScriptedRequest["dialect"], status: number, message: string) {
  return dialect === "openai"
    ? { error: { message, type: status === 429 ? "rate_limit_exceeded" : "invalid_request_error", code: null } }
    : { type: "error", error: { type: status === 429 ? "rate_limit_error" : "invalid_request_error", message } };
}

export async function startScriptedModelServer(script: Script): Promise<ScriptedModelServer> {
  const requests: ScriptedRequest[] = [];
  const seen = new Map<string, number>();
  const listeners: ((request: ScriptedRequest) => void)[] = [];
  const pick = (request: ScriptedRequest, index: number): ScriptedReply => {
    if (typeof script === "function") return script(request, index);
    const next = script[Math.min(index, script.length - 1)];
    if (!next) throw new Error("the script has no replies");
    return next;
  };

  const answer = (response: ServerResponse, request: ScriptedRequest, scripted: ScriptedReply, index: number) => {
    if (response.destroyed) return;
    switch (scripted.kind) {
      case "slow": {
        const timer = setTimeout(() => answer(response, request, scripted.then, index), scripted.delayMs);
        response.once("close", () => clearTimeout(timer));
        return;
      }
      case "error":
        response.writeHead(scripted.status, { "content-type": scripted.body ? "text/plain" : "application/json", ...scripted.headers });
        response.end(scripted.body ?? JSON.stringify(errorBody(request.dialect, scripted.status, scripted.message)));
        return;
      case "not-json":
        response.writeHead(200, { "content-type": "application/json" });
        response.end(scripted.body);
        return;
      default:
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify(request.dialect === "openai" ? openaiBody(scripted, index) : anthropicBody(scripted, index)));
    }
  };

  const server = createServer((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on("data", (chunk: Buffer) => chunks.push(chunk));
    incoming.on("end", () => {
      const path = incoming.url ?? "";
      const dialect = path.endsWith("/chat/completions") ? "openai" : path.endsWith("/messages") ? "anthropic" : null;
      if (incoming.method !== "POST" || !dialect) {
        response.writeHead(404, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { message: `no such endpoint: ${incoming.method} ${path}` } }));
        return;
      }
      const raw = Buffer.concat(chunks).toString("utf8");
      const key = createHash("sha256").update(raw).digest("hex");
      seen.set(key, (seen.get(key) ?? 0) + 1);
      const request: ScriptedRequest = {
        dialect,
        path,
        headers: incoming.headers,
        body: JSON.parse(raw) as Record<string, unknown>,
        key,
        seen: seen.get(key) ?? 1,
        at: Date.now(),
      };
      const index = requests.length;
      requests.push(request);
      for (const listener of listeners) listener(request);
      answer(response, request, pick(request, index), index);
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    counts: () => [...seen.values()],
    onRequest: (listener) => void listeners.push(listener),
    close: () =>
      new Promise<void>((closed) => {
        server.closeAllConnections();
        server.close(() => closed());
      }),
  };
}
