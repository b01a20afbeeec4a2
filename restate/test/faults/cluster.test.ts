// Scale-out: the scenario suite against a 3-node Restate cluster (replication 2), with one node
// SIGKILLed mid-run. Runs complete through the surviving nodes, each side effect once.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as clients from "@restatedev/restate-sdk-clients";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { startCluster, type Cluster } from "../../../scripts/cluster";
import { adminSql, freePort, OUTSIDE_WORLD_PORTS, registerDeployment, startServices, type ManagedProcess } from "../../../scripts/stack";
import { readLedger } from "../../adapters/stubs/ledger";
import { signApproval, signSubmission } from "../../identity/signed-claims";
import type { RemediationWorkflow } from "../../workflow/remediation-workflow";
import { CRASH_SERVICES_ENV, effects, PATIENCE_MS, pollUntil, TEST_REPOS_DIR } from "../harness";
import { ALL_EFFECTS, SCENARIOS, SIDE_EFFECTS_OF, untimedResults } from "../scenarios";

let dir: string;
let cluster: Cluster;
let services: ManagedProcess;
let ledgerFile: string;
const signingSecret = randomBytes(32).toString("hex");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "remediation-cluster-"));
  ledgerFile = join(dir, "outside-world.jsonl");
  cluster = await startCluster(dir);
  const port = await freePort();
  services = await startServices({
    port,
    adminUrl: cluster.nodes[0]!.adminUrl,
    env: {
      ...CRASH_SERVICES_ENV,
      // As a test stack's: the outside world is the ledger this test counts, the demo repositories the shared ones.
      ...Object.fromEntries(OUTSIDE_WORLD_PORTS.map((variable) => [variable, "stub"])),
      OUTSIDE_WORLD_LEDGER: ledgerFile,
      OUTSIDE_WORLD_DIR: join(dir, "outside"),
      REPOS_DIR: TEST_REPOS_DIR,
      WORKSPACES_DIR: join(dir, "workspaces"),
      APPROVAL_SIGNING_SECRET: signingSecret,
    },
    output: { logFile: join(dir, "services.log") },
  });
  // Partition leaders take a few seconds after the admin answers: retry the registration.
  await vi.waitFor(() => registerDeployment(cluster.nodes[0]!.adminUrl, `http://127.0.0.1:${port}`), { timeout: 60_000, interval: 500 });
}, 150_000);

afterAll(async () => {
  await services?.stop();
  await cluster?.stop();
  if (dir && !process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

it("completes every scenario through the surviving nodes when one of three is SIGKILLed mid-run", { timeout: 5 * PATIENCE_MS }, async () => {
  const [entry, , victim] = cluster.nodes;
  const ingress = clients.connect({ url: entry!.ingressUrl });
  const workflow = (id: string) => ingress.workflowClient<RemediationWorkflow>({ name: "RemediationWorkflow" }, id);
  const runs = [...SCENARIOS, ...SCENARIOS].map((scenario) => ({ scenario, finding: scenario.make("cluster") }));

  // The first submissions retry until partitions have leaders.
  for (const { finding } of runs) {
    const submit = () =>
      workflow(finding.id).workflowSubmit({
        ...finding,
        submission: signSubmission(signingSecret, { findingId: finding.id, submittedBy: "submitter@corp.com" }),
      });
    await vi.waitFor(submit, { timeout: 60_000, interval: 500 });
  }
  await new Promise((r) => setTimeout(r, 700));
  // A partition whose store is still opening on the entry node fails the query ("expecting a partition
  // store", 500) until it is open: ask again.
  const [inFlight] = await pollUntil(
    () =>
      adminSql<{ n: number }>(
        entry!.adminUrl,
        "SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND status <> 'completed'",
      ),
    { timeoutMs: 60_000 },
  );
  expect(Number(inFlight?.n)).toBeGreaterThan(0);
  await victim!.process.kill();

  // Sign off the gated runs once they wait, until every run has finished.
  const pending = new Set(runs.map((run) => run.finding.id));
  await pollUntil(
    async () => {
      for (const id of [...pending]) {
        const status = await Promise.resolve(workflow(id).status()).catch(() => null);
        if (status?.stage === "awaiting-approval" && !status.approval) {
          await workflow(id).approve(
            signApproval(signingSecret, { findingId: id, gateId: (await workflow(id).status()).gateId ?? "", approved: true, approver: "sre@corp.com" }),
          );
        }
        if (status && ["completed", "failed", "rejected"].includes(status.stage)) pending.delete(id);
      }
      expect([...pending]).toEqual([]);
    },
    { timeoutMs: 2 * PATIENCE_MS, firstMs: 300, maxMs: 1000 },
  );

  const ledger = readLedger(ledgerFile);
  for (const { scenario, finding } of runs) {
    const status = await workflow(finding.id).status();
    expect(status.stage, `${scenario.name} ${finding.id}`).toBe(scenario.stage);
    expect(status.attempts.map((attempt) => attempt.result)).toEqual(untimedResults(scenario));
    const mine = ledger.filter((entry) => entry.findingId === finding.id);
    for (const action of ALL_EFFECTS) {
      expect(effects(mine, action), `${finding.id} ${action}`).toHaveLength(SIDE_EFFECTS_OF[scenario.stage].includes(action) ? 1 : 0);
    }
  }
});
