// The Slack adapter with @slack/web-api over real HTTP against a scripted Slack on 127.0.0.1.
import { expect, it } from "vitest";
import { failureModes, PATIENT_BOUND_MS } from "../../test/adapter-failure-modes";
import { scriptedApiPerTest, type ScriptedApi } from "../../test/scripted-api";
import { scriptedSlack } from "../../test/scripted-tracker-chat";
import { AdapterConfigError } from "../adapter-settings";
import { PermanentAdapterError } from "../ports";
import { readSignoffButtonValue, SLACK_APPROVE_ACTION, SLACK_REJECT_ACTION } from "../../contracts/slack-signoff";
import { slackChat, slackChatSettings, SLACK_EVENT_TYPE } from "./slack-chat";

const TOKEN = "xoxb-test-slack-token-0123456789";
const CHANNEL = "C0SECREMED";

function chatAt(api: ScriptedApi, token = TOKEN, timeoutMs = PATIENT_BOUND_MS) {
  return slackChat(slackChatSettings({ SLACK_BOT_TOKEN: token, SLACK_CHANNEL: CHANNEL, SLACK_API_URL: `${api.url}/api`, SLACK_TIMEOUT_MS: String(timeoutMs) }));
}
const highFinding = (description: string) => ({ id: "f-1", severity: "high" as const, repo: "ci-infra", description, source: "scanner" });
const message = (idempotencyKey: string) => ({ idempotencyKey, findingId: "f-1", channel: "#sec-remediation", text: "f-1: in review as PR #7" });

const scripted = scriptedApiPerTest();

failureModes("slack", scripted, (api) => {
  const slack = scriptedSlack(api, TOKEN);
  return {
    write: (key, timeoutMs) => chatAt(api, TOKEN, timeoutMs).notify(message(key)),
    writeRoute: ["POST", /\/api\/chat\.postMessage/],
    written: () => slack.messages.length,
    secret: TOKEN,
  };
});

it("posts to the configured channel with the key in the message's metadata, and a retry finds it instead of posting again", async () => {
  const api = scripted();
  const slack = scriptedSlack(api, TOKEN);
  const chat = chatAt(api);
  const sent = await chat.notify(message("inv-1/notification"));
  expect(sent).toEqual({ system: "slack", id: `${CHANNEL}/1700000000.000001` });
  expect(slack.messages).toEqual([
    expect.objectContaining({
      channel: CHANNEL,
      text: "f-1: in review as PR #7",
      metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { idempotency_key: "inv-1/notification", finding_id: "f-1" } },
    }),
  ]);
  expect(await chat.notify(message("inv-1/notification"))).toEqual(sent);
  await chat.notify(message("inv-2/notification"));
  expect(slack.messages).toHaveLength(2);
  expect(api.count("POST", /\/api\/chat\.postMessage/)).toBe(2);
});

it("asks the approvers once per key, with the finding, the gate's reasons, the run's page and Approve / Reject buttons for this gate", async () => {
  const api = scripted();
  const slack = scriptedSlack(api, TOKEN);
  const chat = chatAt(api);
  const request = {
    idempotencyKey: "inv-1/approval-request-gate-7",
    finding: highFinding("token <in> the CI & logs"),
    gateId: "gate-7",
    reasons: ["Severity is high."],
    runUrl: "https://console.example/findings/f-1",
  };
  const sent = await chat.requestApproval!(request);
  expect(await chat.requestApproval!(request)).toEqual(sent);
  expect(slack.messages).toHaveLength(1);
  const [posted] = slack.messages;
  expect(posted?.text).toBe("Sign-off needed: f-1 (high, ci-infra)");
  expect(posted?.metadata?.event_payload).toEqual({ idempotency_key: "inv-1/approval-request-gate-7", finding_id: "f-1" });
  const shown = JSON.stringify(posted?.blocks);
  expect(shown).toContain("<https://console.example/findings/f-1|f-1>");
  expect(shown).toContain("token &lt;in&gt; the CI &amp; logs");
  expect(shown).toContain("• Severity is high.");
  const actions = posted?.blocks?.find((block) => block.type === "actions") as { elements: { action_id: string; value: string }[] };
  expect(actions.elements.map((button) => button.action_id)).toEqual([SLACK_APPROVE_ACTION, SLACK_REJECT_ACTION]);
  for (const button of actions.elements) expect(readSignoffButtonValue(button.value)).toEqual({ findingId: "f-1", gateId: "gate-7" });
});

it("reminds the approvers once per key, as text with the run's page", async () => {
  const api = scripted();
  const slack = scriptedSlack(api, TOKEN);
  const chat = chatAt(api);
  const reminder = {
    idempotencyKey: "inv-1/reminder-gate-7-0",
    finding: highFinding("token in CI logs"),
    gateId: "gate-7",
    kind: "reminder" as const,
    dueAt: "2026-01-01T12:00:00.000Z",
    finalDueAt: "2026-01-01T12:00:00.000Z",
    at: "2026-01-01T10:00:00.000Z",
    escalateTo: [],
    runUrl: "https://console.example/findings/f-1",
  };
  const sent = await chat.remindApprovers!(reminder);
  expect(await chat.remindApprovers!(reminder)).toEqual(sent);
  expect(slack.messages).toHaveLength(1);
  expect(slack.messages[0]?.text).toBe(
    "Reminder: f-1 (high, ci-infra) waits for sign-off, 2h left until its deadline (2026-01-01T12:00:00.000Z). https://console.example/findings/f-1",
  );
  expect(slack.messages[0]?.metadata?.event_payload).toEqual({ idempotency_key: "inv-1/reminder-gate-7-0", finding_id: "f-1" });
});

it("gives up on a token Slack refuses (ok: false, invalid_auth) without naming the token", async () => {
  const api = scripted();
  scriptedSlack(api, TOKEN);
  const error = await chatAt(api, "xoxb-wrong-token")
    .notify(message("inv-1/notification"))
    .catch((failure: unknown) => failure);
  expect(error).toBeInstanceOf(PermanentAdapterError);
  expect((error as Error).message).toBe("slack read channel history: invalid_auth");
});

it("refuses at start-up a missing token, a token file that is not there, and a channel given by name", () => {
  expect(() => slackChatSettings({ SLACK_CHANNEL: CHANNEL })).toThrow(
    new AdapterConfigError("SLACK_BOT_TOKEN: required with CHAT=slack (or SLACK_BOT_TOKEN_FILE, a file holding it)"),
  );
  expect(() => slackChatSettings({ SLACK_CHANNEL: CHANNEL, SLACK_BOT_TOKEN_FILE: "/nonexistent/token" })).toThrow(/^SLACK_BOT_TOKEN_FILE: cannot read/);
  expect(() => slackChatSettings({ SLACK_CHANNEL: "#sec", SLACK_BOT_TOKEN: TOKEN })).toThrow(/^SLACK_CHANNEL: must be a channel id/);
  expect(() => slackChatSettings({ SLACK_BOT_TOKEN: TOKEN })).toThrow(/^SLACK_CHANNEL: required/);
});
