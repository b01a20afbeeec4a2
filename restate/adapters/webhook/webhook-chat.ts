// CHAT=webhook: each message is a JSON POST to CHAT_WEBHOOK_URL carrying its idempotency key in the
// Idempotency-Key header (a retry sends the same key: the receiver keeps the first), signed with
// HMAC-SHA256 when CHAT_WEBHOOK_SECRET is set.
import { createHmac } from "node:crypto";
import { httpUrl, millis, secret, type Env } from "../adapter-settings";
import { APPROVERS_CHANNEL, approverReminderText } from "../approver-reminder";
import type { ChatNotifier } from "../ports";
import { failureFromStatus, withDeadline } from "../remote-failure";

export interface WebhookChatSettings {
  url: string;
  /** Signs each body when set. */
  secret: string | undefined;
  timeoutMs: number;
}

export function webhookChatSettings(env: Env): WebhookChatSettings {
  return {
    url: httpUrl(env, "CHAT_WEBHOOK_URL", "with CHAT=webhook"),
    secret: secret(env, "CHAT_WEBHOOK_SECRET", "", true),
    timeoutMs: millis(env, "CHAT_WEBHOOK_TIMEOUT_MS", 10_000),
  };
}

/** `X-Signature-256: sha256=<hex HMAC of "<timestamp>.<body>">`, so a receiver can refuse a replayed or forged POST. */
export function webhookSignature(secretKey: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secretKey).update(`${timestamp}.${body}`).digest("hex")}`;
}

export function webhookChat(settings: WebhookChatSettings): ChatNotifier {
  async function post(idempotencyKey: string, message: Record<string, unknown>) {
    const body = JSON.stringify({ idempotencyKey, ...message });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = { "content-type": "application/json", "idempotency-key": idempotencyKey, "x-webhook-timestamp": timestamp };
    if (settings.secret) headers["x-signature-256"] = webhookSignature(settings.secret, timestamp, body);
    const response = await withDeadline("chat webhook", "post message", settings.timeoutMs, (signal) =>
      fetch(settings.url, { method: "POST", headers, body, signal }),
    );
    if (!response.ok) {
      const detail = await response.text().catch(() => "");
      throw failureFromStatus("chat webhook", "post message", response.status, response.headers.get("retry-after"), detail);
    }
    await response.body?.cancel();
    return { system: "webhook", id: idempotencyKey };
  }
  return {
    notify: ({ idempotencyKey, findingId, channel, text }) => post(idempotencyKey, { findingId, channel, text }),
    // The text for people, and the deadline's facts for a receiver that routes or pages on them.
    remindApprovers: (reminder) =>
      post(reminder.idempotencyKey, {
        findingId: reminder.finding.id,
        channel: APPROVERS_CHANNEL,
        text: approverReminderText(reminder),
        kind: reminder.kind,
        gateId: reminder.gateId,
        dueAt: reminder.dueAt,
        finalDueAt: reminder.finalDueAt,
        at: reminder.at,
        approverGroups: reminder.approverGroups ?? null,
        escalateTo: reminder.escalateTo,
        ...(reminder.runUrl ? { runUrl: reminder.runUrl } : {}),
      }),
  };
}
