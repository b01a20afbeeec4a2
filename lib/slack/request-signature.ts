// Slack signs every request it sends the console (interactivity, slash commands): X-Slack-Signature is
// "v0=" and the HMAC-SHA256 of "v0:{X-Slack-Request-Timestamp}:{raw body}" under the app's signing secret.
import { createHmac, timingSafeEqual } from "node:crypto";

/** Slack's own advice: a request older (or further ahead) than this is a replay, refused. */
export const SLACK_REQUEST_MAX_AGE_MS = 5 * 60_000;

/**
 * Why the request is not Slack's, or null when it is: the signature is checked over exactly these
 * bytes, in constant time, and the timestamp it covers must be within five minutes of `now`.
 */
export function slackRequestRefusal(
  signingSecret: string,
  request: { timestamp: string | null; signature: string | null; body: Uint8Array },
  now = Date.now(),
): string | null {
  const presented = /^v0=([0-9a-f]{64})$/.exec(request.signature?.trim() ?? "")?.[1];
  if (!presented) return "X-Slack-Signature is missing or malformed";
  if (!request.timestamp || !/^\d{1,12}$/.test(request.timestamp)) return "X-Slack-Request-Timestamp is missing or malformed";
  const expected = createHmac("sha256", signingSecret).update(`v0:${request.timestamp}:`).update(request.body).digest();
  if (!timingSafeEqual(expected, Buffer.from(presented, "hex"))) return "X-Slack-Signature does not match the request";
  // Checked after the signature, so the age of a forged request is never reported.
  if (Math.abs(now - Number(request.timestamp) * 1000) > SLACK_REQUEST_MAX_AGE_MS)
    return "the request's timestamp is more than five minutes away from now (a replay?)";
  return null;
}

/** Signs a request as Slack does: for tests and the scripted Slack. */
export function slackSignature(signingSecret: string, timestamp: string, body: string): string {
  return `v0=${createHmac("sha256", signingSecret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}
