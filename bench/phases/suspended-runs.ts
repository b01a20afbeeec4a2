// 4. Suspended runs: the services' heap (after a forced GC) and RSS with 0 and BENCH_SUSPENDED runs
// waiting at the gate, and the time to finish them all once approved.
import { signApproval, signSubmission } from "../../restate/identity/signed-claims";
import type { Bench } from "../bench-stack";
import { pool, rssMiB, servicesMemory, sleep } from "../measure";
import type { Report } from "../report";

export async function suspendedRuns(bench: Bench, report: Report): Promise<void> {
  const { settings, sql, nextId, lowFinding } = bench;
  const { approvalSigningSecret } = bench.stack.secrets;
  const count = settings.suspended;
  const servicesPid = bench.stack.services.child.pid!;
  await sleep(2000);
  const idle = await servicesMemory(servicesPid, bench.heapReportFile);
  const rssIdle = rssMiB(servicesPid);
  const gated = Array.from({ length: count }, () => nextId("gate"));
  await pool(gated, settings.concurrency, (id) =>
    bench.post(`${bench.ingressUrl}/RemediationWorkflow/${id}/run/send`, {
      ...lowFinding(id),
      severity: "high",
      submission: signSubmission(approvalSigningSecret, { findingId: id, submittedBy: "bench-submitter@corp.com" }),
    }),
  );
  const gateOf = async (id: string) =>
    ((await bench.post(`${bench.ingressUrl}/RemediationWorkflow/${id}/status`, {})) as { gateId?: string | null }).gateId ?? "";
  const countOf = async (query: string) => Number((await sql<{ n: number }>(query))[0]?.n ?? 0);
  const countStage = (stage: string) =>
    countOf(
      `SELECT count(*) AS n FROM state WHERE service_name = 'RemediationWorkflow' AND key = 'stage' AND value_utf8 = '"${stage}"' AND service_key LIKE 'gate-%'`,
    );
  const suspendedCount = () =>
    countOf(
      "SELECT count(*) AS n FROM sys_invocation WHERE status = 'suspended' AND target_service_name = 'RemediationWorkflow' AND target_service_key LIKE 'gate-%'",
    );
  while ((await countStage("awaiting-approval")) < count) await sleep(500);
  const suspendDeadline = Date.now() + 60_000;
  while ((await suspendedCount()) < count && Date.now() < suspendDeadline) await sleep(500);
  await sleep(2000);
  const waiting = await servicesMemory(servicesPid, bench.heapReportFile);
  const rssWaiting = rssMiB(servicesPid);
  const suspended = await suspendedCount();
  const approveStart = performance.now();
  await pool(gated, settings.concurrency, async (id) =>
    bench.post(
      `${bench.ingressUrl}/RemediationWorkflow/${id}/approve`,
      signApproval(approvalSigningSecret, { findingId: id, gateId: await gateOf(id), approved: true, approver: "bench@corp.com" }),
    ),
  );
  while ((await countStage("completed")) < count) await sleep(200);
  const drainSeconds = (performance.now() - approveStart) / 1000;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  report.say(`## 4. Suspended runs`);
  report.say();
  report.table(
    ["measure", "0 runs waiting", `${count} runs waiting (${suspended} invocations suspended)`, "difference"],
    [
      [
        `services heap used after a forced GC${idle.collected ? "" : " (GC not exposed!)"}`,
        mib(idle.heapUsed),
        mib(waiting.heapUsed),
        `${mib(waiting.heapUsed - idle.heapUsed)} (target ≤ 20 MiB)`,
      ],
      ["services RSS", `${rssIdle.toFixed(0)} MiB`, `${rssWaiting.toFixed(0)} MiB`, `${(rssWaiting - rssIdle).toFixed(0)} MiB`],
    ],
  );
  report.say();
  report.say(`Approving all ${count}: all completed in ${drainSeconds.toFixed(1)} s (${(count / drainSeconds).toFixed(0)} runs/s).`);
  report.say();
}
