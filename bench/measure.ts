// Timing and memory figures for the benchmark: percentiles, rounds, a bounded pool of requests, the
// services' heap and RSS, and a CPU-bound neighbour process.
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
export const median = (values: number[]) => percentile(values, 50);
export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** p50 and p99 of each round's samples, then the median of the rounds. */
export interface RoundFigures {
  p50: number[];
  p99: number[];
}
export const newFigures = (): RoundFigures => ({ p50: [], p99: [] });
export const addRound = (figures: RoundFigures, samples: number[]) => {
  figures.p50.push(percentile(samples, 50));
  figures.p99.push(percentile(samples, 99));
};

export async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** Works through `items` with at most `concurrency` at a time. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** Sends SIGUSR2 to the services (started with SERVICES_HEAP_REPORT) and reads what they wrote after a forced GC. */
export async function servicesMemory(pid: number, reportFile: string): Promise<{ heapUsed: number; rss: number; collected: boolean }> {
  const asked = Date.now();
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 100; i++) {
    await sleep(100);
    if (!existsSync(reportFile)) continue;
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as { at: number; heapUsed: number; rss: number; collected: boolean };
    if (report.at >= asked) return report;
  }
  throw new Error("the services wrote no memory report (SERVICES_HEAP_REPORT)");
}

/** A second CPU-bound process, as another developer's build or test would be. */
export function cpuNeighbour() {
  return spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
}
