// The SIEM adapter over real HTTP against a scripted collector on 127.0.0.1: what it sends, and how
// each kind of answer comes back to callAdapter (delivered, retried after a wait, retried, permanent).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { AuditRecordSchema, type AuditRecord } from "../../contracts/schemas";
import { PATIENT_BOUND_MS, SLOW_ANSWER_BOUND_MS } from "../../test/adapter-failure-modes";
import { http, startScriptedHttpServer, type HttpReply, type ScriptedHttpServer } from "../../test/scripted-http";
import { PermanentAdapterError, RetryLaterAdapterError } from "../ports";
import { readSiemSettings, siemAuditSink } from "./siem-sink";

const TOKEN = "siem-token-4f2b9c";

const auditRecordFixture: AuditRecord = AuditRecordSchema.parse({
  outcome: "completed",
  identity: {
    service: "RemediationWorkflow",
    findingId: "cve-9",
    invocationId: "inv_1abc",
    deploymentId: "dp_1",
    codeRevision: "rev-1",
    promptVersion: "p1",
    recordedAt: "2026-11-29T01:00:00.000Z",
  },
  finding: { id: "cve-9", source: "snyk", severity: "high", description: "x=1 | y\nnext line", repo: "web-storefront" },
  submittedBy: "sam",
  submittedByAttestation: null,
  attempts: [],
  verdicts: [],
  approvals: [{ approved: true, approver: "ana", decidedAt: "2026-11-29T01:01:00.000Z" }],
  attestation: "sig-abc",
});

let server: ScriptedHttpServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function exportTo(script: HttpReply[], env: Record<string, string> = {}) {
  server = await startScriptedHttpServer(script);
  const sink = siemAuditSink(readSiemSettings({ SIEM_URL: `${server.url}/collector`, SIEM_TOKEN: TOKEN, SIEM_TIMEOUT_MS: String(PATIENT_BOUND_MS), ...env }));
  return sink.exportAuditRecord({ idempotencyKey: "inv_1abc/audit", findingId: "cve-9", record: auditRecordFixture });
}
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail("the export succeeded"),
    (error: unknown) => error as Error,
  );

describe("the SIEM audit sink", () => {
  it("POSTs the record as JSON with the bearer token and the idempotency key", async () => {
    const ref = await exportTo([http.answer(200, { ok: true })]);
    const [request] = server!.requests;
    expect(request).toMatchObject({ method: "POST", path: "/collector" });
    expect(request?.headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, "idempotency-key": "inv_1abc/audit", "content-type": "application/json" });
    expect(JSON.parse(request!.body)).toEqual({
      kind: "remediation-audit-record",
      idempotencyKey: "inv_1abc/audit",
      findingId: "cve-9",
      record: auditRecordFixture,
    });
    expect(ref).toEqual({ system: "siem", id: "inv_1abc/audit" });
  });

  it("sends one CEF line with escaped fields and the signed record in cs6", async () => {
    await exportTo([http.answer(202)], { SIEM_FORMAT: "cef" });
    const line = server!.requests[0]!.body;
    expect(line).toMatch(/^CEF:0\|Remediation\|RemediationWorkflow\|rev-1\|audit-record:completed\|Remediation run completed\|8\|rt=1795914000000 /);
    expect(line).toContain("externalId=inv_1abc/audit act=completed suser=sam duser=ana:approved cs1Label=findingId cs1=cve-9");
    expect(line).toContain("msg=x\\=1 | y\\nnext line");
    expect(line).not.toContain("\n");
    // CEF decoding, one escape at a time: \n is a line break, any other \x is x.
    const cs6 = /cs6=(.*) msg=/.exec(line)![1]!.replace(/\\(.)/g, (_, escaped: string) => (escaped === "n" ? "\n" : escaped));
    expect(JSON.parse(cs6)).toEqual(auditRecordFixture);
  });

  it("asks to be called again after the Retry-After of a 429", async () => {
    const error = await failure(exportTo([http.answer(429, "slow down", { "retry-after": "7" })]));
    expect(error).toBeInstanceOf(RetryLaterAdapterError);
    expect((error as RetryLaterAdapterError).retryAfterMs).toBe(7_000);
    expect(error.message).toBe("the SIEM answered 429: slow down (retry after 7 s)");
  });

  it("leaves a 5xx, an answer that is not HTTP and a slow answer to the retry policy", async () => {
    const slowAnswerBound = { SIEM_TIMEOUT_MS: String(SLOW_ANSWER_BOUND_MS) };
    for (const [script, message, env] of [
      [[http.answer(503, "<html>down</html>")], "the SIEM answered 503: <html>down</html>", {}],
      [[http.garbage()], /^the SIEM could not be reached \(/, {}],
      [[http.slow(3_000, http.answer(200))], `the SIEM did not answer within ${SLOW_ANSWER_BOUND_MS} ms`, slowAnswerBound],
    ] as const) {
      const error = await failure(exportTo([...script], env));
      expect(error).not.toBeInstanceOf(PermanentAdapterError);
      expect(error).not.toBeInstanceOf(RetryLaterAdapterError);
      expect(error.message).toMatch(message);
      await server?.close();
    }
  });

  it("fails for good on a 4xx, never repeating the token the collector echoed", async () => {
    const refused = await failure(exportTo([http.answer(400, `bad event from Bearer ${TOKEN}`)]));
    expect(refused).toBeInstanceOf(PermanentAdapterError);
    expect(refused.message).toBe("the SIEM answered 400: bad event from Bearer [redacted]");
    await server?.close();
    const unauthorized = await failure(exportTo([http.answer(401, "")]));
    expect(unauthorized).toBeInstanceOf(PermanentAdapterError);
    expect(unauthorized.message).toBe("the SIEM answered 401 (check SIEM_TOKEN)");
  });
});

