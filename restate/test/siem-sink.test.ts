// The SIEM audit sink on a real restate-server against a scripted collector: a 429 with Retry-After
// and a 503 are retried by the run's step, with one idempotency key, until the record lands once; the
// bearer token is in no journal row, state or log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { http, startScriptedHttpServer, type ScriptedHttpServer } from "./scripted-http";
import { finding, startTestStack, type TestStack } from "./harness";

const TOKEN = `siem-${Date.now().toString(36)}-do-not-leak`;

let stack: TestStack;
let siem: ScriptedHttpServer;
let secretDir: string;

beforeAll(async () => {
  const seen = new Map<string, number>();
  siem = await startScriptedHttpServer((request) => {
    const key = String(request.headers["idempotency-key"]);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    if (n === 1) return http.answer(429, "slow down", { "retry-after": "1" });
    if (n === 2) return http.answer(503, "<html>maintenance</html>");
    return http.answer(200, { text: "Success", code: 0 });
  });
  secretDir = mkdtempSync(join(tmpdir(), "siem-secret-"));
  writeFileSync(join(secretDir, "token"), `${TOKEN}\n`, { mode: 0o600 });
  stack = await startTestStack({
    servicesEnv: { AUDIT_SINK: "siem", SIEM_URL: `${siem.url}/services/collector`, SIEM_TOKEN_FILE: join(secretDir, "token"), SIEM_FORMAT: "cef" },
  });
});
afterAll(async () => {
  await stack?.stop();
  await siem?.close();
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

it("retries a 429 after its Retry-After and a 503 until the record lands, one key throughout, the token nowhere", async () => {
  const run = finding({ severity: "low", repo: "web-storefront" });
  await stack.submitAs("submitter@corp.com", run);
  expect((await stack.workflow(run.id).workflowAttach()).outcome).toBe("completed");

  const status = await stack.status(run.id);
  const key = `${status.identity!.invocationId}/audit`;
  expect(status.auditRecord).toEqual({ system: "siem", id: key });
  expect(siem.requests.map((request) => [request.headers["idempotency-key"], request.headers.authorization])).toEqual(
    Array.from({ length: 3 }, () => [key, `Bearer ${TOKEN}`]),
  );
  expect(siem.requests[1]!.at - siem.requests[0]!.at).toBeGreaterThanOrEqual(1_000);
  expect(siem.requests[2]!.body).toMatch(new RegExp(`^CEF:0\\|Remediation\\|RemediationWorkflow\\|.*cs1=${run.id} `));

  const tables = await Promise.all(["SELECT * FROM sys_journal", "SELECT * FROM state", "SELECT * FROM sys_invocation"].map((query) => stack.sql(query)));
  const readable = [JSON.stringify(tables)];
  for (const file of readdirSync(stack.dir, { recursive: true, encoding: "utf8" })) {
    if (/\.(log|jsonl|json)$/.test(file)) readable.push(readFileSync(join(stack.dir, file), "utf8"));
  }
  const everything = readable.join("\n");
  expect(everything).toContain("the SIEM answered 429: slow down");
  for (const form of [TOKEN, Buffer.from(TOKEN).toString("base64")]) expect(everything).not.toContain(form);
});
