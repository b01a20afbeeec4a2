// A new deployment is registered while runs are in flight: the in-flight runs finish on the
// deployment they were pinned to, new runs use the new one, and each identity record says which.
import { afterAll, beforeAll, expect, it } from "vitest";
import { registerDeployment } from "../../../scripts/stack";
import { finding, startTestStack, type TestStack } from "../harness";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ servicesEnv: { CODE_REVISION: "revision-a" } });
});
afterAll(async () => {
  await stack?.stop();
});

async function pinnedDeployment(findingId: string) {
  const [row] = await stack.sql<{ pinned_deployment_id: string }>(
    `SELECT pinned_deployment_id FROM sys_invocation WHERE target = 'RemediationWorkflow/${findingId}/run'`,
  );
  return row?.pinned_deployment_id;
}

it("finishes in-flight runs on their pinned deployment and starts new runs on the new one", { timeout: 120_000 }, async () => {
  const [deploymentA] = await stack.sql<{ id: string }>("SELECT id FROM sys_deployment");
  const inFlight = [finding({ severity: "high" }), finding({ severity: "critical", repo: "payments-api" })];
  for (const run of inFlight) await stack.submitAs("submitter@corp.com", run);
  for (const run of inFlight) await stack.waitForStage(run.id, "awaiting-approval");

  const revisionB = await stack.startMoreServices({ CODE_REVISION: "revision-b" });
  const deploymentB = await registerDeployment(stack.server.adminUrl, revisionB.url);
  expect(deploymentB).not.toBe(deploymentA?.id);

  const fresh = finding({ severity: "low" });
  await stack.submitAs("submitter@corp.com", fresh);
  expect((await stack.workflow(fresh.id).workflowAttach()).outcome).toBe("completed");

  for (const run of inFlight) {
    await stack.approve(run.id, { approved: true, approver: "oncall@corp.com" });
    // A critical finding takes a second, different approver.
    if (run.severity === "critical") await stack.approve(run.id, { approved: true, approver: "lead@corp.com" });
  }
  for (const run of inFlight) expect((await stack.workflow(run.id).workflowAttach()).outcome).toBe("completed");

  for (const run of inFlight) {
    const { identity } = await stack.status(run.id);
    expect(identity).toMatchObject({ deploymentId: deploymentA?.id, codeRevision: "revision-a" });
    expect(await pinnedDeployment(run.id)).toBe(deploymentA?.id);
  }
  const { identity } = await stack.status(fresh.id);
  expect(identity).toMatchObject({ deploymentId: deploymentB, codeRevision: "revision-b" });
  expect(await pinnedDeployment(fresh.id)).toBe(deploymentB);
});
