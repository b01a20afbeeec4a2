// Durable model turns against a real restate-server (always-replay) and the scripted model server, over
// the real provider packages: each turn is one journaled step, Restate does the bounded retrying, and a
// journaled turn is never asked again, however often the services die.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { adminSql, startStack, type Stack } from "../../scripts/stack";
import type { ModelTurn } from "../models/durable-model";
import type { ProbeRequest } from "./model-probe-services";
import { reply, startScriptedModelServer, type Script, type ScriptedModelServer, type ScriptedRequest } from "./scripted-models";

let dir: string;
let stack: Stack;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "durable-model-test-"));
  stack = await startStack({
    dataDir: dir,
    engine: { alwaysReplay: true, fastRetries: true },
    services: { entry: "restate/test/model-probe-services.ts" },
  });
});
afterAll(async () => {
  await stack?.stop();
  if (dir && !process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

let models: ScriptedModelServer | undefined;
afterEach(async () => {
  await models?.close();
  models = undefined;
});

let markers = 0;
async function probe(
  handler: "turns" | "judge",
  script: Script,
  request: Partial<ProbeRequest> = {},
  onRequest?: Parameters<ScriptedModelServer["onRequest"]>[0],
) {
  models = await startScriptedModelServer(script);
  if (onRequest) models.onRequest(onRequest);
  markers += 1;
  const body: ProbeRequest = { provider: "openai-compatible", baseUrl: models.url, marker: `${Date.now()}-${markers}`, ...request };
  const response = await fetch(`${stack.server.ingressUrl}/ModelProbe/${handler}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as unknown };
}

const failureMessage = (body: unknown) => (body as { message?: string }).message ?? JSON.stringify(body);

describe.each(["openai-compatible", "anthropic"] as const)("a durable model turn over %s", (provider) => {
  it("429 then an answer: one result, the server counted the same request twice, after the Retry-After", async () => {
    const { status, body } = await probe(
      "turns",
      [reply.error(429, "Rate limit reached", { "retry-after": "1" }), reply.text("done", { input: 42, output: 7 })],
      {
        provider,
      },
    );
    expect(status).toBe(200);
    const [turn, ...more] = body as ModelTurn[];
    expect(more).toEqual([]);
    expect(turn).toMatchObject({ text: "done", usage: { inputTokens: 42, outputTokens: 7 }, finishReason: "stop" });
    expect(models!.counts()).toEqual([2]);
    const [first, second] = models!.requests;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(900);
  });

  it("400: the call fails with the provider's message after exactly one request", async () => {
    const { status, body } = await probe("turns", [reply.error(400, "The model `scripted-1` does not exist")], { provider });
    expect(status).toBe(500);
    expect(failureMessage(body)).toContain(`${provider} scripted-1 answered HTTP 400: The model \`scripted-1\` does not exist`);
    expect(models!.counts()).toEqual([1]);
  });
});

it("caps a Retry-After longer than maxRetryAfterMs", async () => {
  const { status } = await probe("turns", [reply.error(429, "come back in an hour", { "retry-after": "3600" }), reply.text("done")], {
    options: { maxRetryAfterMs: 500 },
  });
  expect(status).toBe(200);
  const [first, second] = models!.requests;
  expect(second!.at - first!.at).toBeLessThan(30_000);
});

it("500 every time: maxAttempts requests, then a failure with the provider's message", async () => {
  const { status, body } = await probe("turns", [reply.error(500, "upstream overloaded")], { options: { maxAttempts: 3, initialRetryIntervalMs: 50 } });
  expect(status).toBe(500);
  expect(failureMessage(body)).toContain("openai-compatible scripted-1 answered HTTP 500: upstream overloaded");
  expect(models!.counts()).toEqual([3]);
});

it("an answer that is not JSON fails the call at once, saying so", async () => {
  const { status, body } = await probe("turns", [reply.notJson("<html><body>Welcome to nginx!</body></html>")]);
  expect(status).toBe(500);
  expect(failureMessage(body)).toMatch(/not a model response .*Welcome to nginx!/);
  expect(models!.counts()).toEqual([1]);
});

it("a model slower than the deadline: each attempt is cut at the deadline, bounded, then a failure", async () => {
  const started = Date.now();
  const { status, body } = await probe("turns", [reply.slow(120_000, reply.text("too late"))], {
    options: { deadlineMs: 400, maxAttempts: 2, initialRetryIntervalMs: 50 },
  });
  expect(status).toBe(500);
  expect(failureMessage(body)).toContain("did not answer within 400 ms");
  expect(models!.counts()).toEqual([2]);
  expect(Date.now() - started).toBeLessThan(60_000);
});

it("judge output that does not parse after one repair is a typed failure, not a crash", async () => {
  const { status, body } = await probe("judge", [reply.text("looks good to me"), reply.json({ verdict: "fine" })]);
  expect(status).toBe(200);
  expect(body).toMatchObject({
    ok: false,
    reason: expect.stringMatching(/^the JSON does not match the schema: verdict: Invalid option.*\(after one repair attempt\)$/),
  });
  expect(models!.counts()).toEqual([1, 1]);
});

it("a journaled turn is never asked again: services SIGKILLed during turns 2 and 3, each request counted once per attempt that was not journaled", async () => {
  // Turns 2 and 3 hang the first time they are asked; the services are killed while they wait.
  const laterTurn = (request: ScriptedRequest) => JSON.stringify(request.body.messages).includes("continue (turn");
  const script: Script = (request) => (request.seen === 1 && laterTurn(request) ? reply.slow(120_000, reply.text("never")) : reply.text("ok"));
  let kills = 0;
  let journaled: string[] = [];
  // The journal's run entries: a command per step started, a notification per step whose result is kept.
  const runSteps = async () =>
    (
      await adminSql<{ entry_type: string; name: string | null }>(
        stack.server.adminUrl,
        "SELECT j.entry_type, j.name FROM sys_journal j JOIN sys_invocation i ON j.id = i.id WHERE i.target = 'ModelProbe/turns' AND i.status <> 'completed' AND j.entry_type LIKE '%: Run' ORDER BY j.index",
      )
    ).map((row) => `${row.entry_type}${row.name ? ` ${row.name}` : ""}`);
  const crashes: Promise<void>[] = [];
  const pending = probe("turns", script, { turns: 3 }, (request) => {
    if (request.seen !== 1 || !laterTurn(request)) return;
    kills += 1;
    crashes.push(
      (async () => {
        if (kills === 1) journaled = await runSteps();
        await stack.restartServices("kill");
      })(),
    );
  });
  const { status, body } = await pending;
  await Promise.all(crashes);
  expect(status).toBe(200);
  expect((body as ModelTurn[]).map((turn) => turn.text)).toEqual(["ok", "ok", "ok"]);
  expect(kills).toBe(2);
  // At the first crash, turn 1 was the one step in the journal, by its name.
  // At the first crash, turn 1's answer was in the journal (a step's result is durable before the next
  // step runs) and turn 2's was not.
  expect(journaled.slice(0, 2)).toEqual(["Command: Run model fast turn 1", "Notification: Run"]);
  expect(journaled.filter((entry) => entry === "Notification: Run")).toHaveLength(1);
  // Turn 1 was journaled before either crash: asked once. Turns 2 and 3 were each cut by a crash before
  // their answer was journaled, so each was asked a second time, and never a third.
  expect(models!.counts()).toEqual([1, 2, 2]);
});
