// M of N from groups at the gate, against a real restate-server: the services run with a policy file whose
// rule asks two approvals from security; only members of that group count, the others are refused and on the trail.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signApproval } from "../identity/signed-claims";
import { finding, startTestStack, type TestStack } from "./harness";

const POLICY = `version: 1
rules:
  - name: payments-two-from-security
    description: payments changes take two security engineers
    when: { repo: "payments" }
    approvals: 2
    from: [security]
  - name: high-one-from-platform-or-security
    when: { severity: [high, critical] }
    approvals: 1
    from: [platform, security]
  - name: auto-clear
    approvals: 0
`;

let stack: TestStack;
beforeAll(async () => {
  const policyFile = join(mkdtempSync(join(tmpdir(), "policy-groups-")), "policy.yaml");
  writeFileSync(policyFile, POLICY);
  stack = await startTestStack({ servicesEnv: { SIGNOFF_POLICY_FILE: policyFile } });
});
afterAll(async () => {
  await stack?.stop();
});

const messageOf = (body: unknown) => (body as { message?: string }).message ?? JSON.stringify(body);

async function gated(repo: string, severity: "low" | "high" = "low") {
  const gatedFinding = finding({ severity, description: "pinned dependency with a known CVE", repo });
  await stack.submitAs("sam", gatedFinding);
  await stack.waitForStage(gatedFinding.id, "awaiting-approval");
  return gatedFinding.id;
}

describe("approvals from the rule's groups", () => {
  it("refuses an approver outside the group with 403 on the trail, and completes with two security approvers", async () => {
    const id = await gated("payments-api");
    const signoff = (await stack.status(id)).signoff;
    expect(signoff).toMatchObject({ approvalsRequired: 2, approverGroups: ["security"], rule: { name: "payments-two-from-security" } });
    expect(signoff?.rule?.because).toEqual(["Repository payments-api matches /payments/"]);

    const outsider = await stack.post(
      `/RemediationWorkflow/${id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, {
        findingId: id,
        gateId: await stack.gateOf(id),
        approved: true,
        approver: "dev",
        approverGroups: ["platform"],
      }),
    );
    expect(outsider.status).toBe(403);
    expect(messageOf(outsider.body)).toBe("Sign-off refused: dev is not in the groups that may approve this gate (security).");
    const refused = await stack.waitFor(id, (status) => status.signoffAttempts.some((attempt) => attempt.approver === "dev"));
    expect(refused.stage).toBe("awaiting-approval");
    expect(refused.approvals).toEqual([]);
    expect(refused.signoffAttempts.find((attempt) => attempt.approver === "dev")).toMatchObject({
      accepted: false,
      reason: "dev is not in the groups that may approve this gate (security).",
    });

    await stack.approve(id, { approved: true, approver: "ana", approverGroups: ["security"] });
    const afterOne = await stack.waitFor(id, (status) => status.approvals.length === 1);
    expect(afterOne.stage).toBe("awaiting-approval");
    await stack.approve(id, { approved: true, approver: "bo", approverGroups: ["security", "sre"] });
    const result = await stack.workflow(id).workflowAttach();
    expect(result.outcome).toBe("completed");
    expect(result.approvals.map((approval) => [approval.approver, approval.approverGroups])).toEqual([
      ["ana", ["security"]],
      ["bo", ["security", "sre"]],
    ]);
  });

  it("counts a rejection only from the groups too", async () => {
    const id = await gated("payments-web");
    const outsider = await stack.post(
      `/RemediationWorkflow/${id}/approve`,
      signApproval(stack.secrets.approvalSigningSecret, { findingId: id, gateId: await stack.gateOf(id), approved: false, approver: "dev", comment: "no" }),
    );
    expect(outsider.status).toBe(403);
    expect(messageOf(outsider.body)).toMatch(/dev is not in the groups that may approve this gate \(security\)/);
    expect((await stack.status(id)).stage).toBe("awaiting-approval");
  });

  it("takes the first matching rule: a high finding elsewhere needs one approver from platform or security", async () => {
    const id = await gated("web-storefront", "high");
    expect((await stack.status(id)).signoff).toMatchObject({ approvalsRequired: 1, approverGroups: ["platform", "security"] });
    await stack.approve(id, { approved: true, approver: "pat", approverGroups: ["platform"] });
    expect((await stack.workflow(id).workflowAttach()).outcome).toBe("completed");
  });

  it("refuses a claim whose groups were changed after signing: the signature no longer matches", async () => {
    const id = await gated("payments-db");
    const claim = signApproval(stack.secrets.approvalSigningSecret, {
      findingId: id,
      gateId: await stack.gateOf(id),
      approved: true,
      approver: "dev",
      approverGroups: ["platform"],
    });
    const forged = await stack.post(`/RemediationWorkflow/${id}/approve`, { ...claim, approverGroups: ["security"] });
    expect(forged.status).toBe(401);
    expect(messageOf(forged.body)).toMatch(/signature does not match/);
    expect((await stack.status(id)).approvals).toEqual([]);
  });
});
