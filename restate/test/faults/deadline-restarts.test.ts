// Gate deadlines through crashes: the services process SIGKILLed, then the engine SIGKILLed, while runs
// wait at gates with reminders, an escalation and an expiry ahead. The timers are Restate's: every
// reminder and escalation goes out exactly once (one per idempotency key), in order, and each run expires.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { CRASH_SERVICES_ENV, effects, finding, PATIENCE_MS, startTestStack, type TestStack } from "../harness";
import { writePolicyFile } from "../policy-fixture";
import type { AuditRecord, Finding } from "../../contracts/schemas";

const POLICY = `version: 1
rules:
  - name: restarts
    when: { repo: "^deadline-restarts" }
    approvals: 1
    deadline: { within: 6s, remindAt: ["25%", "50%", "75%"], escalateTo: [security-leads], grace: 3s }
  - name: auto-clear
    approvals: 0
`;

let stack: TestStack;
let policy: ReturnType<typeof writePolicyFile>;
beforeAll(async () => {
  policy = writePolicyFile(POLICY);
  stack = await startTestStack({ alwaysReplay: false, servicesEnv: { ...CRASH_SERVICES_ENV, SIGNOFF_POLICY_FILE: policy.file } });
});
afterAll(async () => {
  await stack?.stop();
  policy?.remove();
});

const gated = (i: number): Finding => finding({ severity: "high", description: "exposed credentials in CI logs", repo: `deadline-restarts-${i}` });

/** Submits the runs and waits until each has sent its first reminder: the crash then falls among its timers. */
async function runsPastTheirFirstReminder(count: number): Promise<Finding[]> {
  const runs = Array.from({ length: count }, (_, i) => gated(i));
  for (const run of runs) await stack.submitAs("submitter@corp.com", run);
  await vi.waitFor(() => runs.forEach((run) => expect(effects(stack.ledger(run.id), "remind-approvers").length).toBeGreaterThan(0)), {
    timeout: PATIENCE_MS,
    interval: 100,
  });
  return runs;
}

/** Each run expired, after 3 reminders and 1 escalation, each sent once and in order. */
async function expectExpiredWithEveryMessageOnce(runs: Finding[]) {
  for (const run of runs) {
    expect((await stack.workflow(run.id).workflowAttach()).outcome, run.id).toBe("expired");
    const status = await stack.status(run.id);
    expect(status.stage).toBe("expired");
    expect(status.deadline?.remindersSent, run.id).toHaveLength(3);
    expect(status.deadline?.escalatedAt, run.id).toBeTruthy();

    const ledger = stack.ledger(run.id);
    const reminders = effects(ledger, "remind-approvers");
    expect(
      reminders.map((entry) => entry.idempotencyKey.replace(/^.*-/, "")),
      run.id,
    ).toEqual(["0", "1", "2"]);
    expect(new Set(ledger.filter((entry) => entry.action === "remind-approvers").map((entry) => entry.idempotencyKey)).size).toBe(3);
    const escalations = effects(ledger, "escalate-approvers");
    expect(escalations, run.id).toHaveLength(1);
    expect(Date.parse(escalations[0]!.at)).toBeGreaterThanOrEqual(Date.parse(reminders[2]!.at));
    for (const action of ["open-ticket", "open-pull-request", "post-message"]) expect(effects(ledger, action), `${run.id} ${action}`).toHaveLength(0);
    const [audit] = effects(ledger, "export-audit-record");
    expect((audit?.detail as AuditRecord | undefined)?.outcome, run.id).toBe("expired");
  }
}

describe("gate deadlines through crashes", () => {
  it(
    "sends every reminder and the escalation once and expires the runs when the services are SIGKILLed mid-deadline",
    { timeout: 4 * PATIENCE_MS },
    async () => {
      const runs = await runsPastTheirFirstReminder(3);
      await stack.restartServices("kill");
      await expectExpiredWithEveryMessageOnce(runs);
    },
  );

  it("keeps the timers through an engine SIGKILL and restart on the same data", { timeout: 4 * PATIENCE_MS }, async () => {
    const runs = await runsPastTheirFirstReminder(3);
    await stack.restartServer("kill");
    await expectExpiredWithEveryMessageOnce(runs);
  });
});
