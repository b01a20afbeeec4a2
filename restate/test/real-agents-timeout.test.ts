// A real model (LLM_PROVIDER=openai-compatible over HTTP to the scripted server) slower than its rung's
// timeout: its own stack, since the fast rung's timeout here is short and every other test's is slack.
import { existsSync, readdirSync } from "node:fs";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { demoRepoFix } from "../workspace/demo-repos";
import { finding, PATIENCE_MS } from "./harness";
import { approve, handIn, startRealAgentsStack, writeFiles, type RealAgentsStack } from "./real-agents-stack";
import { reply } from "./scripted-models";

/** Long enough for a clone on a busy machine before the first model call; the slow model takes 60 times longer. */
const FAST_RUNG_TIMEOUT_MS = 10_000;
/**
 * A cancelled rung's model call in flight is not interrupted (the SDK's step has no cancellation signal):
 * it ends at its deadline, and only then does the rung see the cancellation and remove its workspace.
 */
const LLM_TIMEOUT_MS = 2 * FAST_RUNG_TIMEOUT_MS;

let agents: RealAgentsStack;
beforeAll(async () => {
  agents = await startRealAgentsStack("openai-compatible", {
    RUNG_TIMEOUTS_MS: `fastExecutor=${FAST_RUNG_TIMEOUT_MS},conservativeExecutor=600000`,
    LLM_TIMEOUT_MS: String(LLM_TIMEOUT_MS),
  });
});
afterAll(async () => {
  await agents?.stop();
});

it("a model slower than the rung's timeout: the rung is cancelled, its workspace removed, and the next rung runs", async () => {
  const fix = await demoRepoFix("web-storefront");
  const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
  let workspacesWhileWaiting: string[] = [];
  agents.script(low.id, {
    fast: () => {
      workspacesWhileWaiting = readdirSync(agents.workspacesDir).filter((name) => !name.startsWith("."));
      return reply.slow(60 * FAST_RUNG_TIMEOUT_MS, handIn("Too late."));
    },
    conservative: (turn) => (turn === 1 ? writeFiles(fix) : handIn("Bump lodash, carefully.")),
    judge: () => approve(),
  });

  await agents.stack.workflow(low.id).workflowSubmit(low);
  const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");

  expect(status.attempts).toMatchObject([
    { agent: "fastExecutor", result: "timed-out", outcome: `timed out after ${FAST_RUNG_TIMEOUT_MS} ms: cancelled` },
    { agent: "conservativeExecutor", result: "accepted" },
  ]);
  expect(status.plans.map((record) => record.plan.agent)).toEqual(["conservativeExecutor"]);
  // The slow model was asked once (its call cut at its deadline was not tried again), while the rung's
  // clone was there; the cancelled rung then removed it.
  expect(agents.asked(low.id).filter((request) => request.body.model === "scripted-fast")).toHaveLength(1);
  const fastWorkspace = agents.workspaceOf(status.attempts[0]!.subAgentInvocationId);
  expect(workspacesWhileWaiting).toContain(fastWorkspace.split("/").pop());
  await vi.waitFor(() => expect(existsSync(fastWorkspace)).toBe(false), { timeout: PATIENCE_MS, interval: 200 });
  // The cancelled rung's invocation ends once its compensation has run: the engine may not have recorded it yet.
  await vi.waitFor(
    async () => {
      const [rung] = await agents.stack.sql<{ status: string; completion_failure: string | null }>(
        `SELECT status, completion_failure FROM sys_invocation WHERE id = '${status.attempts[0]!.subAgentInvocationId}'`,
      );
      expect(rung).toMatchObject({ status: "completed", completion_failure: expect.stringContaining("[409]") });
    },
    { timeout: PATIENCE_MS, interval: 200 },
  );
});
