// The reminder and escalation messages, and how the embedded chat and the webhook carry them.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { scriptedApiPerTest } from "../test/scripted-api";
import { scriptedWebhook } from "../test/scripted-tracker-chat";
import { APPROVERS_CHANNEL, approverReminderText } from "./approver-reminder";
import { localChat, readOutbox } from "./local/local-chat";
import type { ApproverReminder } from "./ports";
import { webhookChat, webhookChatSettings } from "./webhook/webhook-chat";

const reminder = (overrides: Partial<ApproverReminder> = {}): ApproverReminder => ({
  idempotencyKey: "inv-1/reminder-gate-7-0",
  finding: { id: "f-1", severity: "high", repo: "ci-infra", description: "token in CI logs", source: "scanner" },
  gateId: "gate-7",
  kind: "reminder",
  dueAt: "2026-01-01T12:00:00.000Z",
  finalDueAt: "2026-01-01T14:00:00.000Z",
  at: "2026-01-01T09:47:00.000Z",
  escalateTo: ["security-leads"],
  runUrl: "https://console.example/findings/f-1",
  ...overrides,
});

it.each([
  [
    "a reminder, with the time left counted from when it was due",
    reminder(),
    "Reminder: f-1 (high, ci-infra) waits for sign-off, 2h 13m left until its deadline (2026-01-01T12:00:00.000Z). https://console.example/findings/f-1",
  ],
  [
    "a reminder to the rule's groups, without a console URL",
    reminder({ approverGroups: ["platform"], runUrl: undefined }),
    "Reminder (platform): f-1 (high, ci-infra) waits for sign-off, 2h 13m left until its deadline (2026-01-01T12:00:00.000Z).",
  ],
  [
    "the escalation, naming the groups and when the run expires",
    reminder({ kind: "escalation", at: "2026-01-01T12:00:00.000Z", escalateTo: ["security-leads", "on-call"] }),
    "Escalated to security-leads, on-call: f-1 (high, ci-infra) passed its sign-off deadline undecided. It expires in 2h (2026-01-01T14:00:00.000Z) unless someone decides; nothing runs without a decision. https://console.example/findings/f-1",
  ],
])("words %s", (_case, input, text) => {
  expect(approverReminderText(input)).toBe(text);
});

it("keeps a reminder once in the embedded outbox, on the approvers' channel", async () => {
  const dir = mkdtempSync(join(tmpdir(), "reminder-outbox-"));
  try {
    const chat = localChat(dir);
    const sent = await chat.remindApprovers!(reminder());
    expect(await chat.remindApprovers!(reminder())).toEqual(sent);
    expect(readOutbox(dir)).toEqual([expect.objectContaining({ findingId: "f-1", channel: APPROVERS_CHANNEL, text: approverReminderText(reminder()) })]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

const scripted = scriptedApiPerTest();

it("POSTs a reminder to the webhook with its idempotency key, the text and the deadline's fields", async () => {
  const api = scripted();
  const receiver = scriptedWebhook(api);
  const chat = webhookChat(webhookChatSettings({ CHAT_WEBHOOK_URL: receiver.url }));
  await chat.remindApprovers!(reminder({ kind: "escalation" }));
  const [request] = api.requests;
  expect(request?.headers["idempotency-key"]).toBe("inv-1/reminder-gate-7-0");
  expect(request?.body).toEqual({
    idempotencyKey: "inv-1/reminder-gate-7-0",
    findingId: "f-1",
    channel: APPROVERS_CHANNEL,
    text: approverReminderText(reminder({ kind: "escalation" })),
    kind: "escalation",
    gateId: "gate-7",
    dueAt: "2026-01-01T12:00:00.000Z",
    finalDueAt: "2026-01-01T14:00:00.000Z",
    at: reminder().at,
    approverGroups: null,
    escalateTo: ["security-leads"],
    runUrl: "https://console.example/findings/f-1",
  });
});
