// Gate deadlines against a real restate-server: a policy file gives each repository's gate a deadline of
// seconds; reminders and the escalation are counted in the stub chat's ledger, the expiry ends the run
// as "expired" with nothing executed. Assertions are on order and counts, never on how late a timer fired.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { signApproval } from "../identity/signed-claims";
import type { AuditRecord, EvalRecord, Finding } from "../contracts/schemas";
import { effects, finding, PATIENCE_MS, startTestStack, type TestStack } from "./harness";
import { writePolicyFile } from "./policy-fixture";

/** Rules by repository name, so each test picks its deadline. */
const DEADLINE_POLICY = `version: 1
rules:
  - name: expires
    when: { repo: "^deadline-expires" }
    approvals: 1
    deadline: { within: 4s, remindAt: ["25%", "50%"] }
  - name: escalates
    when: { repo: "^deadline-escalates" }
    approvals: 1
    from: [security]
    deadline: { within: 3s, remindAt: ["50%"], escalateTo: [security-leads], grace: 60s }
  - name: decided-early
    when: { repo: "^deadline-decided" }
    approvals: 1
    deadline: { within: 9s, remindAt: ["10%", "50%", "90%"] }
  - name: auto-clear
    approvals: 0
`;

const gated = (repo: string): Finding => finding({ severity: "high", description: "exposed credentials in CI logs", repo });

let stack: TestStack;
let policy: ReturnType<typeof writePolicyFile>;
beforeAll(async () => {
  policy = writePolicyFile(DEADLINE_POLICY);
  stack = await startTestStack({ servicesEnv: { SIGNOFF_POLICY_FILE: policy.file } });
});
afterAll(async () => {
  await stack?.stop();
  policy?.remove();
});

const auditOf = (findingId: string) => effects(stack.ledger(findingId), "export-audit-record")[0]?.detail as AuditRecord | undefined;

