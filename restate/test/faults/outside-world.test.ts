// The outside world failing: a flaky system is retried with backoff until it answers; a broken one
// ends the run with an operator-readable failure and the effects already done are compensated.
import { afterAll, beforeAll, expect, it } from "vitest";
import { effects, finding, startTestStack, type TestStack } from "../harness";

const FAULTS = [
  { system: "jira", action: "open-ticket", findingPrefix: "flaky-", mode: "transient", times: 3 },
  { system: "github", action: "open-pull-request", findingPrefix: "broken-", mode: "permanent" },
];

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ servicesEnv: { STUB_FAULTS: JSON.stringify(FAULTS) } });
});
afterAll(async () => {
  await stack?.stop();
});

it("retries a transiently failing ticket system with backoff and opens the ticket once", async () => {
  const flaky = finding({ id: `flaky-${Date.now()}` });
  await stack.submitAs("submitter@corp.com", flaky);
  const result = await stack.workflow(flaky.id).workflowAttach();

  expect(result.outcome).toBe("completed");
  const ledger = stack.ledger(flaky.id);
  expect(ledger.filter((entry) => entry.action === "open-ticket:failed")).toHaveLength(3);
  expect(effects(ledger, "open-ticket")).toHaveLength(1);
  expect(effects(ledger, "open-pull-request")).toHaveLength(1);
  const [first, last] = [ledger.find((e) => e.action === "open-ticket:failed")!, effects(ledger, "open-ticket")[0]!];
  // 200 ms doubling: three failures take at least 200 + 400 + 800 ms before the success.
  expect(Date.parse(last.at) - Date.parse(first.at)).toBeGreaterThanOrEqual(1_200);
});

it("ends a run whose pull request is refused for good with a clear failure, and closes the ticket it had opened", async () => {
  const broken = finding({ id: `broken-${Date.now()}` });
  await stack.submitAs("submitter@corp.com", broken);
  const failure = await stack
    .workflow(broken.id)
    .workflowAttach()
    .then(
      () => null,
      (error: unknown) => error as Error,
    );
  expect(failure?.message).toMatch(/A side effect failed for good: github refused open-pull-request/);
  expect(failure?.message).toMatch(/Compensated: closed ticket SEC-\d+/);

  const status = await stack.status(broken.id);
  expect(status.stage).toBe("failed");
  expect(failure?.message).toContain(status.failure);
  const ledger = stack.ledger(broken.id);
  expect(effects(ledger, "open-ticket")).toHaveLength(1);
  expect(effects(ledger, "close-ticket")).toHaveLength(1);
  expect(effects(ledger, "open-pull-request")).toHaveLength(0);
  expect(ledger.filter((entry) => entry.action === "open-pull-request:failed")).toHaveLength(1);
  expect(effects(ledger, "post-message")).toHaveLength(0);
  expect(effects(ledger, "export-audit-record")[0]?.detail).toMatchObject({ outcome: "failed" });
});
