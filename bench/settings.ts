// The benchmark's settings: environment variables, with smaller defaults under --quick.
import { join } from "node:path";
import { projectRoot } from "../scripts/stack";

export const USAGE = `npm run bench [-- --quick | --only=PHASES | --help]

Measures the product beside a bare workflow on one embedded server and writes bench/results/latest.md.
  --quick   small counts (200 runs, 1 round, 20 sequential, 20 suspended): checks that every phase
            works, in a few minutes; prints the report and writes a file only when BENCH_OUT is set
  --only=PHASES  the same as BENCH_ONLY=PHASES
  --help    this text
Settings (environment; with --quick they still win over its defaults):
  BENCH_RUNS         run counts to measure the read path at, in order (10000,40000)
  BENCH_ROUNDS       rounds per timed figure; each figure is the median of the rounds (3)
  BENCH_SEQUENTIAL   sequential requests per round (200)
  BENCH_CONCURRENT   workflows per throughput round, 32 at a time (256)
  BENCH_SUSPENDED    runs left waiting at the gate for the memory figure (1000)
  BENCH_ONLY         phases to run, comma-separated: engine, console, reads, suspended, pages, live, models (all);
                     writes a file only when BENCH_OUT is set
  BENCH_OUT          the report's file (bench/results/latest.md)`;

/** Settings the bench cannot run with; its message is all the user needs. */
export class BenchSettingsError extends Error {}

export interface Settings {
  /** Run counts to measure the read path at, in order; later counts are compared with the first. */
  runCounts: number[];
  rounds: number;
  sequential: number;
  concurrent: number;
  suspended: number;
  /** Requests at a time for throughput and seeding. */
  concurrency: number;
  /** Runs left waiting at the gate during the read path, for the inbox. */
  inboxRuns: number;
  /** Sequential requests per route and round on the read path. */
  readSamples: number;
  /** Phase names to run; empty for all. */
  only: string[];
  /** Where the report goes; null to print it only. */
  out: string | null;
}

export function readSettings(args: string[], env: NodeJS.ProcessEnv = process.env): Settings | "help" {
  for (const arg of args) {
    if (arg !== "--quick" && arg !== "--help" && !arg.startsWith("--only=")) throw new BenchSettingsError(`unknown option "${arg}"\n\n${USAGE}`);
  }
  if (args.includes("--help")) return "help";
  const quick = args.includes("--quick");
  const number = (name: string, full: number, small: number) => {
    const value = Number(env[name] ?? (quick ? small : full));
    if (!Number.isSafeInteger(value) || value < 1) throw new BenchSettingsError(`${name} must be a whole number above 0, got "${env[name]}"`);
    return value;
  };
  const runCounts = (env.BENCH_RUNS ?? (quick ? "200" : "10000,40000")).split(",").map((count) => Number(count.trim()));
  if (!runCounts.every((count) => Number.isSafeInteger(count) && count > 0))
    throw new BenchSettingsError(`BENCH_RUNS must be whole numbers above 0, got "${env.BENCH_RUNS}"`);
  const onlyArg = args.find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
  const only = (onlyArg ?? env.BENCH_ONLY ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const partial = quick || only.length > 0;
  return {
    runCounts,
    rounds: number("BENCH_ROUNDS", 3, 1),
    sequential: number("BENCH_SEQUENTIAL", 200, 20),
    concurrent: number("BENCH_CONCURRENT", 256, 32),
    suspended: number("BENCH_SUSPENDED", 1_000, 20),
    concurrency: 32,
    inboxRuns: quick ? 10 : 100,
    readSamples: quick ? 5 : 60,
    only,
    out: env.BENCH_OUT ?? (partial ? null : join(projectRoot, "bench", "results", "latest.md")),
  };
}
