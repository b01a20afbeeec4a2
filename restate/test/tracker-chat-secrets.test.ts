// The real tracker and chat (Jira, Slack) under the real restate-server, against scripted APIs on
// 127.0.0.1: a signed-off run leaves one ticket, one message to approvers (with the gate's buttons) and one
// notification through a 503 and a 429, and neither
// token is anywhere in the journal, the state, the invocations or the services' log.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readSignoffButtonValue } from "../contracts/slack-signoff";
import { finding, startTestStack, type TestStack } from "./harness";
import { journalText } from "./journal-text";
import { replies, startScriptedApi, type ScriptedApi } from "./scripted-api";
import { scriptedJira, scriptedSlack } from "./scripted-tracker-chat";

const JIRA_TOKEN = "ATATT3xFfGF0-jira-token-that-must-not-leak";
const SLACK_TOKEN = "xoxb-2026-slack-token-that-must-not-leak";

let api: ScriptedApi;
let jira: ReturnType<typeof scriptedJira>;
let slack: ReturnType<typeof scriptedSlack>;
let stack: TestStack;
let secretsDir: string;
beforeAll(async () => {
  secretsDir = mkdtempSync(join(tmpdir(), "tracker-chat-secrets-"));
  writeFileSync(join(secretsDir, "jira-token"), `${JIRA_TOKEN}\n`);
  api = await startScriptedApi();
  jira = scriptedJira(api, "SEC");
  slack = scriptedSlack(api, SLACK_TOKEN);
  stack = await startTestStack({
    servicesEnv: {
      ISSUE_TRACKER: "jira",
      JIRA_BASE_URL: api.url,
      JIRA_EMAIL: "bot@acme.example",
      // One secret from a file, one from the environment.
      JIRA_API_TOKEN_FILE: join(secretsDir, "jira-token"),
      JIRA_PROJECT_KEY: "SEC",
      CHAT: "slack",
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_CHANNEL: "C0SECREMED",
      SLACK_API_URL: `${api.url}/api`,
    },
  }).catch(async (error: unknown) => {
    await api.close();
    throw error;
  });
});
afterAll(async () => {
  await stack?.stop();
  await api?.close();
  rmSync(secretsDir, { recursive: true, force: true });
});

it("opens one Jira ticket, asks the approvers once and posts one notification in Slack through a 503 and a 429, and no token reaches the journal, the state or the log", async () => {
  api.inject("POST", /\/rest\/api\/2\/issue/, replies.unavailable());
  api.inject("POST", /\/api\/chat\.postMessage/, replies.rateLimited(1));
  const dbFinding = finding({ severity: "low", description: "SQL injection in session store", repo: "prod-db" });
  await stack.submitAs("submitter@corp.com", dbFinding);
  await stack.waitForStage(dbFinding.id, "awaiting-approval");
  await stack.approve(dbFinding.id, { approved: true, approver: "dba@corp.com", comment: "ok" });
  expect((await stack.workflow(dbFinding.id).workflowAttach()).outcome).toBe("completed");

  const status = await stack.status(dbFinding.id);
  expect(status.ticket).toEqual({ system: "jira", id: "SEC-1", url: `${api.url}/browse/SEC-1` });
  // First the message to approvers when the gate opened (its buttons name this gate), then the notification.
  expect(status.notification).toEqual({ system: "slack", id: "C0SECREMED/1700000000.000002" });
  expect(jira.issues).toHaveLength(1);
  expect(slack.messages.map((message) => message.text)).toEqual([`Sign-off needed: ${dbFinding.id} (low, prod-db)`, expect.stringContaining("in review")]);
  const buttons = slack.messages[0]?.blocks?.find((block) => block.type === "actions") as { elements: { value: string }[] };
  expect(buttons.elements.map((button) => readSignoffButtonValue(button.value))).toEqual([
    { findingId: dbFinding.id, gateId: status.gateId },
    { findingId: dbFinding.id, gateId: status.gateId },
  ]);
  // The failures happened, and were retried.
  expect(api.count("POST", /\/rest\/api\/2\/issue/)).toBe(2);
  expect(api.count("POST", /\/api\/chat\.postMessage/)).toBe(3);

  const journal = await stack.sql<{ entry_json: string }>("SELECT * FROM sys_journal");
  expect(journal.length).toBeGreaterThan(10);
  const engineText = [
    ...journal.map((row) => journalText(JSON.stringify(row))),
    JSON.stringify(await stack.sql("SELECT * FROM state")),
    JSON.stringify(await stack.sql("SELECT * FROM sys_invocation")),
  ].join("\n");
  // The search can find what is there: the ticket's key is in the journal.
  expect(engineText).toContain("SEC-1");
  const logs = readdirSync(stack.dir)
    .filter((file) => file.endsWith(".log"))
    .map((file) => readFileSync(join(stack.dir, file), "utf8"))
    .join("\n");
  expect(logs).toContain("services listening");
  for (const token of [JIRA_TOKEN, SLACK_TOKEN]) {
    expect(engineText).not.toContain(token);
    expect(logs).not.toContain(token);
  }
});
