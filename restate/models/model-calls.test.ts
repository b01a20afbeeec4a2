// The real provider packages over real HTTP against the scripted model server: what one attempt
// answers, and how each kind of failure is classified (durable-model.test.ts shows the retrying).
import { tool } from "ai";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { reply, startScriptedModelServer, type Script, type ScriptedModelServer } from "../test/scripted-models";
import { callModelOnce, ModelCallFailure, retryAfterMs, type ModelTurnRequest } from "./durable-model";
import { ApiKey, type RoleModelSettings } from "./model-config";
import { languageModelFor } from "./providers";
import { generateStructured } from "./structured";

const PROVIDERS = ["openai-compatible", "anthropic"] as const;
type Provider = (typeof PROVIDERS)[number];

let server: ScriptedModelServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function modelOn(provider: Provider, script: Script, role: RoleModelSettings["role"] = "fast") {
  server = await startScriptedModelServer(script);
  return languageModelFor({ role, provider, baseUrl: server.url, model: "scripted-1", apiKey: new ApiKey("test-key") });
}

const tools = {
  readFile: tool({ description: "Read a file of the workspace", inputSchema: z.object({ path: z.string() }) }),
};
const ask = (content: string): ModelTurnRequest => ({ system: "You fix vulnerabilities.", messages: [{ role: "user", content }], tools });

async function failureOf(promise: Promise<unknown>): Promise<ModelCallFailure> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ModelCallFailure);
  return error as ModelCallFailure;
}

describe.each(PROVIDERS)("one model call over %s", (provider) => {
  it("parses a tool call, with the usage, and sends the key", async () => {
    const model = await modelOn(provider, [reply.toolCalls([{ name: "readFile", input: { path: "src/db.ts" } }], { input: 120, output: 17 })]);
    const turn = await callModelOnce(model, ask("find the injectable query"));
    expect(turn.toolCalls).toEqual([{ toolCallId: expect.any(String), toolName: "readFile", input: { path: "src/db.ts" } }]);
    expect(turn.finishReason).toBe("tool-calls");
    expect(turn.usage).toEqual({ inputTokens: 120, outputTokens: 17 });
    expect(turn.model).toBe(`${provider} scripted-1`);
    expect(turn.assistantMessage).toMatchObject({ role: "assistant", content: [{ type: "tool-call", toolName: "readFile" }] });
    const headers = server!.requests[0]!.headers;
    expect(provider === "anthropic" ? headers["x-api-key"] : headers.authorization).toBe(provider === "anthropic" ? "test-key" : "Bearer test-key");
    expect(JSON.stringify(server!.requests[0]!.body)).toContain("readFile");
  });

  it("marks a tool call whose input does not match the tool's schema, with the reason", async () => {
    const model = await modelOn(provider, [reply.toolCalls([{ name: "readFile", input: { file: 3 } }])]);
    const turn = await callModelOnce(model, ask("read it"));
    expect(turn.toolCalls[0]).toMatchObject({
      toolName: "readFile",
      input: { file: 3 },
      invalidInput: expect.stringContaining("Invalid input for tool readFile"),
    });
  });

  it("classifies a 429 as retryable with the Retry-After it asked for", async () => {
    const model = await modelOn(provider, [reply.error(429, "Rate limit reached for requests", { "retry-after": "7" })]);
    const failure = await failureOf(callModelOnce(model, ask("x")));
    expect(failure).toMatchObject({ retryable: true, retryAfterMs: 7_000, status: 429 });
    expect(failure.message).toBe(`${provider} scripted-1 answered HTTP 429: Rate limit reached for requests`);
  });

  it("classifies a 400 as permanent, with the provider's message", async () => {
    const model = await modelOn(provider, [reply.error(400, "The model `scripted-1` does not exist")]);
    const failure = await failureOf(callModelOnce(model, ask("x")));
    expect(failure).toMatchObject({ retryable: false, status: 400 });
    expect(failure.message).toContain("answered HTTP 400: The model `scripted-1` does not exist");
    expect(server!.requests).toHaveLength(1);
  });

  it("classifies a 500 as retryable", async () => {
    const model = await modelOn(provider, [reply.error(500, "upstream overloaded")]);
    expect(await failureOf(callModelOnce(model, ask("x")))).toMatchObject({ retryable: true, status: 500, retryAfterMs: undefined });
  });

  it("says plainly when the answer is not JSON, and does not retry it", async () => {
    const model = await modelOn(provider, [reply.notJson("<html><body>Welcome to nginx!</body></html>")]);
    const failure = await failureOf(callModelOnce(model, ask("x")));
    expect(failure.retryable).toBe(false);
    expect(failure.message).toMatch(/answered with something that is not a model response \(Invalid JSON response\): <html><body>Welcome to nginx!/);
  });

  it("classifies a server that cannot be reached as retryable", async () => {
    const model = await modelOn(provider, [reply.text("unused")]);
    await server!.close();
    const failure = await failureOf(callModelOnce(model, ask("x")));
    expect(failure).toMatchObject({ retryable: true, status: undefined });
    expect(failure.message).toMatch(new RegExp(`^${provider} scripted-1 could not be reached: `));
  });

  it("gives up on a slow answer at the deadline", async () => {
    const model = await modelOn(provider, [reply.slow(30_000, reply.text("too late"))]);
    const started = Date.now();
    const failure = await failureOf(callModelOnce(model, ask("x"), { deadlineMs: 300 }));
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(failure).toMatchObject({ retryable: true, message: `${provider} scripted-1 did not answer within 300 ms` });
  });
});

