// The services process dies mid-run (SIGKILL) and comes back: replay restores every decision.
import { afterAll, beforeAll, expect, it } from "vitest";
import { CRASH_SERVICES_ENV, effects, finding, startTestStack, type TestStack } from "./harness";

let stack: TestStack;
beforeAll(async () => {
  // Real stub latency, so there is a window to crash into between the ladder's rungs.
  stack = await startTestStack({ servicesEnv: { ...CRASH_SERVICES_ENV, STUB_LATENCY_SCALE: "1" } });
});
afterAll(async () => {
  await stack?.stop();
});

it("survives a services crash mid-ladder and mid-side-effects: decided rungs are not re-run, every effect happens once", async () => {
  const dbFinding = finding({ severity: "low", description: "SQL injection in session store", repo: "prod-db" });
  await stack.submitAs("submitter@corp.com", dbFinding);

  // Crash 1: the fast rung is decided (rejected), the conservative agent is at work.
  const midLadder = await stack.waitFor(dbFinding.id, (status) => status.attempts.length === 1);
  expect(midLadder.attempts[0]?.outcome).toBe("rejected: Plan contains destructive operations.");
  const fastTurnsBefore = fastTurns();
  await stack.restartServices("kill");

  const waiting = await stack.waitForStage(dbFinding.id, "awaiting-approval");
  expect(waiting.attempts.map((attempt) => attempt.outcome)).toEqual(["rejected: Plan contains destructive operations.", "accepted"]);
  expect(waiting.attempts[0]).toEqual(midLadder.attempts[0]);

  // Crash 2: right after the sign-off, while ticket and PR are being opened.
  await stack.approve(dbFinding.id, { approved: true, approver: "dba@corp.com", comment: "ok" });
  await stack.waitForStage(dbFinding.id, "executing");
  await new Promise((r) => setTimeout(r, 200));
  await stack.restartServices("kill");

  const result = await stack.workflow(dbFinding.id).workflowAttach();
  expect(result.outcome).toBe("completed");

  expect(fastTurns()).toBe(fastTurnsBefore);
  const [run] = await stack.sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${dbFinding.id}/run'`);
  const calls = await stack.sql<{ target: string; n: number }>(
    `SELECT target, count(*) AS n FROM sys_invocation WHERE invoked_by_id = '${run?.id}' AND target_service_name = 'subAgents' GROUP BY target ORDER BY target`,
  );
  expect(calls.map(({ target, n }) => [target, Number(n)])).toEqual([
    ["subAgents/conservativeExecutor", 1],
    ["subAgents/fastExecutor", 1],
  ]);

  const ledger = stack.ledger(dbFinding.id);
  for (const action of ["open-ticket", "open-pull-request", "post-message", "export-eval", "export-audit-record"]) {
    expect(effects(ledger, action), action).toHaveLength(1);
  }

  function fastTurns() {
    return stack.ledger(dbFinding.id).filter((entry) => entry.action === "executor-turn" && (entry.detail as { agent: string }).agent === "fastExecutor")
      .length;
  }
});

it("two crashes of the services asked for at once restart them one after the other, and the stack answers after both", async () => {
  // Two rungs' hooks (or two tests' helpers) can each ask for a restart before the other's process listens.
  const before = stack.services.child.pid;
  await Promise.all([stack.restartServices("kill"), stack.restartServices("kill")]);
  expect(stack.services.running).toBe(true);
  expect(stack.services.child.pid).not.toBe(before);

  const quick = finding({ severity: "low", description: "Outdated lodash", repo: "web-storefront" });
  await stack.submitAs("submitter@corp.com", quick);
  expect((await stack.workflow(quick.id).workflowAttach()).outcome).toBe("completed");
});
