// POST /api/findings/{id}/approval and GET /api/approvals against a real restate-server and services,
// as operators with API tokens: the approver is always the authenticated operator.
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, ApprovalInboxResponseSchema, ApprovalResponseSchema } from "@/lib/api/contracts";
import { callRoute, eventually, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { effects, finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
const approval = routeModule(() => import("./route"));
const inbox = routeModule(() => import("@/app/api/approvals/route"));
const findings = routeModule(() => import("@/app/api/findings/route"));

const signOff = (id: string, body: unknown, as: string | null = "ana") =>
  callRoute(approval.POST, `/api/findings/${id}/approval`, { method: "POST", body, params: { id }, as });
const submitFinding = async (as: string, submitted: ReturnType<typeof finding>) => {
  const answer = await callRoute(findings.POST, "/api/findings", { method: "POST", body: submitted, as });
  expect(answer.status).toBe(202);
};
const inboxItems = async () => {
  const answer = await callRoute(inbox.GET, "/api/approvals");
  expect(answer.status).toBe(200);
  return ApprovalInboxResponseSchema.parse(answer.body).items;
};

describe("sign-off attempts the console refuses", () => {
  it("puts a sign-off refused for identity or role on the run's trail; a forged refusal record is refused", async () => {
    const waiting = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    await ctx.stack.submitAs("sam", waiting);
    await ctx.stack.waitForStage(waiting.id, "awaiting-approval");

    expect((await signOff(waiting.id, { approved: true }, "vic")).status).toBe(403);
    expect((await signOff(waiting.id, { approved: true }, null)).status).toBe(401);

    // A signed-in operator with the wrong role goes on the trail; nobody signed in is counted apart.
    const status = await eventually(async () => {
      const current = await ctx.stack.status(waiting.id);
      expect(current.signoffAttempts).toHaveLength(1);
      expect(current.uncredentialedAttempts.count).toBe(1);
      return current;
    });
    expect(status.signoffAttempts).toEqual([
      expect.objectContaining({
        approver: "vic",
        approved: true,
        accepted: false,
        reason: expect.stringMatching(/^refused by the console: Your role \(viewer\)/),
      }),
    ]);
    expect(status.uncredentialedAttempts.recent).toEqual([
      expect.objectContaining({ approver: "(not signed in)", accepted: false, reason: expect.stringMatching(/^refused by the console: Sign in first/) }),
    ]);

    // Straight to the ingress, a refusal record needs the console's signature: a forged one adds nothing.
    const forged = await ctx.stack.post(`/RemediationWorkflow/${waiting.id}/recordRefusedSignoff`, {
      findingId: waiting.id,
      approver: "someone-else",
      identified: true,
      approved: true,
      reason: "made up",
      issuedAt: new Date().toISOString(),
      nonce: "n0nce-n0nce-n0nce",
      signature: "not-a-signature",
    });
    expect(forged.status).toBe(401);
    expect((await ctx.stack.status(waiting.id)).signoffAttempts).toHaveLength(1);
    expect((await ctx.stack.status(waiting.id)).stage).toBe("awaiting-approval");
  });
});

describe("sign-off at the policy gate", () => {
  it("lists waiting runs oldest first with the gate's reasons; approving one resumes it to completion", async () => {
    const first = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    const second = finding({ severity: "low", repo: "payments-prod" });
    await ctx.stack.submitAs("sam", first);
    await ctx.stack.waitForStage(first.id, "awaiting-approval");
    await ctx.stack.submitAs("sam", second);
    await ctx.stack.waitForStage(second.id, "awaiting-approval");

    const waiting = (await inboxItems()).filter((item) => item.findingId === first.id || item.findingId === second.id);
    expect(waiting.map((item) => item.findingId)).toEqual([first.id, second.id]);
    expect(waiting[0]).toMatchObject({
      severity: "high",
      repo: "ci-infra",
      description: first.description,
      reasons: [expect.stringMatching(/Severity is high/), "Rule high-severity decides: one approver must approve."],
    });
    expect(waiting[1]?.reasons).toEqual([
      expect.stringMatching(/Repository payments-prod matches .*production repository/),
      expect.stringMatching(/^Rule production-repository decides/),
    ]);
    expect(Date.parse(waiting[0]!.waitingSince)).toBeLessThanOrEqual(Date.parse(waiting[1]!.waitingSince));

    const answer = await signOff(first.id, { approved: true, comment: "Rotated keys look right" }, "ana");
    expect(answer.status).toBe(200);
    expect(ApprovalResponseSchema.parse(answer.body)).toMatchObject({ approved: true, approver: "ana", comment: "Rotated keys look right" });

    const done = await ctx.stack.waitForStage(first.id, "completed");
    expect(done.approval).toMatchObject({ approver: "ana" });
    expect(effects(ctx.stack.ledger(first.id), "open-pull-request")).toHaveLength(1);
    await eventually(async () => expect((await inboxItems()).map((item) => item.findingId)).not.toContain(first.id));

    // The second decision on the same gate is refused with Restate's own account of the first.
    const again = await signOff(first.id, { approved: false, comment: "changed my mind" }, "bo");
    expect(again.status).toBe(409);
    expect(ApiErrorSchema.parse(again.body).error).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already approved by ana/),
    });

    const rejected = await signOff(second.id, { approved: false, comment: "Not in prod this week" }, "ana");
    expect(rejected.status).toBe(200);
    const stopped = await ctx.stack.waitForStage(second.id, "rejected");
    expect(stopped.pullRequest).toBeNull();
  });

  it("answers 409 for a run that is not waiting for sign-off", async () => {
    const low = finding();
    await ctx.stack.submitAs("sam", low);
    await ctx.stack.waitForStage(low.id, "completed");
    const answer = await signOff(low.id, { approved: true });
    expect(answer.status).toBe(409);
    expect(ApiErrorSchema.parse(answer.body).error.message).toMatch(/not waiting for sign-off \(stage: completed\)/);
  });

  it("answers 404 for a finding that was never submitted", async () => {
    const answer = await signOff("never-submitted-7", { approved: true });
    expect(answer.status).toBe(404);
    expect(ApiErrorSchema.parse(answer.body).error).toMatchObject({ code: "not_found", message: expect.stringContaining("never-submitted-7") });
  });

  it.each([
    ["no decision", {}, ["approved"]],
    ["an approver named in the body", { approved: true, approver: "someone-else" }, ["approver"]],
    ["approved as text", { approved: "yes" }, ["approved"]],
    ["an unknown field", { approved: true, decidedAt: "yesterday" }, ["decidedAt"]],
    ["a comment too long", { approved: true, comment: "x".repeat(2001) }, ["comment"]],
  ])("answers 422 for %s and leaves the gate waiting", async (_, body, fields) => {
    const gated = finding({ severity: "critical" });
    await ctx.stack.submitAs("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    const answer = await signOff(gated.id, body);
    expect(answer.status).toBe(422);
    expect(Object.keys(ApiErrorSchema.parse(answer.body).error.fields ?? {})).toEqual(fields);
    expect((await ctx.stack.status(gated.id)).stage).toBe("awaiting-approval");
    const approves = await ctx.stack.sql(
      `SELECT id FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND target_service_key = '${gated.id}' AND target_handler_name = 'approve'`,
    );
    expect(approves).toEqual([]);
  });
});

