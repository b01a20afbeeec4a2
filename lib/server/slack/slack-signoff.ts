// Sign-off from Slack, the console's side: the click Slack posts (a block_actions payload), who the
// Slack user is (users.info, with the bot token), the operator with that e-mail, and the answers
// shown in Slack through the click's response_url.
import "server-only";
import { ErrorCode, LogLevel, WebClient, type WebAPICallError } from "@slack/web-api";
import { z } from "zod";
import type { Operator } from "../auth/session";
import { findOperatorByEmail } from "../auth/operators";
import { serverEnv } from "../env";
import { ApiRouteError } from "../errors";

/** The part of Slack's block_actions payload the endpoint reads. */
export const SlackClickSchema = z.object({
  type: z.literal("block_actions"),
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,}$/) }),
  response_url: z.url({ protocol: /^https?$/ }),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().max(1000).optional() })).min(1),
});
export type SlackClick = z.infer<typeof SlackClickSchema>;

const UserInfoSchema = z.object({
  user: z.object({
    deleted: z.boolean().optional(),
    is_bot: z.boolean().optional(),
    profile: z.object({ email: z.string().optional() }).optional(),
  }),
});

const SLACK_TIMEOUT_MS = 10_000;

/**
 * The operator the Slack user is, by the e-mail Slack has for them, or why not (no e-mail visible to
 * the bot, a deactivated account or a bot, no operator with that e-mail). Slack unreachable: a 503.
 */
export async function operatorOfSlackUser(userId: string): Promise<{ operator: Operator; email: string } | { refusal: string }> {
  const env = serverEnv();
  const client = new WebClient(env.SLACK_BOT_TOKEN, {
    slackApiUrl: `${env.SLACK_API_URL}/`,
    retryConfig: { retries: 1 },
    // A rate-limited lookup fails the click (503) instead of holding it past Slack's patience.
    rejectRateLimitedCalls: true,
    timeout: SLACK_TIMEOUT_MS,
    logLevel: LogLevel.ERROR,
  });
  let answer: unknown;
  try {
    answer = await client.users.info({ user: userId });
  } catch (error) {
    const coded = error as WebAPICallError;
    if (coded?.code === ErrorCode.PlatformError && coded.data.error === "user_not_found") return { refusal: `Slack does not know user ${userId}.` };
    throw new ApiRouteError("upstream_unavailable", "Slack could not be asked who clicked (users.info); try again.", undefined, error);
  }
  const read = UserInfoSchema.safeParse(answer);
  if (!read.success) throw new ApiRouteError("upstream_unavailable", "Slack's users.info answer was not understood.");
  const { user } = read.data;
  if (user.deleted || user.is_bot) return { refusal: `Slack user ${userId} is deactivated or a bot.` };
  const email = user.profile?.email;
  if (!email) return { refusal: `Slack shows no e-mail for user ${userId} (the app needs the users:read.email scope).` };
  const record = findOperatorByEmail(email);
  if (!record) return { refusal: `No operator of this console has the e-mail ${email}.` };
  return { operator: { username: record.username, name: record.name, roles: record.roles, groups: record.groups ?? [], via: "slack" }, email };
}

/**
 * Answers the click in Slack: `replace` updates the message the buttons are on (the outcome for
 * everyone in the channel), otherwise only the clicker sees the text (ephemeral). Best effort: a
 * response_url lasts 30 minutes and 5 uses, and the decision stands whether or not Slack shows it.
 */
export async function answerInSlack(responseUrl: string, text: string, replace: boolean): Promise<void> {
  const body = replace ? { replace_original: true, text } : { response_type: "ephemeral", replace_original: false, text };
  try {
    const response = await fetch(responseUrl, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(SLACK_TIMEOUT_MS),
    });
    if (!response.ok) console.warn(`[slack] the click's response_url answered ${response.status}`);
  } catch (error) {
    console.warn("[slack] could not answer the click through its response_url", error instanceof Error ? error.message : error);
  }
}
