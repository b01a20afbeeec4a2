import { describe, expect, it } from "vitest";
import { slackRequestRefusal, slackSignature } from "./request-signature";

const SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
// Slack's documented example request.
const BODY =
  "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c";
const TIMESTAMP = "1531420618";
const NOW = 1531420618 * 1000 + 10_000;
const bytes = (text: string) => Buffer.from(text, "utf8");

describe("Slack's request signature", () => {
  it("accepts Slack's documented example, signed with its secret", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe("v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503");
    const signature = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503";
    expect(slackRequestRefusal(SECRET, { timestamp: TIMESTAMP, signature, body: bytes(BODY) }, NOW)).toBeNull();
  });

  it.each([
    ["no signature", { signature: null }, /missing or malformed/],
    ["a signature without v0=", { signature: "a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503" }, /missing or malformed/],
    ["another secret's signature", { signature: slackSignature("another secret, also 32 chars...", TIMESTAMP, BODY) }, /does not match/],
    ["a changed body", { body: bytes(`${BODY}&approved=true`) }, /does not match/],
    ["a changed timestamp", { timestamp: String(Number(TIMESTAMP) + 1) }, /does not match/],
    ["no timestamp", { timestamp: null }, /Timestamp is missing/],
  ])("refuses %s", (_name, change, reason) => {
    const request = { timestamp: TIMESTAMP, signature: slackSignature(SECRET, TIMESTAMP, BODY), body: bytes(BODY), ...change };
    expect(slackRequestRefusal(SECRET, request, NOW)).toMatch(reason);
  });

  it("refuses a correctly signed request older than five minutes, and accepts one just inside", () => {
    const request = { timestamp: TIMESTAMP, signature: slackSignature(SECRET, TIMESTAMP, BODY), body: bytes(BODY) };
    expect(slackRequestRefusal(SECRET, request, Number(TIMESTAMP) * 1000 + 5 * 60_000 + 1)).toMatch(/more than five minutes/);
    expect(slackRequestRefusal(SECRET, request, Number(TIMESTAMP) * 1000 + 5 * 60_000)).toBeNull();
  });
});
