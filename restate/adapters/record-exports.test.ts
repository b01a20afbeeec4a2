// A real audit sink or eval store with bad settings stops the services at start-up, before they
// listen, with a message naming the variable and never the secret.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { freePort, projectRoot } from "../../scripts/stack";

async function startServices(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "record-exports-"));
  try {
    return spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), ["--import", "tsx", join(projectRoot, "restate/app.ts")], {
      cwd: projectRoot,
      env: { ...process.env, SERVICES_PORT: String(await freePort()), OUTSIDE_WORLD_LEDGER: join(dir, "ledger.jsonl"), OUTSIDE_WORLD_DIR: dir, ...env },
      encoding: "utf8",
      // A process that started listening instead would be killed here, and the test fail.
      timeout: 60_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it.each([
  [{ AUDIT_SINK: "siem", SIEM_TOKEN: "siem-secret-1", SIEM_URL: "http://siem.corp.example/hec" }, "SIEM_URL: must be an https URL", "siem-secret-1"],
  [{ AUDIT_SINK: "siem", SIEM_URL: "https://siem.corp.example/hec" }, "SIEM_TOKEN: required with AUDIT_SINK=siem", null],
  [
    { EVAL_STORE: "langfuse", LANGFUSE_PUBLIC_KEY: "pk-lf-1", LANGFUSE_SECRET_KEY: "sk-lf-secret-2", LANGFUSE_TIMEOUT_MS: "-5" },
    "LANGFUSE_TIMEOUT_MS: must be",
    "sk-lf-secret-2",
  ],
  [{ AUDIT_SINK: "splunk" }, "AUDIT_SINK:", null],
])("stops the services at start-up on %j, naming the variable", async (env, message, secret) => {
  const started = await startServices(env);
  expect(started.status).not.toBe(0);
  expect(started.signal).toBeNull();
  expect(started.stderr).toContain(message);
  if (secret) expect(started.stderr).not.toContain(secret);
});
