// GET /api/findings/{id} against a real restate-server and the real services.
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, FindingDetailSchema, type FindingDetail } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
const routes = routeModule(() => import("./route"));

const detail = (id: string) => callRoute<FindingDetail>(routes.GET, `/api/findings/${id}`, { params: { id } });

describe("GET /api/findings/{id}", () => {
  it("shows a recalibration: the rogue plan rejected on rung 1, the conservative plan accepted on rung 2", async () => {
    const rogue = finding({ repo: "prod-db", description: "SQL injection in session store" });
    await ctx.stack.submitAs("sam", rogue);
    await ctx.stack.waitForStage(rogue.id, "awaiting-approval");

    const answer = await detail(rogue.id);
    expect(answer.status).toBe(200);
    const run = FindingDetailSchema.parse(answer.body);
    expect(run.status).toMatchObject({ findingId: rogue.id, stage: "awaiting-approval", finding: rogue });
    expect(run.ladder.map((rung) => [rung.rung, rung.agent, rung.state])).toEqual([
      [1, "fastExecutor", "rejected"],
      [2, "conservativeExecutor", "accepted"],
    ]);
    const [rejected, accepted] = run.ladder;
    expect(rejected?.reason).toMatch(/destructive/i);
    expect(rejected?.invocation).toMatchObject({
      id: rejected?.subAgentInvocationId,
      target: "subAgents/fastExecutor",
      status: "completed",
      completionResult: "success",
    });
    expect(accepted?.invocation).toMatchObject({ target: "subAgents/conservativeExecutor", status: "completed" });

    const identity = run.status.identity;
    expect(run.workflowInvocation).toMatchObject({ id: identity?.invocationId, target: `RemediationWorkflow/${rogue.id}/run`, completedAt: null });
    expect(run.workflowInvocation?.status).not.toBe("completed");
    expect(run.restateUiUrl).toBe(`${ctx.stack.server.adminUrl}/ui/invocations/${identity?.invocationId}`);
  });

  it("shows a runaway sub-agent timed out and cancelled by the engine, then the next rung", async () => {
    const runaway = finding({ description: "prototype pollution across the monorepo" });
    await ctx.stack.submitAs("sam", runaway);
    await ctx.stack.waitForStage(runaway.id, "completed");

    const run = FindingDetailSchema.parse((await detail(runaway.id)).body);
    const [timedOut, accepted] = run.ladder;
    expect(timedOut).toMatchObject({ agent: "fastExecutor", state: "timed-out", outcome: expect.stringMatching(/timed out after \d+ ms: cancelled/) });
    expect(timedOut?.invocation).toMatchObject({ status: "completed", completionResult: "failure", completionFailure: expect.stringContaining("[409]") });
    expect(accepted).toMatchObject({ agent: "conservativeExecutor", state: "accepted" });
    expect(run.workflowInvocation).toMatchObject({ status: "completed", completionResult: "success", completedAt: expect.any(String) });
  });

  it("shows the rung in progress as running, with its live sub-agent invocation", async () => {
    const runaway = finding({ description: "prototype pollution across every service" });
    await ctx.stack.submitAs("sam", runaway);
    await ctx.stack.waitFor(runaway.id, (status) => status.stage === "planning" && status.currentRung === "fastExecutor");

    const run = FindingDetailSchema.parse((await detail(runaway.id)).body);
    expect(run.ladder.map((rung) => rung.state)).toEqual(["running", "not-reached"]);
    expect(run.ladder[0]?.subAgentInvocationId).toMatch(/^inv_/);
    expect(run.ladder[0]?.invocation?.target).toBe("subAgents/fastExecutor");
    expect(run.ladder[0]?.invocation?.completedAt).toBeNull();
    await ctx.stack.waitForStage(runaway.id, "completed");
  });

  it("answers 404 with Restate's message for a finding that was never submitted", async () => {
    const answer = await detail("never-submitted-42");
    expect(answer.status).toBe(404);
    const error = ApiErrorSchema.parse(answer.body).error;
    expect(error).toMatchObject({ code: "not_found", message: expect.stringContaining("never-submitted-42") });
  });

  it("answers 422 for an id that cannot be a finding id", async () => {
    const answer = await detail("..%2Fetc");
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.fields).toHaveProperty("id");
  });
});