describe("gate deadlines", () => {
  it("reminds at each share of the deadline once, then ends the run expired: nothing executed, audit and eval say expired", async () => {
    const run = gated("deadline-expires-api");
    await stack.submitAs("submitter@corp.com", run);
    const waiting = await stack.waitForStage(run.id, "awaiting-approval");
    // Recorded as the gate opened: whoever sees the gate open sees its deadline.
    expect(waiting.deadline).toMatchObject({ remindersSent: [] });
    expect(Date.parse(waiting.deadline!.dueAt) - Date.parse(waiting.awaitingApprovalSince!)).toBe(4000);
    expect(waiting.deadline!.finalDueAt).toBe(waiting.deadline!.dueAt);

    const result = await stack.workflow(run.id).workflowAttach();
    expect(result.outcome).toBe("expired");
    expect(result.approval).toBeNull();
    const status = await stack.status(run.id);
    expect(status.stage).toBe("expired");
    expect(status.deadline?.remindersSent).toHaveLength(2);
    expect(status.deadline?.escalatedAt).toBeUndefined();

    const ledger = stack.ledger(run.id);
    const reminders = effects(ledger, "remind-approvers");
    expect(reminders).toHaveLength(2);
    expect(ledger.filter((entry) => entry.action === "remind-approvers" && entry.duplicate)).toHaveLength(0);
    expect((reminders[0]?.detail as { text: string }).text).toMatch(new RegExp(`^Reminder: ${run.id} .*3s left until its deadline`));
    expect((reminders[1]?.detail as { text: string }).text).toMatch(/2s left until its deadline/);
    for (const action of ["open-ticket", "open-pull-request", "post-message", "escalate-approvers"]) expect(effects(ledger, action), action).toHaveLength(0);

    const audit = auditOf(run.id);
    expect(audit).toMatchObject({ outcome: "expired", approvals: [], deadline: { dueAt: waiting.deadline!.dueAt } });
    expect(audit?.deadline?.remindersSent).toHaveLength(2);
    expect(audit?.ticket).toBeUndefined();
    const evalRecord = effects(ledger, "export-eval")[0]?.detail as EvalRecord | undefined;
    expect(evalRecord?.outcome).toBe("expired");

    // A decision after the expiry is refused like any decision on a finished gate, and changes nothing.
    const late = await stack.post(
      `/RemediationWorkflow/${run.id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, { findingId: run.id, gateId: status.gateId!, approved: true, approver: "late@corp.com" }),
    );
    expect(late.status).toBe(409);
    expect(JSON.stringify(late.body)).toMatch(/expired undecided/);
    const after = await stack.status(run.id);
    expect(after.stage).toBe("expired");
    expect(after.approvals).toEqual([]);
    expect(after.signoffAttempts.at(-1)).toMatchObject({ approver: "late@corp.com", accepted: false });
  });

  it("escalates at the deadline, naming the group, whose members may then decide the gate", async () => {
    const run = gated("deadline-escalates-api");
    await stack.submitAs("submitter@corp.com", run);
    await stack.waitForStage(run.id, "awaiting-approval");
    const outsider = await stack.post(
      `/RemediationWorkflow/${run.id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, {
        findingId: run.id,
        gateId: await stack.gateOf(run.id),
        approved: true,
        approver: "dev@corp.com",
        approverGroups: ["platform"],
      }),
    );
    expect(outsider.status).toBe(403);
    const escalated = await stack.waitFor(run.id, (status) => !!status.deadline?.escalatedAt);
    expect(escalated.stage).toBe("awaiting-approval");
    expect(Date.parse(escalated.deadline!.finalDueAt) - Date.parse(escalated.deadline!.dueAt)).toBe(60_000);
    const ledger = stack.ledger(run.id);
    expect(effects(ledger, "remind-approvers")).toHaveLength(1);
    const [escalation] = effects(ledger, "escalate-approvers");
    expect((escalation?.detail as { text: string }).text).toMatch(new RegExp(`^Escalated to security-leads: ${run.id} .*passed its sign-off deadline`));

    // lead@corp.com is only in the escalation group: the rule's own group is security.
    await stack.approve(run.id, { approved: true, approver: "lead@corp.com", approverGroups: ["security-leads"] });
    const result = await stack.workflow(run.id).workflowAttach();
    expect(result.outcome).toBe("completed");
    expect(auditOf(run.id)?.deadline?.escalatedAt).toBe(escalated.deadline!.escalatedAt);
    expect(effects(stack.ledger(run.id), "escalate-approvers")).toHaveLength(1);
  });

  it("stops the timers when the gate is decided: no reminder after the decision, no escalation, no expiry", async () => {
    const run = gated("deadline-decided-api");
    await stack.submitAs("submitter@corp.com", run);
    await stack.waitForStage(run.id, "awaiting-approval");
    // Decided after the first reminder, well before the deadline.
    await vi.waitFor(() => expect(effects(stack.ledger(run.id), "remind-approvers").length).toBeGreaterThan(0), { timeout: PATIENCE_MS, interval: 100 });
    const approval = await stack.approve(run.id, { approved: true, approver: "lead@corp.com" });
    expect((await stack.workflow(run.id).workflowAttach()).outcome).toBe("completed");
    const status = await stack.status(run.id);

    // Past the deadline: had a timer outlived the decision, its message would be in the ledger by now.
    await sleepUntil(Date.parse(status.deadline!.dueAt) + 1000);
    const ledger = stack.ledger(run.id);
    const reminders = effects(ledger, "remind-approvers");
    expect(reminders.length).toBe(status.deadline!.remindersSent.length);
    for (const reminder of reminders) expect(Date.parse(reminder.at)).toBeLessThan(Date.parse(approval.decidedAt));
    expect(reminders.length).toBeLessThan(3);
    expect(effects(ledger, "escalate-approvers")).toHaveLength(0);
    expect((await stack.status(run.id)).stage).toBe("completed");
  });
});

async function sleepUntil(at: number) {
  const wait = at - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
