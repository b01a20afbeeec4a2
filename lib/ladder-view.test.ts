import { describe, expect, it } from "vitest";
import type { Attempt } from "@/restate/contracts/schemas";
import type { InvocationRow } from "./invocation-summary";
import { toLadderView, type LadderProgress } from "./ladder-view";

// Shapes captured from a real run of a "prod-db" finding: the fast executor's destructive plan was
// rejected by the judge, the conservative executor's plan accepted. The ladder they ran on:
const LADDER_AGENTS = ["fastExecutor", "conservativeExecutor"];
const rejectedFast: Attempt = {
  rung: 1,
  agent: "fastExecutor",
  subAgentInvocationId: "inv_11fgIw3HT9qN25f6knTkbS4tldh9eQvcv7",
  outcome: "rejected: Plan contains destructive operations.",
  result: "rejected",
  reason: "Plan contains destructive operations.",
  startedAt: "2026-11-27T23:47:24.768Z",
  endedAt: "2026-11-27T23:47:24.855Z",
  durationMs: 87,
};
const acceptedConservative: Attempt = {
  rung: 2,
  agent: "conservativeExecutor",
  subAgentInvocationId: "inv_16eZURJu3l7u6UW27ttcklPnmfC6VFUoqB",
  outcome: "accepted",
  result: "accepted",
  startedAt: "2026-11-27T23:47:24.856Z",
  endedAt: "2026-11-27T23:47:24.903Z",
  durationMs: 47,
};
const timedOutFast: Attempt = {
  ...rejectedFast,
  subAgentInvocationId: "inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd",
  outcome: "timed out after 3000 ms: cancelled",
  result: "timed-out",
  reason: "No plan within 3000 ms.",
  durationMs: 3008,
};

const invocation = (id: string, handler: string, extra: Partial<InvocationRow> = {}): InvocationRow => ({
  id,
  target: `subAgents/${handler}`,
  target_handler_name: handler,
  status: "completed",
  completion_result: "success",
  pinned_deployment_id: "dp_17rihsrmXn2VwYHmC2ARx6N",
  created_at: "2026-11-27T23:47:24.783Z",
  completed_at: "2026-11-27T23:47:24.827Z",
  invoked_by_id: "inv_1az6PrkEdgLO1eJndDETxfyImJXnbkHDPk",
  ...extra,
});

const progress = (stage: LadderProgress["stage"], currentRung: string | null, attempts: Attempt[]): LadderProgress => ({
  stage,
  currentRung,
  attempts,
});

describe("toLadderView", () => {
  it.each([
    ["a run that has not reached the ladder", progress("received", null, []), ["not-reached", "not-reached"]],
    ["the fast executor still planning", progress("planning", "fastExecutor", []), ["running", "not-reached"]],
    ["the judge auditing the fast plan", progress("judging", "fastExecutor", []), ["running", "not-reached"]],
    ["a recalibration in progress", progress("planning", "conservativeExecutor", [rejectedFast]), ["rejected", "running"]],
    ["a recalibrated run", progress("awaiting-approval", null, [rejectedFast, acceptedConservative]), ["rejected", "accepted"]],
    [
      "a run accepted on the first rung",
      progress("completed", null, [{ ...acceptedConservative, rung: 1, agent: "fastExecutor" }]),
      ["accepted", "not-reached"],
    ],
    ["a runaway shut down, then recalibrated", progress("completed", null, [timedOutFast, acceptedConservative]), ["timed-out", "accepted"]],
  ] as const)("shows %s", (_, state, expected) => {
    expect(toLadderView(LADDER_AGENTS, state, []).map((rung) => rung.state)).toEqual(expected);
  });

  it("carries the supervisor's decision and the engine's end state of the cancelled sub-agent", () => {
    const cancelled = invocation(timedOutFast.subAgentInvocationId, "fastExecutor", {
      completion_result: "failure",
      completion_failure: "[409] Cancelled",
    });
    const [first] = toLadderView(LADDER_AGENTS, progress("completed", null, [timedOutFast, acceptedConservative]), [cancelled]);
    expect(first).toEqual({
      rung: 1,
      agent: "fastExecutor",
      state: "timed-out",
      outcome: "timed out after 3000 ms: cancelled",
      reason: "No plan within 3000 ms.",
      durationMs: 3008,
      subAgentInvocationId: "inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd",
      invocation: {
        id: "inv_16nU4TZDVXHu1SyRhkUclSSMPyHZcIksKd",
        target: "subAgents/fastExecutor",
        status: "completed",
        completionResult: "failure",
        completionFailure: "[409] Cancelled",
        deploymentId: "dp_17rihsrmXn2VwYHmC2ARx6N",
        createdAt: "2026-11-27T23:47:24.783Z",
        completedAt: "2026-11-27T23:47:24.827Z",
      },
      usage: null,
      toolCalls: [],
    });
  });

  it("carries a rung's model usage and tool calls from its attempt record", () => {
    const usage = { inputTokens: 5700, outputTokens: 650, modelCalls: 4, costUsd: 0.0166 };
    const toolCalls = [{ turn: 1, tool: "list_files", input: '{"path":"."}', isError: false, output: "package.json" }];
    const [first, second] = toLadderView(LADDER_AGENTS, progress("planning", "conservativeExecutor", [{ ...rejectedFast, usage, toolCalls }]), []);
    expect(first).toMatchObject({ state: "rejected", usage, toolCalls });
    expect(second).toMatchObject({ state: "running", usage: null, toolCalls: [] });
  });

  it("finds the running rung's sub-agent among the invocations the run started", () => {
    const running = invocation("inv_1k06rAae6WYJ1pOrgmcz85cQdnf456drMt", "conservativeExecutor", {
      status: "running",
      completed_at: null,
      completion_result: null,
    });
    const ladder = toLadderView(LADDER_AGENTS, progress("planning", "conservativeExecutor", [rejectedFast]), [
      invocation(rejectedFast.subAgentInvocationId, "fastExecutor"),
      running,
    ]);
    expect(ladder[1]).toMatchObject({ state: "running", subAgentInvocationId: running.id, invocation: { status: "running" } });
    expect(ladder[0]?.invocation?.id).toBe(rejectedFast.subAgentInvocationId);
  });

  it("draws one row per rung of a longer ladder, the rungs past the decision not reached", () => {
    const rejectedConservative: Attempt = { ...acceptedConservative, result: "rejected", outcome: "rejected: too broad" };
    const state = progress("planning", "carefulExecutor", [rejectedFast, rejectedConservative]);
    const ladder = toLadderView([...LADDER_AGENTS, "carefulExecutor"], state, []);
    expect(ladder.map((rung) => [rung.rung, rung.agent, rung.state])).toEqual([
      [1, "fastExecutor", "rejected"],
      [2, "conservativeExecutor", "rejected"],
      [3, "carefulExecutor", "running"],
    ]);
  });

  it("keeps attempts of rungs a later deployment removed from the ladder", () => {
    const ladder = toLadderView(["fastExecutor"], progress("completed", null, [rejectedFast, acceptedConservative]), []);
    expect(ladder.map((rung) => [rung.rung, rung.agent, rung.state])).toEqual([
      [1, "fastExecutor", "rejected"],
      [2, "conservativeExecutor", "accepted"],
    ]);
  });
});
