// POST /api/findings/{id}/cancel against a real restate-server and services: an approver or admin
// stops a run at the gate or while it executes; what it did outside is undone and the audit record
// names who cancelled and why.
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, CancelResponseSchema } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { effects, finding } from "@/restate/test/harness";
import { signCancel } from "@/restate/identity/signed-claims";

// The pull request of a "stall-" finding keeps asking to be retried in 5 s: the run sits in its
// executing stage with the ticket already opened.
const STALLED_PULL_REQUEST = [
  { system: "github", action: "open-pull-request", findingPrefix: "stall-", mode: "retry-later", times: 1000, retryAfterMs: 5_000 },
];
const ctx = consoleStackPerFile({ servicesEnv: { STUB_FAULTS: JSON.stringify(STALLED_PULL_REQUEST) } });
const cancelRoute = routeModule(() => import("./route"));

const cancelRun = (id: string, body: unknown, as: string | null = "ana") =>
  callRoute(cancelRoute.POST, `/api/findings/${id}/cancel`, { method: "POST", body, params: { id }, as });

const auditRecordOf = (id: string) => effects(ctx.stack.ledger(id), "export-audit-record")[0]?.detail as Record<string, unknown> | undefined;

describe("cancelling a run from the console", () => {
  it("cancels a run waiting at the gate: it ends failed with who and why, nothing done outside, and cannot be cancelled again", async () => {
    const gated = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    await ctx.stack.submitAs("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");

    const answer = await cancelRun(gated.id, { reason: "  Duplicate of an incident already handled  " });
    expect(answer.status).toBe(200);
    expect(CancelResponseSchema.parse(answer.body)).toMatchObject({ by: "ana", reason: "Duplicate of an incident already handled" });

    const status = await ctx.stack.waitForStage(gated.id, "failed");
    expect(status.cancelled).toMatchObject({ by: "ana", reason: "Duplicate of an incident already handled" });
    expect(status.failure).toBe("Cancelled by ana at stage awaiting-approval: Duplicate of an incident already handled");
    expect(effects(ctx.stack.ledger(gated.id), "open-ticket")).toHaveLength(0);
    expect(auditRecordOf(gated.id)).toMatchObject({ outcome: "cancelled", cancelled: { by: "ana", reason: "Duplicate of an incident already handled" } });

    const again = await cancelRun(gated.id, { reason: "once more" }, "ada");
    expect(again.status).toBe(409);
    expect(ApiErrorSchema.parse(again.body).error.message).toMatch(/already ended \(stage: failed\)/);
  });

  it("cancels a run while it executes: the ticket it opened is closed, and the audit record says so", async () => {
    const stalled = finding({ id: `stall-${Date.now().toString(36)}`, severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    await ctx.stack.submitAs("sam", stalled);
    await ctx.stack.waitForStage(stalled.id, "awaiting-approval");
    await ctx.stack.approve(stalled.id, { approved: true, approver: "bo" });
    await ctx.stack.waitFor(stalled.id, (status) => status.ticket !== null);

    const answer = await cancelRun(stalled.id, { reason: "Change freeze started" }, "ada");
    expect(answer.status).toBe(200);

    const status = await ctx.stack.waitForStage(stalled.id, "failed");
    expect(status.cancelled).toMatchObject({ by: "ada", reason: "Change freeze started" });
    const ledger = ctx.stack.ledger(stalled.id);
    expect(effects(ledger, "open-ticket")).toHaveLength(1);
    expect(effects(ledger, "close-ticket")).toHaveLength(1);
    expect(effects(ledger, "open-pull-request")).toHaveLength(0);
    expect(effects(ledger, "post-message")).toHaveLength(0);
    expect(auditRecordOf(stalled.id)).toMatchObject({
      outcome: "cancelled",
      cancelled: { by: "ada", reason: "Change freeze started" },
      compensated: [expect.stringMatching(/^closed ticket /)],
    });
  });

  it("answers 409 for a run that already ended, and 403 to a viewer or submitter", async () => {
    const done = finding();
    await ctx.stack.submitAs("sam", done);
    await ctx.stack.waitForStage(done.id, "completed");
    const late = await cancelRun(done.id, { reason: "too late" });
    expect(late.status).toBe(409);
    expect(ApiErrorSchema.parse(late.body).error).toMatchObject({ code: "conflict", message: expect.stringMatching(/already ended \(stage: completed\)/) });

    const gated = finding({ severity: "critical" });
    await ctx.stack.submitAs("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    for (const as of ["vic", "sam"]) {
      const answer = await cancelRun(gated.id, { reason: "not mine to stop" }, as);
      expect(answer.status, as).toBe(403);
      expect(ApiErrorSchema.parse(answer.body).error.code).toBe("forbidden");
    }
    expect((await ctx.stack.status(gated.id)).stage).toBe("awaiting-approval");
  });

  it.each([
    ["no reason", {}, ["reason"]],
    ["an empty reason", { reason: "   " }, ["reason"]],
    ["a reason too long", { reason: "x".repeat(501) }, ["reason"]],
    ["a canceller named in the body", { reason: "stop", by: "someone-else" }, ["by"]],
  ])("answers 422 for %s and leaves the run waiting", async (_, body, fields) => {
    const gated = finding({ severity: "critical" });
    await ctx.stack.submitAs("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    const answer = await cancelRun(gated.id, body);
    expect(answer.status).toBe(422);
    expect(Object.keys(ApiErrorSchema.parse(answer.body).error.fields ?? {})).toEqual(fields);
    expect((await ctx.stack.status(gated.id)).stage).toBe("awaiting-approval");
  });

  it("refuses a cancel sent straight to the ingress without the console's signature", async () => {
    const gated = finding({ severity: "critical" });
    await ctx.stack.submitAs("sam", gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    const forged = signCancel("not-the-console-secret-not-the-console-secret", { findingId: gated.id, by: "mallory", reason: "forged" });
    const answer = await ctx.stack.post(`/RemediationWorkflow/${gated.id}/cancel`, forged);
    expect(answer.status).toBe(401);
    const replayed = signCancel(ctx.stack.secrets.approvalSigningSecret, { findingId: gated.id, by: "ana", reason: "once" });
    expect((await ctx.stack.post(`/RemediationWorkflow/${gated.id}/cancel`, replayed)).status).toBe(200);
    expect((await ctx.stack.post(`/RemediationWorkflow/${gated.id}/cancel`, replayed)).status).toBe(409);
    expect((await ctx.stack.waitForStage(gated.id, "failed")).cancelled?.by).toBe("ana");
  });
});
