// 3. Read path at each count of BENCH_RUNS (finished runs seeded through the ingress as real runs):
// list (first, second and filtered page), run page, a ~200-entry journal and one entry, the sign-off
// inbox; once more at the first count with a CPU-bound process beside it.
import type { Bench } from "../bench-stack";
import { addRound, cpuNeighbour, median, ms, newFigures, pool, sleep, timed, type RoundFigures } from "../measure";
import type { Report } from "../report";

export async function readPath(bench: Bench, report: Report): Promise<void> {
  const { settings, sql, nextId, lowFinding, seeded } = bench;
  const runaway = nextId("runaway");
  await bench.post(`${bench.ingressUrl}/RemediationWorkflow/${runaway}/run/send`, { ...lowFinding(runaway), repo: "web-monorepo" });
  // The seeded mix: 9 in 10 plain fixes, 1 in 10 a recalibration (rogue plan rejected, second rung accepted).
  const seedOne = async () => {
    const id = nextId("seed");
    seeded.push(id);
    const finding = seeded.length % 10 === 3 ? { ...lowFinding(id), description: "SQL injection in session store", repo: "orders-db" } : lowFinding(id);
    await bench.post(`${bench.ingressUrl}/RemediationWorkflow/${id}/run`, finding);
  };
  const inbox = Array.from({ length: settings.inboxRuns }, () => nextId("inbox"));
  await pool(inbox, settings.concurrency, (id) =>
    bench.post(`${bench.ingressUrl}/RemediationWorkflow/${id}/run/send`, { ...lowFinding(id), severity: "high" }),
  );
  await fetch(`${bench.ingressUrl}/restate/workflow/RemediationWorkflow/${runaway}/attach`).then((r) => r.arrayBuffer());
  const [fastAgent] = await sql<{ id: string; journal_size: number }>(
    `SELECT id, journal_size FROM sys_invocation WHERE target = 'subAgents/fastExecutor' AND invoked_by_id = (SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${runaway}/run')`,
  );
  let secondPageCursor = "";
  // The console keeps ended runs' summaries (lib/server/ended-runs.ts): this route walks back through
  // the history, each request a page no request before it read, so it measures the engine lookups.
  let unreadCursor = "";
  const readUnreadPage = async () => {
    const page = (await bench.get(`${bench.consoleUrl}/api/findings?limit=20${unreadCursor ? `&cursor=${encodeURIComponent(unreadCursor)}` : ""}`)) as {
      nextCursor: string | null;
    };
    unreadCursor = page.nextCursor ?? "";
  };
  const get = (path: string) => () => bench.get(`${bench.consoleUrl}${path}`);
  const routes: [string, string, (i: number) => () => Promise<unknown>][] = [
    ["GET /api/findings", "first page", () => get("/api/findings")],
    ["GET /api/findings?cursor", "second page", () => get(`/api/findings?cursor=${encodeURIComponent(secondPageCursor)}`)],
    ["GET /api/findings?cursor", "a page of 20 not read before, walking back", () => readUnreadPage],
    ["GET /api/findings?stage&severity", "stage=completed, severity=low", () => get("/api/findings?stage=completed&severity=low")],
    ["GET /api/findings/{id}", "runs spread over the history", (i) => get(`/api/findings/${seeded[(i * 7919) % seeded.length]}`)],
    ["GET /api/invocations/{id}/journal", `${fastAgent!.journal_size} entries`, () => get(`/api/invocations/${fastAgent!.id}/journal`)],
    ["GET /api/invocations/{id}/journal/{index}", "one entry with its result", () => get(`/api/invocations/${fastAgent!.id}/journal/1`)],
    ["GET /api/approvals", `${settings.inboxRuns} runs waiting`, () => get("/api/approvals")],
  ];
  const measureReads = async () => {
    secondPageCursor = ((await bench.get(`${bench.consoleUrl}/api/findings`)) as { nextCursor: string }).nextCursor;
    const figures = routes.map(() => newFigures());
    for (let round = 0; round < settings.rounds; round++) {
      const samples = routes.map(() => [] as number[]);
      for (let i = 0; i < settings.readSamples; i++) {
        for (const [r, [, , request]] of routes.entries()) samples[r]!.push(await timed(request(i)));
      }
      samples.forEach((values, r) => addRound(figures[r]!, values));
    }
    return figures;
  };
  const atCount: { runs: number; invocations: number; seedSeconds: number; indexSeconds: number; figures: RoundFigures[] }[] = [];
  let busy: RoundFigures[] | undefined;
  for (const target of settings.runCounts) {
    const seedStart = performance.now();
    const [existing] = await sql<{ n: number }>(
      "SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run'",
    );
    await pool(Array.from({ length: Math.max(0, target - Number(existing!.n)) }), settings.concurrency * 2, seedOne);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    // The run index (restate/console/run-index.ts) follows the runs by one-way sends: measure once it has caught up.
    const indexStart = performance.now();
    for (;;) {
      const [pending] = await sql<{ n: number }>(
        "SELECT count(*) AS n FROM sys_invocation_status WHERE target_service_name IN ('RunIndex', 'RunIndexFeed') AND status <> 'completed'",
      );
      if (Number(pending!.n) === 0) break;
      await sleep(500);
    }
    const indexSeconds = (performance.now() - indexStart) / 1000;
    unreadCursor = "";
    const [counts] = await sql<{ runs: number; invocations: number }>(
      "SELECT count(*) FILTER (WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run') AS runs, count(*) AS invocations FROM sys_invocation",
    );
    atCount.push({ runs: Number(counts!.runs), invocations: Number(counts!.invocations), seedSeconds, indexSeconds, figures: await measureReads() });
    if (busy === undefined) {
      const neighbour = cpuNeighbour();
      try {
        busy = await measureReads();
      } finally {
        neighbour.kill("SIGKILL");
      }
    }
  }
  report.say(`## 3. Read path`);
  report.say();
  report.say(
    `Runs seeded through the ingress as real runs (9 in 10 auto-clear, 1 in 10 recalibrated), ${settings.inboxRuns} more waiting at the gate; ${settings.readSamples} sequential requests per route and round.`,
  );
  report.say();
  const first = atCount[0]!;
  const growing = atCount.length > 1;
  const runs = (at: { runs: number }) => at.runs.toLocaleString("en");
  const p50p99 = (figures: RoundFigures) => `${ms(median(figures.p50))} / ${ms(median(figures.p99))}`;
  report.table(
    [
      "route",
      "what",
      ...atCount.map((at) => `${runs(at)} runs p50 / p99`),
      `${runs(first)} runs + CPU-bound neighbour p50 / p99`,
      ...(growing ? ["growth of p50"] : []),
    ],
    routes.map(([name, what], r) => [
      name,
      what,
      ...atCount.map((at) => p50p99(at.figures[r]!)),
      p50p99(busy![r]!),
      ...(growing ? [`${(median(atCount.at(-1)!.figures[r]!.p50) / median(first.figures[r]!.p50)).toFixed(2)}×`] : []),
    ]),
  );
  report.say();
  for (const at of atCount)
    report.say(
      `- ${runs(at)} runs (${at.invocations.toLocaleString("en")} invocations in sys_invocation): seeded in ${at.seedSeconds.toFixed(0)} s, the run index caught up ${at.indexSeconds.toFixed(0)} s later`,
    );
  report.say(`- targets: p50 ≤ 40 ms and p99 ≤ 150 ms at 10,000 runs; no p99 above 500 ms beside a CPU-bound process; 40,000 runs ≤ 1.3× the 10,000-run p50`);
  report.say();
}
