// 50 runs of every scenario in flight while the services process is SIGKILLed at random moments:
// each run ends as it would without faults, each side effect happens once, no decided rung re-runs.
import { afterAll, beforeAll, expect, it } from "vitest";
import { CRASH_SERVICES_ENV, effects, PATIENCE_MS, pollUntil, startTestStack, type TestStack } from "../harness";
import { ALL_EFFECTS, SCENARIOS, SIDE_EFFECTS_OF, untimedResults, type Scenario } from "../scenarios";
import type { Finding } from "../../contracts/schemas";

const RUNS = 50;
const CRASHES = 4;

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ alwaysReplay: false, servicesEnv: CRASH_SERVICES_ENV });
});
afterAll(async () => {
  await stack?.stop();
});

const FINISHED = new Set(["completed", "failed", "rejected"]);

it(`brings ${RUNS} in-flight runs to their fault-free end state through ${CRASHES} services crashes`, { timeout: 4 * PATIENCE_MS }, async () => {
  const runs: { scenario: Scenario; finding: Finding }[] = Array.from({ length: RUNS }, (_, i) => {
    const scenario = SCENARIOS[i % SCENARIOS.length]!;
    return { scenario, finding: scenario.make("crash") };
  });
  await Promise.all(runs.map(({ finding }) => stack.submitAs("submitter@corp.com", finding)));

  // Chaos: SIGKILL the services process at random moments, restart it each time.
  const seed = Number(process.env.FAULT_SEED ?? Date.now() % 100_000);
  let state = seed;
  const random = () => (state = (state * 48271) % 2147483647) / 2147483647;
  let inFlightAtCrashes = 0;
  for (let crash = 0; crash < CRASHES; crash++) {
    await sleep(500 + random() * 1500);
    const [row] = await stack.sql<{ n: number }>(
      "SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND status <> 'completed' AND status <> 'suspended'",
    );
    inFlightAtCrashes += Number(row?.n ?? 0);
    await stack.restartServices("kill");
  }
  // The crashes hit runs that were mid-step, not an idle system.
  expect(inFlightAtCrashes).toBeGreaterThan(0);

  // Sign off the gated runs once they wait, until every run has finished.
  const approved = new Set<string>();
  let pending = runs;
  await pollUntil(
    async () => {
      const statuses = await Promise.all(pending.map(({ finding }) => stack.status(finding.id).catch(() => null)));
      for (const status of statuses) {
        if (status?.stage === "awaiting-approval" && !approved.has(status.findingId)) {
          await stack.approve(status.findingId, { approved: true, approver: "chaos@corp.com" });
          approved.add(status.findingId);
        }
      }
      pending = pending.filter((_, i) => !FINISHED.has(statuses[i]?.stage ?? ""));
      expect(
        pending.map(({ finding }) => finding.id),
        `unfinished runs (seed ${seed})`,
      ).toEqual([]);
    },
    { timeoutMs: 2 * PATIENCE_MS, firstMs: 250, maxMs: 1000 },
  );

  const subAgentCalls = await stack.sql<{ parent: string; target: string; n: number }>(
    `SELECT parent.target_service_key AS parent, child.target AS target, count(*) AS n
     FROM sys_invocation child JOIN sys_invocation parent ON child.invoked_by_id = parent.id
     WHERE parent.target_service_name = 'RemediationWorkflow' AND child.target_service_name = 'subAgents' GROUP BY parent.target_service_key, child.target`,
  );
  for (const { scenario, finding } of runs) {
    const status = await stack.status(finding.id);
    const label = `${scenario.name} ${finding.id} (seed ${seed})`;
    expect(status.stage, label).toBe(scenario.stage);
    expect(
      status.attempts.map((attempt) => attempt.result),
      `${label}: ${status.attempts.map((attempt) => attempt.outcome).join(" | ")}`,
    ).toEqual(untimedResults(scenario));

    const ledger = stack.ledger(finding.id);
    for (const action of ALL_EFFECTS) {
      const expected = SIDE_EFFECTS_OF[scenario.stage].includes(action) ? 1 : 0;
      expect(effects(ledger, action), `${label}: ${action}`).toHaveLength(expected);
    }
    // Each rung's agent was invoked once: a decided rung never re-ran after a crash.
    const calls = subAgentCalls.filter((row) => row.parent === finding.id);
    expect(
      calls.every((row) => Number(row.n) === 1),
      `${label}: ${JSON.stringify(calls)}`,
    ).toBe(true);
    expect(calls).toHaveLength(untimedResults(scenario).length);
  }
});

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
