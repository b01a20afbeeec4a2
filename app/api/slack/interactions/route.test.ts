// POST /api/slack/interactions against a real restate-server and services, with a scripted Slack
// (users.info and the click's response_url): only Slack-signed, fresh clicks by an operator with the
// approver role decide the gate, as that operator; every other click is refused and put on record.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { slackSignature } from "@/lib/slack/request-signature";
import { consoleStackPerFile, eventually, routeModule } from "@/lib/test/route-harness";
import { signoffButtonValue, SLACK_APPROVE_ACTION, SLACK_REJECT_ACTION } from "@/restate/contracts/slack-signoff";
import { effects, finding } from "@/restate/test/harness";
import { startScriptedApi, type ScriptedApi } from "@/restate/test/scripted-api";
import { scriptedSlackInteractivity } from "@/restate/test/scripted-tracker-chat";

const SIGNING_SECRET = "slack-signing-secret-for-tests-0123";
const BOT_TOKEN = "xoxb-test-bot-token";
const ctx = consoleStackPerFile();
const interactions = routeModule(() => import("./route"));

let api: ScriptedApi;
let slack: ReturnType<typeof scriptedSlackInteractivity>;
beforeAll(async () => {
  api = await startScriptedApi();
  slack = scriptedSlackInteractivity(api, BOT_TOKEN, {
    UANA: { email: "Ana@Example.com" },
    UVIC: { email: "vic@example.com" },
    USTRANGER: { email: "stranger@example.com" },
  });
  // The test operators, with the e-mails their Slack accounts have (ana's in another case).
  const file = process.env.OPERATORS_FILE!;
  const { operators } = JSON.parse(readFileSync(file, "utf8")) as { operators: { username: string; email?: string }[] };
  for (const operator of operators) if (["ana", "vic"].includes(operator.username)) operator.email = `${operator.username}@example.com`;
  writeFileSync(file, JSON.stringify({ operators }));
  process.env.SLACK_SIGNING_SECRET = SIGNING_SECRET;
  process.env.SLACK_BOT_TOKEN = BOT_TOKEN;
  process.env.SLACK_API_URL = `${api.url}/api`;
  const { resetServerEnvForTests } = await import("@/lib/server/env");
  resetServerEnvForTests();
});
afterAll(async () => {
  await api?.close();
});

interface Click {
  user: string;
  findingId: string;
  gateId: string;
  approve: boolean;
  answerTo: string;
}

const formBody = (click: Click) =>
  new URLSearchParams({
    payload: JSON.stringify({
      type: "block_actions",
      user: { id: click.user, username: click.user.toLowerCase() },
      response_url: slack.responseUrl(click.answerTo),
      actions: [
        {
          action_id: click.approve ? SLACK_APPROVE_ACTION : SLACK_REJECT_ACTION,
          value: signoffButtonValue({ findingId: click.findingId, gateId: click.gateId }),
        },
      ],
    }),
  }).toString();

/** Posts the click as Slack would: form-encoded, signed now (or as `signing` says). */
async function post(click: Click, signing: { secret?: string; ageSeconds?: number } = {}) {
  const body = formBody(click);
  const timestamp = String(Math.floor(Date.now() / 1000) - (signing.ageSeconds ?? 0));
  const request = new Request("http://console.test/api/slack/interactions", {
    method: "POST",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": timestamp,
      "x-slack-signature": slackSignature(signing.secret ?? SIGNING_SECRET, timestamp, body),
    },
    body,
  });
  const response = await interactions.POST(request, { params: Promise.resolve({}) });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

async function waitingRun(description: string) {
  const waiting = finding({ severity: "high", description, repo: "ci-infra" });
  await ctx.stack.submitAs("sam", waiting);
  const status = await ctx.stack.waitForStage(waiting.id, "awaiting-approval");
  return { id: waiting.id, gateId: status.gateId! };
}

const answersTo = (name: string) => slack.answers.filter((answer) => answer.to === name).map((answer) => answer.body);

