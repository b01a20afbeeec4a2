// `npm run bench`: measures the product side by side with the bare engine on one embedded server,
// prints a report with the ratios, and writes bench/results/latest.md (`--help` lists the settings).
// Each phase is one file under bench/phases/ and adds its own section to the report:
//   engine     the remediation auto-clear path vs a bare workflow journaling the same commands
//   console    POST /api/findings vs POST straight to the ingress
//   reads      the console's read routes at each count of BENCH_RUNS, and beside a CPU-bound process
//   suspended  the services' heap and RSS with runs waiting at the gate, time to finish them
//   pages      first-load JavaScript of every page
//   live       the live views: engine queries, console CPU and delivery time by number of viewers,
//              stream against polling (its own stack: bench/live-views.ts)
//   models     the auto-clear path with LLM_PROVIDER=openai-compatible against a scripted model server
//              beside the stub provider (two stacks of its own)
// Phases with stacks of their own run without the shared one (and without the console's build).
// Every timed figure is the median of BENCH_ROUNDS rounds taken in the same run.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { ensureConsoleBuild } from "../scripts/console-build";
import { projectRoot } from "../scripts/stack";
import { startBench, type Bench } from "./bench-stack";
import { benchLiveViews } from "./live-views";
import { consolePath } from "./phases/console-path";
import { engineOverhead } from "./phases/engine-overhead";
import { modelOverhead } from "./phases/model-overhead";
import { pageWeight } from "./phases/page-weight";
import { readPath } from "./phases/read-path";
import { suspendedRuns } from "./phases/suspended-runs";
import { Report } from "./report";
import { BenchSettingsError, readSettings, USAGE, type Settings } from "./settings";

/** A phase on the shared stack, or one that starts its own. */
type Phase = { run: (bench: Bench, report: Report) => Promise<void> } | { ownStack: (report: Report, settings: Settings) => Promise<void> };

/** The phases in the order they run; the page-weight phase shows a run of the read path's history. */
const PHASES: Record<string, Phase> = {
  engine: { run: engineOverhead },
  console: { run: consolePath },
  reads: { run: readPath },
  suspended: { run: suspendedRuns },
  pages: { run: pageWeight },
  live: { ownStack: (report) => benchLiveViews((line) => report.say(line)) },
  models: { ownStack: modelOverhead },
};

function header(report: Report, settings: Settings) {
  const version = (pkg: string) => (JSON.parse(readFileSync(join(projectRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  report.say(`# Benchmark: remediation workflow vs bare engine`);
  report.say();
  report.say(`- date: ${new Date().toISOString()}`);
  report.say(
    `- machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")}`,
  );
  report.say(
    `- versions: node ${process.version}, restate-server ${version("@restatedev/restate-server")}, sdk ${version("@restatedev/restate-sdk")}, next ${version("next")}`,
  );
  report.say(`- same embedded server, services and console on this machine; product and bare alternate in each phase`);
  report.say(`- every timed figure is the median of ${settings.rounds} rounds taken in this run`);
  report.say(
    `- settings: BENCH_RUNS=${settings.runCounts.join(",")} BENCH_ROUNDS=${settings.rounds} BENCH_SEQUENTIAL=${settings.sequential} BENCH_CONCURRENT=${settings.concurrent} BENCH_SUSPENDED=${settings.suspended}${settings.only.length ? ` BENCH_ONLY=${settings.only.join(",")}` : ""}`,
  );
  report.say();
}

async function main() {
  const settings = readSettings(process.argv.slice(2));
  if (settings === "help") {
    console.log(USAGE);
    return;
  }
  const unknown = settings.only.filter((name) => !(name in PHASES));
  if (unknown.length) throw new BenchSettingsError(`BENCH_ONLY: unknown phase ${unknown.join(", ")} (phases: ${Object.keys(PHASES).join(", ")})`);
  const selected = Object.entries(PHASES).filter(([name]) => !settings.only.length || settings.only.includes(name));
  const dir = mkdtempSync(join(tmpdir(), "remediation-bench-"));
  let bench: Bench | undefined;
  // Stopped from outside (kill -INT, kill -TERM): stop the shared stack's processes too, or the console
  // and the engine outlive the benchmark.
  const stopOnSignal = (signal: NodeJS.Signals) => {
    console.error(`bench: ${signal}, stopping its processes`);
    void (bench?.stack.stop() ?? Promise.resolve()).finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(1);
    });
  };
  process.once("SIGINT", stopOnSignal);
  process.once("SIGTERM", stopOnSignal);
  try {
    if (selected.some(([, phase]) => "run" in phase)) {
      ensureConsoleBuild();
      bench = await startBench(settings, dir);
    }
    const report = new Report();
    header(report, settings);
    for (const [, phase] of selected) {
      if ("run" in phase) await phase.run(bench!, report);
      else await phase.ownStack(report, settings);
    }
    if (settings.out) report.write(settings.out);
  } finally {
    await bench?.stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof BenchSettingsError ? error.message : error);
  process.exit(1);
});
