// POST /api/findings/{id}/approval and GET /api/approvals against a real restate-server and services.
import { beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema, ApprovalInboxResponseSchema, ApprovalResponseSchema } from "@/lib/api/contracts";
import { callRoute, eventually, useConsoleStack } from "@/lib/server/testing";
import { effects, finding } from "@/restate/test/harness";

const ctx = useConsoleStack();
let approval: typeof import("./route");
let inbox: typeof import("@/app/api/approvals/route");
beforeAll(async () => {
  approval = await import("./route");
  inbox = await import("@/app/api/approvals/route");
});

const signOff = (id: string, body: unknown) => callRoute(approval.POST, `/api/findings/${id}/approval`, { method: "POST", body, params: { id } });
const inboxItems = async () => {
  const answer = await callRoute(inbox.GET, "/api/approvals");
  expect(answer.status).toBe(200);
  return ApprovalInboxResponseSchema.parse(answer.body).items;
};

describe("sign-off at the policy gate", () => {
  it("lists waiting runs oldest first with the gate's reasons; approving one resumes it to completion", async () => {
    const first = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    const second = finding({ severity: "low", repo: "payments-prod" });
    await ctx.stack.workflow(first.id).workflowSubmit(first);
    await ctx.stack.waitForStage(first.id, "awaiting-approval");
    await ctx.stack.workflow(second.id).workflowSubmit(second);
    await ctx.stack.waitForStage(second.id, "awaiting-approval");

    const waiting = (await inboxItems()).filter((item) => item.findingId === first.id || item.findingId === second.id);
    expect(waiting.map((item) => item.findingId)).toEqual([first.id, second.id]);
    expect(waiting[0]).toMatchObject({ severity: "high", repo: "ci-infra", description: first.description, reasons: [expect.stringMatching(/Severity is high/)] });
    expect(waiting[1]?.reasons).toEqual([expect.stringMatching(/payments-prod is a production repository/)]);
    expect(Date.parse(waiting[0]!.waitingSince)).toBeLessThanOrEqual(Date.parse(waiting[1]!.waitingSince));

    const answer = await signOff(first.id, { approved: true, approver: "ana@corp.example", comment: "Rotated keys look right" });
    expect(answer.status).toBe(200);
    expect(ApprovalResponseSchema.parse(answer.body)).toMatchObject({ approved: true, approver: "ana@corp.example", comment: "Rotated keys look right" });

    const done = await ctx.stack.waitForStage(first.id, "completed");
    expect(done.approval).toMatchObject({ approver: "ana@corp.example" });
    expect(effects(ctx.stack.ledger(first.id), "open-pull-request")).toHaveLength(1);
    await eventually(async () => expect((await inboxItems()).map((item) => item.findingId)).not.toContain(first.id));

    // The second decision on the same gate is refused with Restate's own account of the first.
    const again = await signOff(first.id, { approved: false, approver: "bob@corp.example" });
    expect(again.status).toBe(409);
    expect(ApiErrorSchema.parse(again.body).error).toMatchObject({
      code: "conflict",
      message: expect.stringMatching(/already approved by ana@corp\.example/),
    });

    const rejected = await signOff(second.id, { approved: false, approver: "ana@corp.example", comment: "Not in prod this week" });
    expect(rejected.status).toBe(200);
    const stopped = await ctx.stack.waitForStage(second.id, "rejected");
    expect(stopped.pullRequest).toBeNull();
  });

  it("answers 409 for a run that is not waiting for sign-off", async () => {
    const low = finding();
    await ctx.stack.workflow(low.id).workflowSubmit(low);
    await ctx.stack.waitForStage(low.id, "completed");
    const answer = await signOff(low.id, { approved: true, approver: "ana@corp.example" });
    expect(answer.status).toBe(409);
    expect(ApiErrorSchema.parse(answer.body).error.message).toMatch(/not waiting for sign-off \(stage: completed\)/);
  });

  it("answers 404 for a finding that was never submitted", async () => {
    const answer = await signOff("never-submitted-7", { approved: true, approver: "ana@corp.example" });
    expect(answer.status).toBe(404);
    expect(ApiErrorSchema.parse(answer.body).error).toMatchObject({ code: "not_found", message: expect.stringContaining("never-submitted-7") });
  });

  it.each([
    ["no approver", { approved: true }, ["approver"]],
    ["a blank approver", { approved: true, approver: "  " }, ["approver"]],
    ["approved as text", { approved: "yes", approver: "ana" }, ["approved"]],
    ["an unknown field", { approved: true, approver: "ana", decidedAt: "yesterday" }, ["decidedAt"]],
    ["a comment too long", { approved: true, approver: "ana", comment: "x".repeat(2001) }, ["comment"]],
  ])("answers 422 for %s and leaves the gate waiting", async (_, body, fields) => {
    const gated = finding({ severity: "critical" });
    await ctx.stack.workflow(gated.id).workflowSubmit(gated);
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
