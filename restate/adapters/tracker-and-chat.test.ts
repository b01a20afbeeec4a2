// A real tracker or chat whose settings do not fit stops the services before they listen, naming the
// variable and never the secret.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { freePort, projectRoot } from "../../scripts/stack";

async function startServices(env: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), "tracker-chat-"));
  try {
    return spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), ["--import", "tsx", join(projectRoot, "restate/app.ts")], {
      cwd: projectRoot,
      env: { ...process.env, SERVICES_PORT: String(await freePort()), OUTSIDE_WORLD_DIR: dir, OUTSIDE_WORLD_LEDGER: join(dir, "ledger.jsonl"), ...env },
      encoding: "utf8",
      // A process that started listening instead would be killed here, and the test fail.
      timeout: 60_000,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

it.each([
  [{ CHAT: "slack", SLACK_BOT_TOKEN: "xoxb-secret-start-up-token" }, "SLACK_CHANNEL: required with CHAT=slack"],
  [
    { ISSUE_TRACKER: "jira", JIRA_BASE_URL: "https://acme.atlassian.net", JIRA_EMAIL: "bot@acme.example", JIRA_API_TOKEN: "xoxb-secret-start-up-token" },
    "JIRA_PROJECT_KEY: required",
  ],
])("stops the services at start-up with %o, naming the variable", async (env, message) => {
  const started = await startServices(env);
  expect(started.status).not.toBe(0);
  expect(started.signal).toBeNull();
  expect(started.stderr).toContain(message);
  expect(started.stderr).not.toContain("xoxb-secret-start-up-token");
});
