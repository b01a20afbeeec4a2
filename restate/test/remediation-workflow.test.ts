// The seed's scenarios, end to end, against a real restate-server in always-replay mode.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { effects, finding, PATIENCE_MS, startTestStack, TEST_FAST_RUNG_TIMEOUT_MS, type TestStack } from "./harness";
import { journalText } from "./journal-text";
import { LADDER_AGENTS } from "../contracts/rungs";
import { signApproval } from "../identity/signed-claims";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const INVOCATION_ID = /^inv_[0-9A-Za-z]+$/;

async function invocation(id: string) {
  const [row] = await stack.sql<{ status: string; completion_result: string | null; completion_failure: string | null; target: string }>(
    `SELECT target, status, completion_result, completion_failure FROM sys_invocation WHERE id = '${id}'`,
  );
  return row;
}

describe("RemediationWorkflow", () => {
  it("auto-clears a low-severity finding on a harmless repo and runs every side effect exactly once", async () => {
    const low = finding({ severity: "low", repo: "web-storefront" });
    const result = await stack
      .workflow(low.id)
      .workflowSubmit(low)
      .then(() => stack.workflow(low.id).workflowAttach());

    expect(result.outcome).toBe("completed");
    const status = await stack.status(low.id);
    expect(status.stage).toBe("completed");
    expect(status.signoff).toMatchObject({ required: false, reasons: [], approvalsRequired: 0, rule: { name: "auto-clear", policyVersion: "default" } });
    expect(status.attempts).toMatchObject([{ agent: "fastExecutor", outcome: "accepted" }]);
    expect(status.ticket?.system).toBe("jira");
    expect(status.pullRequest?.system).toBe("github");

    const ledger = stack.ledger(low.id);
    for (const action of ["open-ticket", "open-pull-request", "post-message", "export-eval", "export-audit-record"]) {
      expect(effects(ledger, action), action).toHaveLength(1);
    }
    expect(effects(ledger, "open-ticket")[0]?.ref).toEqual(status.ticket);
  });

  it("logs no line per invocation: the SDK's INFO lines are off unless RESTATE_LOGGING asks for them", async () => {
    const low = finding({ severity: "low", repo: "web-storefront" });
    await stack
      .workflow(low.id)
      .workflowSubmit(low)
      .then(() => stack.workflow(low.id).workflowAttach());
    const log = readFileSync(join(stack.dir, "services.log"), "utf8");
    expect(log).toContain("services listening on");
    // The SDK's own line format: "[restate][time][Service/key/handler][inv_…] LEVEL: Starting invocation." and the like.
    expect(log).not.toMatch(/\]\[inv_\w+\] INFO: /);
  });

  it("rejects the fast executor's destructive plan on a database repo and recalibrates to the conservative executor (seed cve-006)", async () => {
    const cve006 = finding({ source: "snyk", severity: "low", description: "SQL injection in session store", repo: "prod-db" });
    await stack.submitAs("submitter@corp.com", cve006);
    const waiting = await stack.waitForStage(cve006.id, "awaiting-approval");

    expect(waiting.attempts.map(({ agent, outcome }) => ({ agent, outcome }))).toEqual([
      { agent: "fastExecutor", outcome: "rejected: Plan contains destructive operations." },
      { agent: "conservativeExecutor", outcome: "accepted" },
    ]);
    for (const attempt of waiting.attempts) expect(attempt.subAgentInvocationId).toMatch(INVOCATION_ID);
    expect(waiting.verdicts.map((verdict) => verdict.approved)).toEqual([false, true]);
    expect(waiting.verdicts[0]?.checks.find((check) => check.name === "no-destructive-operations")?.evidence).toMatch(/DROP TABLE/);
    expect(waiting.signoff?.reasons.join(" ")).toMatch(/Repository prod-db matches .*: a production repository needs a human sign-off/);

    // The same trail over plain HTTP, as the README's curl walk-through reads it.
    const { body } = await stack.post(`/RemediationWorkflow/${cve006.id}/status`, {});
    expect((body as { attempts: unknown[] }).attempts).toHaveLength(2);

    await stack.approve(cve006.id, { approved: true, approver: "dba@corp.com", comment: "Snapshot first, fine." });
    const result = await stack.workflow(cve006.id).workflowAttach();
    expect(result.outcome).toBe("completed");
    // The rejected agent ran once and only once: each of its turns (change and test, hand in) was asked one time.
    const turns = stack.ledger(cve006.id).filter((entry) => entry.action === "executor-turn");
    const fastTurns = turns.filter((entry) => (entry.detail as { agent: string }).agent === "fastExecutor");
    expect(fastTurns.map((entry) => (entry.detail as { turn: number }).turn)).toEqual([1, 2]);
  });

  it("suspends a high-severity finding at the policy gate until an engineer signs off, and records who and why", async () => {
    const cve005 = finding({ source: "guardduty", severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    await stack.post(`/RemediationWorkflow/${cve005.id}/run/send`, cve005);
    const waiting = await stack.waitForStage(cve005.id, "awaiting-approval");
    expect(waiting.signoff?.required).toBe(true);
    expect(waiting.signoff?.reasons[0]).toMatch(/Severity is high/);
    // Sent straight to the ingress, as the README's curl walk-through does: nobody vouched for its author, so two approvers decide.
    expect(waiting.signoff?.approvalsRequired).toBe(2);
    expect(waiting.awaitingApprovalSince).toBeTruthy();
    expect(effects(stack.ledger(cve005.id), "open-ticket")).toHaveLength(0);

    const [run] = await stack.sql<{ id: string; status: string }>(
      `SELECT id, status FROM sys_invocation WHERE target = 'RemediationWorkflow/${cve005.id}/run'`,
    );
    expect(run?.status).toBe("suspended");

    // As curl would send it: the decision with the console's signature (see signoff-security.test.ts for forgeries).
    const signoff = await stack.post(
      `/RemediationWorkflow/${cve005.id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, {
        findingId: cve005.id,
        gateId: await stack.gateOf(cve005.id),
        approved: true,
        approver: "you@corp.com",
        comment: "Verified, LGTM",
      }),
    );
    expect(signoff.status).toBe(200);
    expect((await stack.waitFor(cve005.id, (status) => status.approvals.length === 1)).stage).toBe("awaiting-approval");
    await stack.approve(cve005.id, { approved: true, approver: "lead@corp.com", comment: "Second pair of eyes" });
    const result = await stack.workflow(cve005.id).workflowAttach();
    expect(result.outcome).toBe("completed");

    const status = await stack.status(cve005.id);
    expect(status.approvals[0]).toMatchObject({ approved: true, approver: "you@corp.com", comment: "Verified, LGTM" });
    const journal = await stack.sql<{ entry_type: string; entry_json: string }>(
      `SELECT entry_type, entry_json FROM sys_journal WHERE id = '${run?.id}' ORDER BY index`,
    );
    expect(journal.some((entry) => entry.entry_type.includes("GetPromise") && journalText(entry.entry_json).includes("you@corp.com"))).toBe(true);
    const [audit] = effects(stack.ledger(cve005.id), "export-audit-record");
    expect(audit?.detail).toMatchObject({
      outcome: "completed",
      approvals: [{ approver: "you@corp.com", comment: "Verified, LGTM" }, { approver: "lead@corp.com" }],
    });
    expect(effects(stack.ledger(cve005.id), "open-ticket")).toHaveLength(1);
  });

  it("ends without a ticket or PR when the engineer rejects at the gate", async () => {
    const risky = finding({ severity: "critical", description: "RCE in image parser", repo: "media-service" });
    await stack.submitAs("submitter@corp.com", risky);
    await stack.waitForStage(risky.id, "awaiting-approval");
    await stack.approve(risky.id, { approved: false, approver: "lead@corp.com", comment: "Needs a design review first." });

    const result = await stack.workflow(risky.id).workflowAttach();
    expect(result.outcome).toBe("rejected");
    const status = await stack.status(risky.id);
    expect(status.stage).toBe("rejected");
    expect(status.ticket).toBeNull();
    expect(status.pullRequest).toBeNull();
    const ledger = stack.ledger(risky.id);
    expect(effects(ledger, "open-ticket")).toHaveLength(0);
    expect(effects(ledger, "open-pull-request")).toHaveLength(0);
    expect(effects(ledger, "export-audit-record")[0]?.detail).toMatchObject({
      outcome: "rejected",
      approval: { approved: false, approver: "lead@corp.com" },
    });
  });

  it("times out a runaway executor, cancels its invocation, compensates, and moves to the next rung", async () => {
    const runaway = finding({ severity: "medium", description: "prototype pollution in a shared helper", repo: "web-monorepo" });
    await stack.submitAs("submitter@corp.com", runaway);
    const result = await stack.workflow(runaway.id).workflowAttach();
    expect(result.outcome).toBe("completed");

    const [fast, conservative] = result.attempts;
    expect(fast).toMatchObject({ agent: "fastExecutor", result: "timed-out", outcome: `timed out after ${TEST_FAST_RUNG_TIMEOUT_MS} ms: cancelled` });
    expect(conservative).toMatchObject({ agent: "conservativeExecutor", outcome: "accepted" });

    const cancelled = await vi.waitFor(
      async () => {
        const row = await invocation(fast!.subAgentInvocationId);
        expect(row?.status).toBe("completed");
        return row!;
      },
      { timeout: PATIENCE_MS, interval: 100 },
    );
    expect(cancelled).toMatchObject({ target: "subAgents/fastExecutor", completion_result: "failure" });
    expect(cancelled.completion_failure).toMatch(/cancel/i);
    // Its compensation discarded the scratch workspace it had opened.
    const discarded = effects(stack.ledger(runaway.id), "discard-workspace").map((entry) => entry.idempotencyKey);
    expect(discarded).toContain(`${fast!.subAgentInvocationId}/discard`);
  });

  it("fails terminally with the whole attempt trail when no rung produces an acceptable plan", async () => {
    const hopeless = finding({ severity: "medium", description: "deserialization bug in the vendored shared library", repo: "billing-api" });
    await stack.submitAs("submitter@corp.com", hopeless);
    const failure = await stack
      .workflow(hopeless.id)
      .workflowAttach()
      .then(
        () => null,
        (error: unknown) => error as Error,
      );
    expect(failure?.message).toMatch(/No agent produced an acceptable plan/);
    expect(failure?.message).toMatch(/fastExecutor .*rejected/);
    expect(failure?.message).toMatch(/conservativeExecutor .*rejected/);

    const status = await stack.status(hopeless.id);
    expect(status.stage).toBe("failed");
    expect(status.attempts.map((attempt) => attempt.result)).toEqual(LADDER_AGENTS.map(() => "rejected"));
    expect(status.attempts[1]?.outcome).toMatch(/outside the finding's scope/);
    const ledger = stack.ledger(hopeless.id);
    expect(effects(ledger, "open-ticket")).toHaveLength(0);
    expect(effects(ledger, "open-pull-request")).toHaveLength(0);
    expect(effects(ledger, "export-audit-record")).toHaveLength(1);
  });
});

describe("sign-off rules", () => {
  it("refuses a sign-off that arrives before the gate is reached, and the run still waits for a real one", async () => {
    // Runaway first rung: the run spends a few seconds planning before it reaches the gate.
    const early = finding({ severity: "high", description: "SSRF in the image proxy", repo: "web-monorepo" });
    await stack.submitAs("submitter@corp.com", early);
    await stack.waitForStage(early.id, "planning");
    const tooEarly = await stack.post(
      `/RemediationWorkflow/${early.id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, {
        findingId: early.id,
        gateId: await stack.gateOf(early.id),
        approved: true,
        approver: "eager@corp.com",
      }),
    );
    expect(tooEarly.status).toBe(409);
    expect(JSON.stringify(tooEarly.body)).toMatch(/not waiting for sign-off \(stage: planning\)/);

    const waiting = await stack.waitForStage(early.id, "awaiting-approval", 30_000);
    expect(waiting.approval).toBeNull();
    await stack.approve(early.id, { approved: true, approver: "oncall@corp.com" });
    expect((await stack.workflow(early.id).workflowAttach()).approval?.approver).toBe("oncall@corp.com");
  });

  it("refuses a second sign-off and keeps the first", async () => {
    const twice = finding({ severity: "high", description: "exposed token in logs", repo: "ci-infra" });
    await stack.submitAs("submitter@corp.com", twice);
    await stack.waitForStage(twice.id, "awaiting-approval");
    await stack.approve(twice.id, { approved: true, approver: "first@corp.com" });
    const second = await stack.post(
      `/RemediationWorkflow/${twice.id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, {
        findingId: twice.id,
        gateId: await stack.gateOf(twice.id),
        approved: false,
        approver: "second@corp.com",
        comment: "no",
      }),
    );
    expect(second.status).toBe(409);
    expect(JSON.stringify(second.body)).toMatch(/already approved by first@corp.com/);
    const result = await stack.workflow(twice.id).workflowAttach();
    expect(result).toMatchObject({ outcome: "completed", approval: { approver: "first@corp.com" } });
  });

  it("ends a run cancelled at the gate as failed, with an audit record and no side effect", async () => {
    const abandoned = finding({ severity: "high", description: "exposed token in logs", repo: "ci-infra" });
    await stack.submitAs("submitter@corp.com", abandoned);
    await stack.waitForStage(abandoned.id, "awaiting-approval");
    const [run] = await stack.sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${abandoned.id}/run'`);
    const cancel = await fetch(`${stack.server.adminUrl}/invocations/${run!.id}/cancel`, { method: "PATCH" });
    expect(cancel.ok).toBe(true);

    const status = await stack.waitForStage(abandoned.id, "failed");
    expect(status.failure).toMatch(/Cancelled by an operator at stage awaiting-approval/);
    const ledger = stack.ledger(abandoned.id);
    expect(effects(ledger, "open-ticket")).toHaveLength(0);
    expect(effects(ledger, "export-audit-record")[0]?.detail).toMatchObject({ outcome: "cancelled" });
    const late = await stack.post(
      `/RemediationWorkflow/${abandoned.id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, {
        findingId: abandoned.id,
        gateId: await stack.gateOf(abandoned.id),
        approved: true,
        approver: "late@corp.com",
      }),
    );
    expect(late.status).toBe(409);
  });

  it("answers 404 to a sign-off or status for a finding that was never submitted", async () => {
    const approve = await stack.post(`/RemediationWorkflow/never-submitted/approve`, { approved: true, approver: "a@corp.com" });
    expect(approve.status).toBe(404);
    expect(JSON.stringify(approve.body)).toMatch(/No remediation run for finding \\"never-submitted\\"/);
    const status = await stack.post(`/RemediationWorkflow/never-submitted/status`, {});
    expect(status.status).toBe(404);
  });

  it("rejects a malformed sign-off with a clear message", async () => {
    const response = await stack.post(`/RemediationWorkflow/whatever/approve`, { approved: "yes" });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/approved must be true or false/);
  });
});

describe("bad input", () => {
  const valid = { source: "snyk", severity: "low", description: "outdated lodash", repo: "web-storefront" };
  it.each([
    ["a missing repo", { source: "snyk", severity: "low", description: "x" }, /repo is required/],
    ["an unknown severity", { ...valid, severity: "urgent" }, /severity must be one of: low, medium, high, critical/],
    ["oversized text", { ...valid, description: "x".repeat(2001) }, /description must be at most 2000 characters/],
    ["an unexpected field", { ...valid, priority: 1 }, /priority/],
  ])("refuses %s with a clear terminal error and executes nothing", async (_case, body, message) => {
    const id = finding().id;
    const response = await stack.post(`/RemediationWorkflow/${id}/run`, { id, ...body });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(message);
    expect(stack.ledger(id)).toHaveLength(0);
    expect((await stack.post(`/RemediationWorkflow/${id}/status`, {})).status).toBe(404);
  });

  it("refuses a finding whose id does not match the workflow key", async () => {
    const key = finding().id;
    const response = await stack.post(`/RemediationWorkflow/${key}/run`, { ...valid, id: "someone-else" });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toMatch(/does not match the workflow key/);
    expect(stack.ledger(key)).toHaveLength(0);
    expect(stack.ledger("someone-else")).toHaveLength(0);
  });
});