const Verdict = z.object({ verdict: z.enum(["accept", "reject"]), reason: z.string().min(1) });

describe.each(PROVIDERS)("structured output over %s", (provider) => {
  const judge = (script: Script) => modelOn(provider, script, "judge");
  const structured = async (model: Awaited<ReturnType<typeof judge>>) =>
    await generateStructured({
      schema: Verdict,
      request: { system: "You review remediation plans.", messages: [{ role: "user", content: "Review this plan: bump lodash" }] },
      callTurn: (_turn, request) => callModelOnce(model, request),
    });

  it("parses the judge's JSON at the first turn", async () => {
    const model = await judge([reply.json({ verdict: "accept", reason: "the bump is minimal" }, { input: 300, output: 20 })]);
    const result = await structured(model);
    expect(result).toMatchObject({ ok: true, value: { verdict: "accept", reason: "the bump is minimal" } });
    expect(result.turns.map((turn) => turn.usage)).toEqual([{ inputTokens: 300, outputTokens: 20 }]);
    expect(JSON.stringify(server!.requests[0]!.body)).toContain("JSON Schema");
  });

  it("repairs once: the validation error goes back to the model", async () => {
    const model = await judge([reply.text("I think it is fine."), reply.text('```json\n{"verdict":"accept","reason":"minimal bump"}\n```')]);
    const result = await structured(model);
    expect(result).toMatchObject({ ok: true, value: { verdict: "accept", reason: "minimal bump" } });
    expect(result.turns).toHaveLength(2);
    expect(JSON.stringify(server!.requests[1]!.body)).toContain("Your reply could not be used: the reply is not JSON");
  });

  it("gives a typed failure when the repair does not parse either", async () => {
    const model = await judge([reply.json({ verdict: "maybe" }), reply.json({ verdict: "accept" })]);
    const result = await structured(model);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toBe(
      "the JSON does not match the schema: reason: Invalid input: expected string, received undefined (after one repair attempt)",
    );
    expect(JSON.stringify(server!.requests[1]!.body)).toContain("verdict: Invalid option");
    expect(server!.requests).toHaveLength(2);
  });
});

describe("retryAfterMs", () => {
  const now = Date.parse("2026-11-28T12:00:00Z");
  it.each([
    [{ "retry-after": "3" }, 3_000],
    [{ "Retry-After": "0.5" }, 500],
    [{ "retry-after": "Sat, 28 Nov 2026 12:00:20 GMT" }, 20_000],
    [{ "retry-after": "Sat, 28 Nov 2026 11:00:00 GMT" }, 0],
    [{ "retry-after-ms": "1500", "retry-after": "2" }, 1_500],
    [{ "retry-after": "soon" }, undefined],
    [{}, undefined],
  ])("reads %j as %s ms", (headers, ms) => {
    expect(retryAfterMs(headers, now)).toBe(ms);
  });
});
