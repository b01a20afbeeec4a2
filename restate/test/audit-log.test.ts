// The embedded audit log and a real eval store on a real restate-server: runs end, the log verifies
// with `npm run audit -- verify`, a services SIGKILL between the log's write and the journal leaves
// one entry per run, and the eval store's secret key is nowhere in the journal, the state, the logs or
// the audit log.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { vi } from "vitest";
import { afterAll, beforeAll, expect, it } from "vitest";
import { projectRoot } from "../../scripts/stack";
import { AUDIT_LOG_FILE, type AuditLogEntry } from "../adapters/local/audit-chain";
import { http, startScriptedHttpServer, type ScriptedHttpServer } from "./scripted-http";
import { finding, PATIENCE_MS, startTestStack, type TestStack } from "./harness";

const SECRET = `sk-lf-${Date.now().toString(36)}-do-not-leak`;

let stack: TestStack;
let langfuse: ScriptedHttpServer;
let secretDir: string;
let marker: string;

beforeAll(async () => {
  langfuse = await startScriptedHttpServer((request) =>
    http.answer(207, { successes: (JSON.parse(request.body) as { batch: { id: string }[] }).batch.map(({ id }) => ({ id, status: 201 })), errors: [] }),
  );
  secretDir = mkdtempSync(join(tmpdir(), "audit-secret-"));
  writeFileSync(join(secretDir, "langfuse-secret"), `${SECRET}\n`, { mode: 0o600 });
  marker = join(secretDir, "held-audit-ref");
  stack = await startTestStack({
    servicesEntry: "restate/test/audit-hold-services.ts",
    servicesEnv: {
      AUDIT_SINK: "local",
      EVAL_STORE: "langfuse",
      LANGFUSE_BASE_URL: langfuse.url,
      LANGFUSE_PUBLIC_KEY: "pk-lf-test",
      LANGFUSE_SECRET_KEY_FILE: join(secretDir, "langfuse-secret"),
      AUDIT_HOLD_MARKER: marker,
    },
  });
});
afterAll(async () => {
  await stack?.stop();
  await langfuse?.close();
  if (secretDir) rmSync(secretDir, { recursive: true, force: true });
});

const logFile = () => join(stack.dir, "outside", AUDIT_LOG_FILE);
const entries = () =>
  readFileSync(logFile(), "utf8")
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line) as AuditLogEntry);

function verify(...args: string[]) {
  return spawnSync("npm", ["run", "--silent", "audit", "--", "verify", logFile(), ...args], {
    cwd: projectRoot,
    env: { ...process.env, RECORD_VERIFY_KEY: stack.secrets.recordVerifyKey },
    encoding: "utf8",
    timeout: PATIENCE_MS,
  });
}

it("writes one verified entry per run, also when the services die between the write and the journal", async () => {
  const plain = finding({ severity: "low", repo: "web-storefront" });
  const gated = finding({
    id: `hold-${Date.now().toString(36)}`,
    source: "guardduty",
    severity: "high",
    description: "exposed credentials in CI logs",
    repo: "ci-infra",
  });

  await stack.submitAs("submitter@corp.com", plain);
  expect((await stack.workflow(plain.id).workflowAttach()).outcome).toBe("completed");

  await stack.submitAs("submitter@corp.com", gated);
  await stack.waitForStage(gated.id, "awaiting-approval");
  await stack.approve(gated.id, { approved: true, approver: "dba@corp.com", comment: "ship it" });
  // The held export wrote its entry and waits: kill the services before the journal has the step.
  await vi.waitFor(() => expect(existsSync(marker)).toBe(true), { timeout: PATIENCE_MS, interval: 50 });
  await stack.restartServices("kill");
  expect((await stack.workflow(gated.id).workflowAttach()).outcome).toBe("completed");

  expect(entries().map((entry) => [entry.seq, entry.findingId])).toEqual([
    [1, plain.id],
    [2, gated.id],
  ]);
  const status = await stack.status(gated.id);
  expect(status.auditRecord).toEqual({ system: "audit-log", id: readFileSync(marker, "utf8") });

  const clean = verify("--anchor", status.auditRecord!.id);
  expect(clean.stdout).toContain("2 audit log entries verified: chain and signatures (head #2, anchor #2)");
  expect(clean.status).toBe(0);

  // The eval store got each run once, the decision with it.
  const traces = langfuse.requests.map((request) => (JSON.parse(request.body) as { batch: { type: string; body: { name: string; value?: number } }[] }).batch);
  expect(traces).toHaveLength(2);
  expect(traces[1]?.find((event) => event.body.name === "human-decision")?.body.value).toBe(1);
  expect(langfuse.requests[0]?.headers.authorization).toBe(`Basic ${Buffer.from(`pk-lf-test:${SECRET}`).toString("base64")}`);

  // Tampering with the first run's record is named.
  const text = readFileSync(logFile(), "utf8");
  writeFileSync(logFile(), text.replace('"submittedBy":"submitter@corp.com"', '"submittedBy":"mallory@corp.com"'));
  const tampered = verify();
  expect(tampered.stdout).toContain(`line 1 (finding ${plain.id}): its signature does not match its content`);
  expect(tampered.status).toBe(1);
  writeFileSync(logFile(), text);
});

it("keeps the eval store's secret key out of the journal, the state, the logs and the audit log", async () => {
  const forms = [SECRET, Buffer.from(SECRET).toString("base64"), Buffer.from(`pk-lf-test:${SECRET}`).toString("base64")];
  const tables = await Promise.all(["SELECT * FROM sys_journal", "SELECT * FROM state", "SELECT * FROM sys_invocation"].map((query) => stack.sql(query)));
  expect(tables[0]?.length).toBeGreaterThan(0);
  const readable = [JSON.stringify(tables)];
  for (const file of readdirSync(stack.dir, { recursive: true, encoding: "utf8" })) {
    if (/\.(log|jsonl|json)$/.test(file)) readable.push(readFileSync(join(stack.dir, file), "utf8"));
  }
  expect(readable.join("\n")).toContain(entries()[0]!.findingId);
  for (const form of forms) expect(readable.join("\n")).not.toContain(form);
});
