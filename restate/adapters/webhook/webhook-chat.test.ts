// The webhook chat over real HTTP against a scripted receiver on 127.0.0.1.
import { expect, it } from "vitest";
import { failureModes } from "../../test/adapter-failure-modes";
import { scriptedApiPerTest } from "../../test/scripted-api";
import { scriptedWebhook } from "../../test/scripted-tracker-chat";
import { webhookChat, webhookChatSettings, webhookSignature } from "./webhook-chat";

const SECRET = "whsec-test-webhook-secret-0123456789";
const message = (idempotencyKey: string) => ({ idempotencyKey, findingId: "f-1", channel: "#sec-remediation", text: "f-1: in review" });

const scripted = scriptedApiPerTest();

failureModes(
  "webhook",
  scripted,
  (api) => {
    const receiver = scriptedWebhook(api);
    return {
      write: (key, timeoutMs) =>
        webhookChat(webhookChatSettings({ CHAT_WEBHOOK_URL: receiver.url, CHAT_WEBHOOK_SECRET: SECRET, CHAT_WEBHOOK_TIMEOUT_MS: String(timeoutMs) })).notify(
          message(key),
        ),
      writeRoute: ["POST", /\/hooks\/chat/],
      written: () => receiver.received.size,
      secret: SECRET,
    };
  },
  { readsNoBody: true },
);

it("POSTs the message as JSON with its idempotency key and a signature the receiver can check", async () => {
  const api = scripted();
  const receiver = scriptedWebhook(api);
  const chat = webhookChat(webhookChatSettings({ CHAT_WEBHOOK_URL: receiver.url, CHAT_WEBHOOK_SECRET: SECRET }));
  expect(await chat.notify(message("inv-1/notification"))).toEqual({ system: "webhook", id: "inv-1/notification" });
  const [request] = api.requests;
  expect(request?.headers["idempotency-key"]).toBe("inv-1/notification");
  expect(request?.body).toEqual({ idempotencyKey: "inv-1/notification", findingId: "f-1", channel: "#sec-remediation", text: "f-1: in review" });
  const timestamp = String(request?.headers["x-webhook-timestamp"]);
  expect(request?.headers["x-signature-256"]).toBe(webhookSignature(SECRET, timestamp, request?.raw ?? ""));
  expect(request?.raw).not.toContain(SECRET);
});

it("sends no signature without a secret, and refuses a missing or non-http URL at start-up naming the variable", async () => {
  const api = scripted();
  const receiver = scriptedWebhook(api);
  await webhookChat(webhookChatSettings({ CHAT_WEBHOOK_URL: receiver.url })).notify(message("inv-1/notification"));
  expect(api.requests[0]?.headers["x-signature-256"]).toBeUndefined();
  expect(() => webhookChatSettings({})).toThrow(/^CHAT_WEBHOOK_URL: required with CHAT=webhook/);
  expect(() => webhookChatSettings({ CHAT_WEBHOOK_URL: "ftp://example.com/hook" })).toThrow(/^CHAT_WEBHOOK_URL: must be an http\(s\) URL/);
});
