// CHAT=slack: chat.postMessage to SLACK_CHANNEL with @slack/web-api. Each message carries its
// idempotency key in its metadata; before posting, the channel's newest messages are read
// (conversations.history with their metadata) and a message already carrying the key is returned
// instead. The client's own retries are off: callAdapter's policy retries, honouring Retry-After.
// The message to approvers carries Approve and Reject buttons (./../../contracts/slack-signoff.ts) that
// the console's interactivity endpoint answers.
import { ErrorCode, LogLevel, WebClient, type WebAPICallError } from "@slack/web-api";
import { z } from "zod";
import { AdapterConfigError, httpUrl, millis, required, secret, type Env } from "../adapter-settings";
import { signoffButtonValue, SLACK_APPROVE_ACTION, SLACK_REJECT_ACTION } from "../../contracts/slack-signoff";
import { PermanentAdapterError, RetryLaterAdapterError, type ApprovalRequestMessage, type ChatNotifier, type ConnectionCheck } from "../ports";
import { failureFromStatus, unexpectedAnswer } from "../remote-failure";
import { approverReminderText } from "../approver-reminder";

/** The metadata event our messages carry; its payload holds the idempotency key. */
export const SLACK_EVENT_TYPE = "remediation_notice";
/** How many of the channel's newest messages are searched for the key before posting. */
export const SLACK_HISTORY_LOOKBACK = 100;

/** Slack's `error` codes that say "try again", not "this request is wrong". */
const RETRYABLE_SLACK_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"]);

export interface SlackChatSettings {
  token: string;
  channel: string;
  apiUrl: string;
  timeoutMs: number;
}

export function slackChatSettings(env: Env): SlackChatSettings {
  const channel = required(env, "SLACK_CHANNEL", "with CHAT=slack", "the channel's id, e.g. C0123456789");
  if (!/^[CGD][A-Z0-9]{2,}$/.test(channel)) throw new AdapterConfigError("SLACK_CHANNEL: must be a channel id such as C0123456789 (not a #name)");
  return {
    token: secret(env, "SLACK_BOT_TOKEN", "with CHAT=slack") as string,
    channel,
    apiUrl: `${httpUrl(env, "SLACK_API_URL", "", "https://slack.com/api")}/`,
    timeoutMs: millis(env, "SLACK_TIMEOUT_MS", 10_000),
  };
}

const HistorySchema = z.object({
  messages: z.array(
    z.object({
      ts: z.string(),
      metadata: z.object({ event_type: z.string(), event_payload: z.record(z.string(), z.unknown()).optional() }).optional(),
    }),
  ),
});
const PostedSchema = z.object({ ts: z.string(), channel: z.string() });

function slackFailure(what: string, error: unknown): Error {
  const coded = error as WebAPICallError;
  switch (coded?.code) {
    case ErrorCode.RateLimitedError:
      return new RetryLaterAdapterError(`slack ${what}: rate limited`, coded.retryAfter * 1000);
    case ErrorCode.HTTPError:
      return failureFromStatus("slack", what, coded.statusCode, coded.headers["retry-after"], coded.statusMessage);
    case ErrorCode.PlatformError: {
      const reason = coded.data.error;
      // Slack's error codes are snake_case words; anything else is a body that was not Slack's JSON.
      if (!/^[a-z_]+$/.test(reason)) return unexpectedAnswer("slack", what, "not Slack's JSON");
      return RETRYABLE_SLACK_ERRORS.has(reason) ? new Error(`slack ${what}: ${reason}`) : new PermanentAdapterError(`slack ${what}: ${reason}`);
    }
    case ErrorCode.RequestError:
      return new Error(`slack ${what}: ${coded.original.message}`);
    default:
      return unexpectedAnswer("slack", what, error instanceof Error ? error.message : String(error));
  }
}

function permalink(apiUrl: string, channel: string, ts: string): string | undefined {
  // Only Slack's own API has Slack's archive links; a test server or a proxy gets none.
  return apiUrl === "https://slack.com/api/" ? `https://slack.com/archives/${channel}/p${ts.replace(".", "")}` : undefined;
}

