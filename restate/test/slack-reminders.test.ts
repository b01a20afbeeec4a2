// A gate's reminder and escalation in Slack (CHAT=slack) under the real restate-server: @slack/web-api
// against a scripted Slack on 127.0.0.1. Each message is posted once, through a 429, with the time left and
// the run's page, and the run expires with nothing else posted.
import { afterAll, beforeAll, expect, it } from "vitest";
import { finding, startTestStack, type TestStack } from "./harness";
import { writePolicyFile } from "./policy-fixture";
import { replies, startScriptedApi, type ScriptedApi } from "./scripted-api";
import { scriptedSlack } from "./scripted-tracker-chat";

const SLACK_TOKEN = "xoxb-2026-slack-reminder-token";
const CONSOLE_URL = "https://console.example";
const POLICY = `version: 1
rules:
  - name: slack-deadline
    when: { repo: "^ci-infra$" }
    approvals: 1
    deadline: { within: 4s, remindAt: ["50%"], escalateTo: [security-leads, on-call], grace: 2s }
  - name: auto-clear
    approvals: 0
`;

let api: ScriptedApi;
let slack: ReturnType<typeof scriptedSlack>;
let stack: TestStack;
let policy: ReturnType<typeof writePolicyFile>;
beforeAll(async () => {
  policy = writePolicyFile(POLICY);
  api = await startScriptedApi();
  slack = scriptedSlack(api, SLACK_TOKEN);
  stack = await startTestStack({
    servicesEnv: {
      CHAT: "slack",
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_CHANNEL: "C0SECREMED",
      SLACK_API_URL: `${api.url}/api`,
      CONSOLE_URL,
      SIGNOFF_POLICY_FILE: policy.file,
    },
  }).catch(async (error: unknown) => {
    await api.close();
    throw error;
  });
});
afterAll(async () => {
  await stack?.stop();
  await api?.close();
  policy?.remove();
});

it("posts the reminder and the escalation once each in Slack, through a 429, then the run expires with nothing else posted", async () => {
  const run = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
  await stack.submitAs("submitter@corp.com", run);
  await stack.waitForStage(run.id, "awaiting-approval");
  // The next post after the message to approvers (the reminder) is refused once with a Retry-After.
  api.inject("POST", /\/api\/chat\.postMessage/, replies.rateLimited(1));

  expect((await stack.workflow(run.id).workflowAttach()).outcome).toBe("expired");
  const runUrl = `${CONSOLE_URL}/findings/${encodeURIComponent(run.id)}`;
  expect(slack.messages.map((message) => message.text)).toEqual([
    `Sign-off needed: ${run.id} (high, ci-infra)`,
    expect.stringMatching(new RegExp(`^Reminder: ${run.id} \\(high, ci-infra\\) waits for sign-off, 2s left until its deadline .*${runUrl}$`)),
    expect.stringMatching(new RegExp(`^Escalated to security-leads, on-call: ${run.id} .* It expires in 2s .*${runUrl}$`)),
  ]);
  // Three messages, one post refused once and retried.
  expect(api.count("POST", /\/api\/chat\.postMessage/)).toBe(4);
  const status = await stack.status(run.id);
  expect(status.stage).toBe("expired");
  expect(status.deadline?.remindersSent).toHaveLength(1);
  expect(slack.messages.map((message) => message.metadata?.event_payload?.idempotency_key)).toEqual([
    expect.stringContaining(`/approval-request-${status.gateId}`),
    expect.stringContaining(`/reminder-${status.gateId}-0`),
    expect.stringContaining(`/escalation-${status.gateId}`),
  ]);
});
