// POST /api/slack/interactions – Slack's interactivity requests: an approver's Approve or Reject click on
// the message posted when a run's gate opened, signed by Slack (SLACK_SIGNING_SECRET)
import { can } from "@/lib/auth/roles";
import { slackRequestRefusal } from "@/lib/slack/request-signature";
import { serverEnv } from "@/lib/server/env";
import { ApiRouteError, fromRestateError } from "@/lib/server/errors";
import { decideApproval, putRefusalOnRecord } from "@/lib/server/findings";
import { answerInSlack, operatorOfSlackUser, SlackClickSchema, type SlackClick } from "@/lib/server/slack/slack-signoff";
import { otherMethods, publicRoute, readBodyBytes } from "@/lib/server/route";
import { readSignoffButtonValue, SLACK_APPROVE_ACTION, SLACK_REJECT_ACTION, type SignoffButtonValue } from "@/restate/contracts/slack-signoff";

const NAME = "POST /api/slack/interactions";
/** Slack's block_actions payloads carry the whole message: a few KiB, far less than this. */
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** The workflow's refusals, which it has put on the run's trail already: the clicker is told why. */
const REFUSED_BY_THE_WORKFLOW = new Set(["forbidden", "conflict", "not_found", "invalid_input", "unauthorized"]);

/** A click on one of our sign-off buttons: which finding and gate, and approve or reject. */
interface SignoffClick {
  click: SlackClick;
  button: SignoffButtonValue;
  approved: boolean;
}

/** The form's `payload`, read as a click on a sign-off button; null for anything else. */
function signoffClick(body: Buffer): SignoffClick | null {
  let payload: unknown;
  try {
    payload = JSON.parse(new URLSearchParams(body.toString("utf8")).get("payload") ?? "");
  } catch {
    return null;
  }
  const click = SlackClickSchema.safeParse(payload);
  const action = click.success ? click.data.actions[0] : undefined;
  if (!click.success || !action || ![SLACK_APPROVE_ACTION, SLACK_REJECT_ACTION].includes(action.action_id)) return null;
  const button = readSignoffButtonValue(action.value ?? "");
  return button ? { click: click.data, button, approved: action.action_id === SLACK_APPROVE_ACTION } : null;
}

const empty = () => new Response(null, { status: 200 });

export const POST = publicRoute({ name: NAME }, async ({ request }) => {
  const env = serverEnv();
  const secret = env.SLACK_SIGNING_SECRET;
  if (!secret) throw new ApiRouteError("not_found", "Sign-off from Slack is off: set SLACK_SIGNING_SECRET (or SLACK_SIGNING_SECRET_FILE) to turn it on.");
  const body = await readBodyBytes(request, MAX_PAYLOAD_BYTES);
  // The signature first: nothing else in a request Slack did not sign is believed or acted on.
  const refusal = slackRequestRefusal(secret, {
    timestamp: request.headers.get("x-slack-request-timestamp"),
    signature: request.headers.get("x-slack-signature"),
    body,
  });
  if (refusal) {
    // The run it names counts the attempt apart from its trail (rate-limited): an unsigned request names nobody.
    const named = signoffClick(body);
    if (named) {
      await putRefusalOnRecord(named.button.findingId, {
        approver: null,
        unidentifiedAs: "(unverified Slack request)",
        approved: named.approved,
        reason: `refused by the console: not a request from Slack (${refusal}).`,
      }).catch((error: unknown) => console.warn(`[${NAME}] could not record the refusal`, error));
    }
    throw new ApiRouteError("unauthorized", `Not a request from Slack: ${refusal}.`);
  }

  const signoff = signoffClick(body);
  // Another interaction of the app (not one of our buttons): acknowledged, nothing done.
  if (!signoff) return empty();
  const { click, button, approved } = signoff;
  const refuse = async (approver: string, reason: string) => {
    await putRefusalOnRecord(button.findingId, { approver, approved, reason: `refused by the console: ${reason}` });
    await answerInSlack(click.response_url, `Sign-off refused: ${reason}`, false);
    return empty();
  };

  const who = await operatorOfSlackUser(click.user.id);
  if ("refusal" in who) return await refuse(`slack:${click.user.id}`, who.refusal);
  const { operator } = who;
  if (!can(operator.roles, "approve")) return await refuse(operator.username, `Your role (${operator.roles.join(", ")}) may not approve here.`);

  // A Reject click gives no room to type: the rejection says who made it, in Slack; a reasoned one is made on the run page.
  const comment = approved ? undefined : `Rejected in Slack by ${operator.name} (${operator.username}).`;
  try {
    const decision = await decideApproval(button.findingId, { approved, ...(comment ? { comment } : {}) }, operator, button.gateId);
    const outcome = `${decision.approved ? "Approved" : "Rejected"} by ${operator.name} (${operator.username}) in Slack at ${decision.decidedAt}: ${button.findingId}, approval ${decision.n ?? 1}.`;
    await answerInSlack(click.response_url, outcome, true);
    return empty();
  } catch (error) {
    const mapped = fromRestateError(error);
    if (!REFUSED_BY_THE_WORKFLOW.has(mapped.code)) throw error;
    await answerInSlack(click.response_url, `Sign-off refused: ${mapped.message}`, false);
    return empty();
  }
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
