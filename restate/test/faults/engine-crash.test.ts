// The Restate server itself is SIGKILLed mid-run, with runs at the gate, and restarted on the same
// data: nothing is lost, sign-offs given before the crash count, the waiting runs still wait.
import { afterAll, beforeAll, expect, it } from "vitest";
import { CRASH_SERVICES_ENV, effects, finding, PATIENCE_MS, startTestStack, type TestStack } from "../harness";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ alwaysReplay: false, servicesEnv: CRASH_SERVICES_ENV });
});
afterAll(async () => {
  await stack?.stop();
});

it("loses nothing when the engine is SIGKILLed and restarted on the same data", { timeout: 4 * PATIENCE_MS }, async () => {
  const gated = Array.from({ length: 6 }, () => finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" }));
  for (const run of gated) await stack.submitAs("submitter@corp.com", run);
  for (const run of gated) await stack.waitForStage(run.id, "awaiting-approval");

  // Half are signed off just before the crash; more runs are mid-ladder when it happens.
  const signedBeforeCrash = gated.slice(0, 3);
  const stillWaiting = gated.slice(3);
  for (const run of signedBeforeCrash) await stack.approve(run.id, { approved: true, approver: "before-crash@corp.com" });
  const inFlight = Array.from({ length: 6 }, (_, i) =>
    finding(i % 2 ? { description: "SQL injection in order search", repo: "orders-db" } : { repo: "web-monorepo" }),
  );
  for (const run of inFlight) await stack.submitAs("submitter@corp.com", run);
  await new Promise((r) => setTimeout(r, 400));

  await stack.restartServer("kill");

  for (const run of [...signedBeforeCrash, ...inFlight]) {
    const result = await stack.workflow(run.id).workflowAttach();
    expect(result.outcome, run.id).toBe("completed");
  }
  for (const run of signedBeforeCrash) {
    expect((await stack.status(run.id)).approval?.approver).toBe("before-crash@corp.com");
  }
  for (const run of stillWaiting) {
    const status = await stack.status(run.id);
    expect(status.stage, run.id).toBe("awaiting-approval");
    expect(status.approval).toBeNull();
    expect(effects(stack.ledger(run.id), "open-ticket")).toHaveLength(0);
  }

  // The waiting ones can still be signed off after the restart.
  for (const run of stillWaiting) await stack.approve(run.id, { approved: true, approver: "after-crash@corp.com" });
  for (const run of stillWaiting) expect((await stack.workflow(run.id).workflowAttach()).outcome).toBe("completed");

  for (const run of [...gated, ...inFlight]) {
    const ledger = stack.ledger(run.id);
    for (const action of ["open-ticket", "open-pull-request", "post-message", "export-audit-record"]) {
      expect(effects(ledger, action), `${run.id} ${action}`).toHaveLength(1);
    }
  }
});
