// 1. Engine overhead: the remediation auto-clear path (stub latency 0) against a bare workflow
// journaling the same commands; sequential p50/p99 and throughput at the bench's concurrency.
import type { Bench } from "../bench-stack";
import type { Command, Shape } from "../bare-services";
import { addRound, median, ms, newFigures, pool, timed } from "../measure";
import type { Report } from "../report";

export async function engineOverhead(bench: Bench, report: Report): Promise<void> {
  const { settings, sql, nextId } = bench;
  const product = () => {
    const id = nextId("auto");
    return bench.post(`${bench.ingressUrl}/RemediationWorkflow/${id}/run`, bench.lowFinding(id));
  };
  // The bare workflow's shape, read from a real auto-clear run's journal.
  const shapeRun = nextId("auto");
  await bench.post(`${bench.ingressUrl}/RemediationWorkflow/${shapeRun}/run`, bench.lowFinding(shapeRun));
  const [runInvocation] = await sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${shapeRun}/run'`);
  const journal = await sql<{ entry_type: string }>(`SELECT entry_type FROM sys_journal WHERE id = '${runInvocation!.id}' ORDER BY index`);
  const commands: Command[] = [];
  journal.forEach((entry, i) => {
    if (entry.entry_type === "Command: Run") commands.push("Run");
    else if (entry.entry_type === "Command: SetState") commands.push("SetState");
    else if (entry.entry_type === "Command: Call") {
      const timedCall = journal.slice(i + 1, i + 4).some((later) => later.entry_type === "Command: Sleep");
      commands.push(timedCall ? "TimedCall" : "Call");
    }
  });
  const [child] = await sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE invoked_by_id = '${runInvocation!.id}'`);
  const [childRuns] = await sql<{ n: number }>(`SELECT count(*) AS n FROM sys_journal WHERE id = '${child!.id}' AND entry_type = 'Command: Run'`);
  const shape: Shape = { workflow: commands, subAgentRuns: Number(childRuns!.n) };
  const bareRun = () => bench.post(`${bench.ingressUrl}/BareWorkflow/${nextId("bare")}/run`, shape);
  for (let i = 0; i < 20; i++) await Promise.all([product(), bareRun()]);
  const seq = { product: newFigures(), bare: newFigures() };
  const throughput = { product: [] as number[], bare: [] as number[] };
  for (let round = 0; round < settings.rounds; round++) {
    const samples = { product: [] as number[], bare: [] as number[] };
    for (let i = 0; i < settings.sequential; i++) {
      samples.product.push(await timed(product));
      samples.bare.push(await timed(bareRun));
    }
    addRound(seq.product, samples.product);
    addRound(seq.bare, samples.bare);
    for (const [name, run] of [
      ["product", product],
      ["bare", bareRun],
    ] as const) {
      const elapsed = await timed(() => pool(Array.from({ length: settings.concurrent }), settings.concurrency, run));
      throughput[name].push((settings.concurrent / elapsed) * 1000);
    }
  }
  const p50Ratio = median(seq.product.p50) / median(seq.bare.p50);
  const tputRatio = median(throughput.product) / median(throughput.bare);
  report.say(`## 1. Engine overhead (auto-clear path, stub latency 0)`);
  report.say();
  report.say(
    `Product run journal: ${journal.length} entries (${commands.length} commands), sub-agent ${shape.subAgentRuns} runs; bare mirrors those commands.`,
  );
  report.say();
  report.table(
    ["workflow", "seq p50", "seq p99", `throughput @${settings.concurrency}`],
    [
      ["remediation", ms(median(seq.product.p50)), ms(median(seq.product.p99)), `${median(throughput.product).toFixed(0)} wf/s`],
      ["bare (same commands)", ms(median(seq.bare.p50)), ms(median(seq.bare.p99)), `${median(throughput.bare).toFixed(0)} wf/s`],
      ["ratio", `${p50Ratio.toFixed(2)}× (target ≤ 1.25×)`, "", `${tputRatio.toFixed(2)}× (target ≥ 0.8×)`],
    ],
  );
  report.say();
}