export function slackChat(settings: SlackChatSettings): ChatNotifier & ConnectionCheck {
  const client = new WebClient(settings.token, {
    slackApiUrl: settings.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: settings.timeoutMs,
    logLevel: LogLevel.ERROR,
  });
  const ref = (ts: string) => ({ system: "slack", id: `${settings.channel}/${ts}`, url: permalink(settings.apiUrl, settings.channel, ts) });

  /** Posts the message once per idempotency key: a message already carrying the key is returned instead. */
  async function postOnce(idempotencyKey: string, findingId: string, message: { text: string; blocks?: Record<string, unknown>[] }) {
    const history = await client.conversations
      .history({ channel: settings.channel, limit: SLACK_HISTORY_LOOKBACK, include_all_metadata: true })
      .catch((error: unknown) => {
        throw slackFailure("read channel history", error);
      });
    const read = HistorySchema.safeParse(history);
    if (!read.success) throw unexpectedAnswer("slack", "read channel history", "no messages list");
    const earlier = read.data.messages.find(
      (posted) => posted.metadata?.event_type === SLACK_EVENT_TYPE && posted.metadata.event_payload?.idempotency_key === idempotencyKey,
    );
    if (earlier) return ref(earlier.ts);

    const posted = await client.chat
      .postMessage({
        channel: settings.channel,
        ...message,
        metadata: { event_type: SLACK_EVENT_TYPE, event_payload: { idempotency_key: idempotencyKey, finding_id: findingId } },
      })
      .catch((error: unknown) => {
        throw slackFailure("post message", error);
      });
    const answer = PostedSchema.safeParse(posted);
    if (!answer.success) throw unexpectedAnswer("slack", "post message", "no message ts");
    return ref(answer.data.ts);
  }

  return {
    // The workflow's channel name is a label; the channel is the configured one.
    notify: ({ idempotencyKey, findingId, text }) => postOnce(idempotencyKey, findingId, { text }),
    requestApproval: (request) => postOnce(request.idempotencyKey, request.finding.id, approvalRequestMessage(request)),
    remindApprovers: (reminder) => postOnce(reminder.idempotencyKey, reminder.finding.id, { text: mrkdwnText(approverReminderText(reminder)) }),
    // For the Integrations page: the token works (auth.test) and the bot can read the channel; nothing is posted.
    async checkConnection() {
      const auth = await client.auth.test().catch((error: unknown) => {
        throw slackFailure("check the token", error);
      });
      await client.conversations.history({ channel: settings.channel, limit: 1 }).catch((error: unknown) => {
        throw slackFailure(`read channel ${settings.channel}`, error);
      });
      return `signed in to Slack as ${String(auth.user ?? "the bot")} (team ${String(auth.team ?? "?")}); channel ${settings.channel} readable`;
    },
  };
}

/** Slack's mrkdwn treats these as markup: a finding's text is shown as text. */
const mrkdwnText = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** The message to approvers: the finding, why the gate asks for a human, the run's page, and the two buttons. */
export function approvalRequestMessage({ finding, gateId, reasons, runUrl }: ApprovalRequestMessage): { text: string; blocks: Record<string, unknown>[] } {
  const value = signoffButtonValue({ findingId: finding.id, gateId });
  const title = runUrl ? `<${runUrl}|${mrkdwnText(finding.id)}>` : mrkdwnText(finding.id);
  const description = finding.description.length > 500 ? `${finding.description.slice(0, 500)}…` : finding.description;
  const button = (label: string, actionId: string, style: "primary" | "danger") => ({
    type: "button",
    text: { type: "plain_text", text: label },
    action_id: actionId,
    value,
    style,
  });
  return {
    text: `Sign-off needed: ${finding.id} (${finding.severity}, ${finding.repo})`,
    blocks: [
      {
        type: "section",
        text: { type: "mrkdwn", text: `*Sign-off needed:* ${title} · ${finding.severity} · ${mrkdwnText(finding.repo)}\n${mrkdwnText(description)}` },
      },
      { type: "section", text: { type: "mrkdwn", text: reasons.map((reason) => `• ${mrkdwnText(reason)}`).join("\n") || "The policy gate asks for a human." } },
      { type: "actions", block_id: "signoff", elements: [button("Approve", SLACK_APPROVE_ACTION, "primary"), button("Reject", SLACK_REJECT_ACTION, "danger")] },
    ],
  };
}
