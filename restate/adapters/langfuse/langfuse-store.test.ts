// The Langfuse eval store over real HTTP against a scripted ingestion API on 127.0.0.1: the batch it
// sends, the ids that make a retry harmless, and how 207 results and HTTP errors come back.
import { afterEach, describe, expect, it } from "vitest";
import { EvalRecordSchema } from "../../contracts/schemas";
import { PATIENT_BOUND_MS, SLOW_ANSWER_BOUND_MS } from "../../test/adapter-failure-modes";
import { http, startScriptedHttpServer, type HttpReply, type ScriptedHttpServer } from "../../test/scripted-http";
import { PermanentAdapterError, RetryLaterAdapterError } from "../ports";
import { langfuseEvalStore, readLangfuseSettings } from "./langfuse-store";

const SECRET = "sk-lf-secret-77d1";

const evalRecord = EvalRecordSchema.parse({
  identity: {
    service: "RemediationWorkflow",
    findingId: "cve-9",
    invocationId: "inv_1abc",
    deploymentId: null,
    codeRevision: "rev-1",
    promptVersion: "p1",
    recordedAt: "2026-11-29T01:00:00.000Z",
  },
  finding: { id: "cve-9", source: "snyk", severity: "high", description: "outdated lodash", repo: "web-storefront" },
  attempts: [],
  verdicts: [
    { agent: "fastExecutor", approved: true, score: 0.9, reason: "ok", checks: [], judgeModel: "stub", commentary: "", judgedAt: "2026-11-29T01:00:01.000Z" },
  ],
  plans: [],
  outcome: "completed",
  decision: {
    signoff: { required: true, reasons: ["high severity"], approvalsRequired: 1 },
    approvals: [{ approved: true, approver: "ana", comment: "fine", decidedAt: "2026-11-29T01:02:00.000Z" }],
  },
});

let server: ScriptedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const allTaken = (request: { body: string }) =>
  http.answer(207, { successes: (JSON.parse(request.body) as { batch: { id: string }[] }).batch.map(({ id }) => ({ id, status: 201 })), errors: [] });

async function exportTo(script: HttpReply[] | ((request: { body: string }) => HttpReply), { record = evalRecord, timeoutMs = PATIENT_BOUND_MS } = {}) {
  server = await startScriptedHttpServer(typeof script === "function" ? (request) => script(request) : script);
  const store = langfuseEvalStore(
    readLangfuseSettings({
      LANGFUSE_BASE_URL: `${server.url}/lf`,
      LANGFUSE_PUBLIC_KEY: "pk-lf-1",
      LANGFUSE_SECRET_KEY: SECRET,
      LANGFUSE_TIMEOUT_MS: String(timeoutMs),
    }),
  );
  return store.exportEval({ idempotencyKey: "inv_1abc/eval", findingId: "cve-9", record });
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("the export succeeded"),
    (error: unknown) => error as Error,
  );
const batchOf = (index: number) =>
  (JSON.parse(server!.requests[index]!.body) as { batch: { id: string; type: string; body: Record<string, unknown> }[] }).batch;