describe("who may sign off", () => {
  it("answers 401 without credentials and 403 to a submitter or viewer, and the run keeps waiting", async () => {
    const gated = finding({ severity: "high", repo: "ci-infra" });
    await submitFinding("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");

    const nobody = await signOff(gated.id, { approved: true }, null);
    expect(nobody.status).toBe(401);
    expect(ApiErrorSchema.parse(nobody.body).error.code).toBe("unauthorized");
    const bogus = await callRoute(approval.POST, `/api/findings/${gated.id}/approval`, {
      method: "POST",
      body: { approved: true },
      params: { id: gated.id },
      as: null,
      headers: { authorization: "Bearer rmc_not-a-real-token" },
    });
    expect(bogus.status).toBe(401);
    for (const as of ["sam", "vic"]) {
      const answer = await signOff(gated.id, { approved: true }, as);
      expect(answer.status, as).toBe(403);
      expect(ApiErrorSchema.parse(answer.body).error.code).toBe("forbidden");
    }
    const status = await ctx.stack.status(gated.id);
    expect(status.stage).toBe("awaiting-approval");
    expect(status.submittedBy).toBe("sam");
    expect(status.approval).toBeNull();
  });

  it("refuses an admin approving the finding they submitted, then records the other approver", async () => {
    const gated = finding({ severity: "high", repo: "ci-infra" });
    await submitFinding("ada", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    const self = await signOff(gated.id, { approved: true }, "ada");
    expect(self.status).toBe(403);
    expect(ApiErrorSchema.parse(self.body).error.message).toMatch(/ada submitted this finding and cannot approve it/);
    expect((await ctx.stack.status(gated.id)).stage).toBe("awaiting-approval");

    expect((await signOff(gated.id, { approved: true, comment: "fine" }, "bo")).status).toBe(200);
    const done = await ctx.stack.waitForStage(gated.id, "completed");
    expect(done.approval?.approver).toBe("bo");
    expect(done.signoffAttempts.map(({ approver, accepted }) => [approver, accepted])).toEqual([
      ["ada", false],
      ["bo", true],
    ]);
  });

  it("keeps a critical finding at the gate after one approval and proceeds after a second approver's", async () => {
    const critical = finding({ severity: "critical", description: "RCE in image parser", repo: "media-service" });
    await submitFinding("sam", critical);
    await ctx.stack.waitForStage(critical.id, "awaiting-approval");

    expect((await signOff(critical.id, { approved: true }, "ana")).status).toBe(200);
    const afterOne = await ctx.stack.waitFor(critical.id, (status) => status.approvals.length === 1);
    expect(afterOne.stage).toBe("awaiting-approval");
    const twice = await signOff(critical.id, { approved: true }, "ana");
    expect(twice.status).toBe(403);
    expect(ApiErrorSchema.parse(twice.body).error.message).toMatch(/different approver/);

    expect((await signOff(critical.id, { approved: true }, "bo")).status).toBe(200);
    const done = await ctx.stack.waitForStage(critical.id, "completed");
    expect(done.approvals.map((decision) => decision.approver)).toEqual(["ana", "bo"]);
  });

  it("refuses a rejection without a comment", async () => {
    const gated = finding({ severity: "high", repo: "ci-infra" });
    await submitFinding("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    const bare = await signOff(gated.id, { approved: false }, "ana");
    expect(bare.status).toBe(403);
    expect(ApiErrorSchema.parse(bare.body).error.message).toMatch(/rejection needs a comment/);
    expect((await ctx.stack.status(gated.id)).stage).toBe("awaiting-approval");
  });
});
