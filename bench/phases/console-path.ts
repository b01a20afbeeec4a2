// 2. Console path: a submission through POST /api/findings against one straight to the ingress.
import type { Bench } from "../bench-stack";
import { addRound, median, ms, newFigures, percentile, timed } from "../measure";
import type { Report } from "../report";

export async function consolePath(bench: Bench, report: Report): Promise<void> {
  const { settings, nextId, lowFinding } = bench;
  const viaConsole = newFigures();
  const viaIngress = newFigures();
  const overhead: number[] = [];
  for (let round = 0; round < settings.rounds; round++) {
    const samples = { console: [] as number[], ingress: [] as number[] };
    for (let i = 0; i < settings.sequential; i++) {
      const a = nextId("console");
      samples.console.push(await timed(() => bench.post(`${bench.consoleUrl}/api/findings`, lowFinding(a))));
      const b = nextId("ingress");
      samples.ingress.push(await timed(() => bench.post(`${bench.ingressUrl}/RemediationWorkflow/${b}/run/send`, lowFinding(b))));
    }
    addRound(viaConsole, samples.console);
    addRound(viaIngress, samples.ingress);
    overhead.push(percentile(samples.console, 50) - percentile(samples.ingress, 50));
  }
  report.say(`## 2. Console path (submission)`);
  report.say();
  report.table(
    ["path", "p50", "p99"],
    [
      ["POST /api/findings (console)", ms(median(viaConsole.p50)), ms(median(viaConsole.p99))],
      ["POST /RemediationWorkflow/{id}/run/send (ingress)", ms(median(viaIngress.p50)), ms(median(viaIngress.p99))],
      [
        "console overhead (median of the rounds' p50 differences)",
        `${ms(median(overhead))} (target ≤ 10 ms; rounds: ${overhead.map((value) => value.toFixed(1)).join(", ")})`,
        "",
      ],
    ],
  );
  report.say();
}