describe("sign-off from Slack", () => {
  it("refuses forged and stale requests without asking Slack anything, and counts them apart from the trail", async () => {
    const run = await waitingRun("exposed credentials in CI logs");
    const click = { user: "UANA", findingId: run.id, gateId: run.gateId, approve: true, answerTo: "forged" };

    const forged = await post(click, { secret: "not-the-signing-secret-of-this-app" });
    expect(forged.status).toBe(401);
    expect(ApiErrorSchema.parse(forged.body).error.message).toMatch(/Not a request from Slack: X-Slack-Signature does not match/);
    const stale = await post({ ...click, answerTo: "stale" }, { ageSeconds: 6 * 60 });
    expect(stale.status).toBe(401);
    expect(ApiErrorSchema.parse(stale.body).error.message).toMatch(/more than five minutes/);

    expect(api.count("POST", /\/api\/users\.info/)).toBe(0);
    expect(api.count("POST", /\/actions\/.+/)).toBe(0);
    const status = await eventually(async () => {
      const current = await ctx.stack.status(run.id);
      expect(current.uncredentialedAttempts.count).toBe(2);
      return current;
    });
    expect(status.signoffAttempts).toEqual([]);
    expect(status.uncredentialedAttempts.recent).toEqual([
      expect.objectContaining({ approver: "(unverified Slack request)", reason: expect.stringMatching(/not a request from Slack/) }),
      expect.objectContaining({ approver: "(unverified Slack request)", reason: expect.stringMatching(/more than five minutes/) }),
    ]);
    expect(status.stage).toBe("awaiting-approval");
  });

  it("refuses a Slack user no operator has the e-mail of, and an operator without the approver role, on the run's trail", async () => {
    const run = await waitingRun("a token in the build cache");
    expect((await post({ user: "USTRANGER", findingId: run.id, gateId: run.gateId, approve: true, answerTo: "stranger" })).status).toBe(200);
    expect((await post({ user: "UVIC", findingId: run.id, gateId: run.gateId, approve: true, answerTo: "vic" })).status).toBe(200);
    expect((await post({ user: "UNOBODY", findingId: run.id, gateId: run.gateId, approve: false, answerTo: "nobody" })).status).toBe(200);

    expect(answersTo("stranger")).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringMatching(/No operator of this console has the e-mail stranger@example\.com/) }),
    ]);
    expect(answersTo("vic")).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringMatching(/Your role \(viewer\) may not approve/) }),
    ]);
    expect(answersTo("nobody")).toEqual([
      expect.objectContaining({ response_type: "ephemeral", text: expect.stringMatching(/Slack does not know user UNOBODY/) }),
    ]);

    const status = await eventually(async () => {
      const current = await ctx.stack.status(run.id);
      expect(current.signoffAttempts).toHaveLength(3);
      return current;
    });
    expect(status.signoffAttempts.map((attempt) => [attempt.approver, attempt.approved, attempt.accepted])).toEqual([
      ["slack:USTRANGER", true, false],
      ["vic", true, false],
      ["slack:UNOBODY", false, false],
    ]);
    expect(status.stage).toBe("awaiting-approval");
  });

  it("an approver's click decides the gate as that operator, updates the message, and the run completes; a second click is refused", async () => {
    const run = await waitingRun("a leaked deploy key");
    expect((await post({ user: "UANA", findingId: run.id, gateId: run.gateId, approve: true, answerTo: "ana" })).status).toBe(200);
    expect(answersTo("ana")).toEqual([
      expect.objectContaining({ replace_original: true, text: expect.stringMatching(/^Approved by ANA \(ana\) in Slack at /) }),
    ]);

    const done = await ctx.stack.waitForStage(run.id, "completed");
    expect(done.approval).toMatchObject({ approved: true, approver: "ana", gateId: run.gateId });
    expect(effects(ctx.stack.ledger(run.id), "open-pull-request")).toHaveLength(1);
    expect(done.signoffAttempts).toEqual([expect.objectContaining({ approver: "ana", accepted: true, signed: true })]);

    expect((await post({ user: "UANA", findingId: run.id, gateId: run.gateId, approve: false, answerTo: "ana-again" })).status).toBe(200);
    expect(answersTo("ana-again")).toEqual([expect.objectContaining({ response_type: "ephemeral", text: expect.stringMatching(/already approved by ana/) })]);
  });

  it("a Reject click rejects with a comment naming who rejected in Slack", async () => {
    const run = await waitingRun("a world-readable bucket");
    expect((await post({ user: "UANA", findingId: run.id, gateId: run.gateId, approve: false, answerTo: "reject" })).status).toBe(200);
    const stopped = await ctx.stack.waitForStage(run.id, "rejected");
    expect(stopped.approval).toMatchObject({ approved: false, approver: "ana", comment: "Rejected in Slack by ANA (ana)." });
    expect(stopped.pullRequest).toBeNull();
    expect(answersTo("reject")).toEqual([expect.objectContaining({ replace_original: true, text: expect.stringMatching(/^Rejected by ANA \(ana\)/) })]);
  });
});