describe("the Langfuse eval store", () => {
  it("sends one trace with a score per verdict and one for the human decision, with basic auth", async () => {
    const ref = await exportTo(allTaken);
    const [request] = server!.requests;
    expect(request).toMatchObject({ method: "POST", path: "/lf/api/public/ingestion" });
    expect(request?.headers.authorization).toBe(`Basic ${Buffer.from(`pk-lf-1:${SECRET}`).toString("base64")}`);
    const batch = batchOf(0);
    expect(batch.map((event) => [event.type, event.body.name])).toEqual([
      ["trace-create", "remediation-run"],
      ["score-create", "judge:fastExecutor"],
      ["score-create", "human-decision"],
    ]);
    expect(batch[0]?.body).toMatchObject({
      id: ref.id,
      input: { finding: evalRecord.finding },
      output: { outcome: "completed", decision: evalRecord.decision },
    });
    expect(batch[2]?.body).toMatchObject({ traceId: ref.id, value: 1, dataType: "BOOLEAN", comment: "ana approved: fine" });
    expect(ref).toEqual({ system: "langfuse", id: expect.stringMatching(/^[0-9a-f]{32}$/) });
  });

  it("scores no human decision for a gate that expired, even with part of its approvals in", async () => {
    const expired = EvalRecordSchema.parse({
      ...evalRecord,
      outcome: "expired",
      decision: { ...evalRecord.decision!, signoff: { ...evalRecord.decision!.signoff, approvalsRequired: 2 } },
    });
    await exportTo(allTaken, { record: expired });
    expect(batchOf(0).map((event) => event.body.name)).toEqual(["remediation-run", "judge:fastExecutor"]);
  });

  it("sends the same event ids when the export is retried, so Langfuse keeps one of each", async () => {
    const first = await exportTo(allTaken);
    const firstIds = batchOf(0).map((event) => event.id);
    await server!.close();
    const again = await exportTo(allTaken);
    expect(again).toEqual(first);
    expect(batchOf(0).map((event) => event.id)).toEqual(firstIds);
  });

  it("retries a 207 whose events failed on Langfuse's side, and fails for good when it refused them", async () => {
    const transient = await failure(exportTo([http.answer(207, { successes: [], errors: [{ id: "x-trace", status: 500, message: "db busy" }] })]));
    expect(transient).not.toBeInstanceOf(PermanentAdapterError);
    expect(transient.message).toBe("Langfuse could not take every event yet: x-trace 500 db busy");
    await server?.close();
    const refused = await failure(exportTo([http.answer(207, { successes: [], errors: [{ id: "x-trace", status: 400, message: `bad key ${SECRET}` }] })]));
    expect(refused).toBeInstanceOf(PermanentAdapterError);
    expect(refused.message).toBe("Langfuse refused events: x-trace 400 bad key [redacted]");
  });

  it("waits out a 429's Retry-After, retries a 5xx, garbage and a slow answer, and stops at a 401", async () => {
    const limited = await failure(exportTo([http.answer(429, "", { "retry-after": "3" })]));
    expect(limited).toBeInstanceOf(RetryLaterAdapterError);
    expect((limited as RetryLaterAdapterError).retryAfterMs).toBe(3_000);
    for (const [script, message, timeoutMs] of [
      [[http.answer(502, "bad gateway")], "Langfuse answered 502: bad gateway", PATIENT_BOUND_MS],
      [[http.answer(207, "<html>proxy</html>")], "Langfuse answered 207 with something that is not an ingestion result: <html>proxy</html>", PATIENT_BOUND_MS],
      [[http.garbage()], /^Langfuse could not be reached \(/, PATIENT_BOUND_MS],
      [[http.slow(3_000, http.answer(207, { successes: [], errors: [] }))], `Langfuse did not answer within ${SLOW_ANSWER_BOUND_MS} ms`, SLOW_ANSWER_BOUND_MS],
    ] as const) {
      await server?.close();
      const error = await failure(exportTo([...script], { timeoutMs }));
      expect(error).not.toBeInstanceOf(PermanentAdapterError);
      expect(error.message).toMatch(message);
    }
    await server?.close();
    const unauthorized = await failure(exportTo([http.answer(401, { message: "Invalid credentials" })]));
    expect(unauthorized).toBeInstanceOf(PermanentAdapterError);
    expect(unauthorized.message).toBe('Langfuse answered 401: {"message":"Invalid credentials"} (check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY)');
  });
});

describe("the Langfuse settings", () => {
  it.each([
    [{}, "LANGFUSE_PUBLIC_KEY: required with EVAL_STORE=langfuse"],
    [{ LANGFUSE_PUBLIC_KEY: "pk-lf-1" }, "LANGFUSE_SECRET_KEY: required with EVAL_STORE=langfuse (or LANGFUSE_SECRET_KEY_FILE, a file holding it)"],
    [
      { LANGFUSE_PUBLIC_KEY: "pk-lf-1", LANGFUSE_SECRET_KEY: SECRET, LANGFUSE_BASE_URL: "http://langfuse.corp.example" },
      "LANGFUSE_BASE_URL: must be an https URL",
    ],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => readLangfuseSettings(env)).toThrow(message);
  });

  it("defaults to Langfuse Cloud", () => {
    expect(readLangfuseSettings({ LANGFUSE_PUBLIC_KEY: "pk-lf-1", LANGFUSE_SECRET_KEY: SECRET }).baseUrl.href).toBe("https://cloud.langfuse.com/");
  });
});

describe("the Langfuse connection test", () => {
  const store = (url: string) =>
    langfuseEvalStore(readLangfuseSettings({ LANGFUSE_BASE_URL: url, LANGFUSE_PUBLIC_KEY: "pk-lf-1", LANGFUSE_SECRET_KEY: SECRET }));

  it("reads the keys' project with the same credentials, writing nothing", async () => {
    server = await startScriptedHttpServer([http.answer(200, { data: [{ id: "p1", name: "remediation" }] })]);
    await expect(store(server.url).checkConnection()).resolves.toBe(`signed in to Langfuse at ${new URL(server.url).host}, project "remediation"`);
    expect(server.requests[0]).toMatchObject({ method: "GET", path: "/api/public/projects" });
    expect(server.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`pk-lf-1:${SECRET}`).toString("base64")}`);
  });

  it("says what is wrong: refused keys, or an answer that is not Langfuse's", async () => {
    server = await startScriptedHttpServer([http.answer(401, { message: "Invalid credentials" }), http.answer(200, "<html>login</html>")]);
    await expect(store(server.url).checkConnection()).rejects.toThrow("(check LANGFUSE_PUBLIC_KEY and LANGFUSE_SECRET_KEY)");
    await expect(store(server.url).checkConnection()).rejects.toThrow("Langfuse answered with something that is not its project list: <html>login</html>");
  });
});