describe("the SIEM settings", () => {
  it.each([
    [{}, "SIEM_URL: required with AUDIT_SINK=siem (the collector's https URL)"],
    [
      { SIEM_URL: "http://siem.corp.example/collector", SIEM_TOKEN: TOKEN },
      'SIEM_URL: must be an https URL (http only on 127.0.0.1 or localhost), got "http://siem.corp.example"',
    ],
    [{ SIEM_URL: "https://siem.corp.example" }, "SIEM_TOKEN: required with AUDIT_SINK=siem (or SIEM_TOKEN_FILE, a file holding it)"],
    [{ SIEM_URL: "https://siem.corp.example", SIEM_TOKEN: TOKEN, SIEM_TOKEN_FILE: "/tmp/x" }, "SIEM_TOKEN, SIEM_TOKEN_FILE: set one of them, not both"],
    [{ SIEM_URL: "https://siem.corp.example", SIEM_TOKEN: TOKEN, SIEM_FORMAT: "leef" }, 'SIEM_FORMAT: must be one of json, cef, got "leef"'],
    [
      { SIEM_URL: "https://siem.corp.example", SIEM_TOKEN: TOKEN, SIEM_TIMEOUT_MS: "soon" },
      'SIEM_TIMEOUT_MS: must be a positive whole number of ms, got "soon"',
    ],
  ])("refuses %j naming the variable", (env, message) => {
    expect(() => readSiemSettings(env)).toThrow(message);
  });

  it("reads the token from SIEM_TOKEN_FILE and never shows it", () => {
    const dir = mkdtempSync(join(tmpdir(), "siem-"));
    try {
      writeFileSync(join(dir, "token"), `${TOKEN}\n`);
      const settings = readSiemSettings({ SIEM_URL: "https://siem.corp.example/hec", SIEM_TOKEN_FILE: join(dir, "token") });
      expect(settings.token.reveal()).toBe(TOKEN);
      expect(JSON.stringify(settings)).not.toContain(TOKEN);
      expect(() => readSiemSettings({ SIEM_URL: "https://siem.corp.example/hec", SIEM_TOKEN_FILE: join(dir, "missing") })).toThrow(
        `SIEM_TOKEN_FILE: cannot read ${join(dir, "missing")} (ENOENT)`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the SIEM connection test", () => {
  const sink = (url: string) => siemAuditSink(readSiemSettings({ SIEM_URL: `${url}/collector`, SIEM_TOKEN: TOKEN, SIEM_TIMEOUT_MS: String(PATIENT_BOUND_MS) }));

  it("reaches the collector with the token and sends no event", async () => {
    server = await startScriptedHttpServer([http.answer(405, "use POST"), http.answer(403, "")]);
    await expect(sink(server.url).checkConnection()).resolves.toBe(
      `reached the SIEM at ${new URL(server.url).host} (a GET answered 405; the token was not refused)`,
    );
    expect(server.requests[0]).toMatchObject({ method: "GET", body: "" });
    expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    await expect(sink(server.url).checkConnection()).rejects.toThrow("refused the token (403): check SIEM_TOKEN");
  });
});
