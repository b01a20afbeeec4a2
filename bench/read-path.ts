// The console's read path with many finished runs. Starts a stack (always-replay off, stub latency 0),
// seeds READ_BENCH_RUNS runs (default 10,000) through the ingress with bounded concurrency, waits for
// them to finish, then times the route handlers in-process, one request at a time, and prints p50/p99.
//   node_modules/.bin/node --import tsx bench/read-path.ts
// Settings: READ_BENCH_RUNS, READ_BENCH_SAMPLES (per route, default 100), READ_BENCH_CONCURRENCY (32),
// READ_BENCH_GATED (default 100): extra high-severity runs left waiting at the gate, for the inbox.
import { mkdirSync, writeFileSync } from "node:fs";
import { registerHooks } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { FindingDetail, FindingListResponse, JournalTimeline } from "../lib/api/contracts";
import type { RouteContext } from "../lib/server/route";
import { startTestStack, type TestStack } from "../restate/test/harness";
import type { Finding } from "../restate/schemas";

// The route modules import "server-only", which throws outside a React server bundle; here they run
// in plain Node on the server side, so resolve it to its empty server build (as vitest.config.ts does).
registerHooks({
  resolve(specifier, context, nextResolve) {
    if (specifier === "server-only") {
      return { url: pathToFileURL(join(import.meta.dirname, "..", "node_modules", "server-only", "empty.js")).href, shortCircuit: true };
    }
    return nextResolve(specifier, context);
  },
});

const RUNS = Number(process.env.READ_BENCH_RUNS ?? 10_000);
const SAMPLES = Number(process.env.READ_BENCH_SAMPLES ?? 100);
const CONCURRENCY = Number(process.env.READ_BENCH_CONCURRENCY ?? 32);
const GATED = Number(process.env.READ_BENCH_GATED ?? 100);

/** The seeded mix: plain fixes, recalibrations (rogue plan on a datastore), and exhausted ladders. */
function seededFinding(i: number): Finding {
  const id = `bench-${String(i).padStart(6, "0")}`;
  if (i % 10 === 9) {
    return { id, source: "dependabot", severity: "low", description: "vulnerable code in a vendored shared library", repo: "billing-api" };
  }
  if (i % 3 === 1) return { id, source: "semgrep", severity: "medium", description: "SQL injection in session store", repo: "orders-db" };
  return { id, source: "snyk", severity: "low", description: "outdated lodash with prototype pollution", repo: "web-storefront" };
}

async function pool(count: number, concurrency: number, work: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}

async function seed(stack: TestStack) {
  const started = performance.now();
  let finished = 0;
  await pool(RUNS, CONCURRENCY, async (i) => {
    const finding = seededFinding(i);
    const run = stack.workflow(finding.id);
    await run.workflowSubmit(finding);
    // An exhausted ladder ends in a terminal error: finished all the same.
    await run.workflowAttach().catch(() => undefined);
    finished += 1;
    if (finished % 1000 === 0) {
      const seconds = (performance.now() - started) / 1000;
      console.log(`  seeded ${finished}/${RUNS} runs (${seconds.toFixed(0)} s, ${(finished / seconds).toFixed(0)} runs/s)`);
    }
  });
  return (performance.now() - started) / 1000;
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

type Handler = (request: Request, context: RouteContext) => Promise<Response>;

async function call(handler: Handler, path: string, params: Record<string, string> = {}) {
  const response = await handler(new Request(`http://console.bench${path}`), { params: Promise.resolve(params) });
  const body: unknown = await response.json();
  if (response.status !== 200) throw new Error(`${path} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

interface Measurement {
  route: string;
  note: string;
  samples: number;
  p50: number;
  p99: number;
  max: number;
}

async function measure(route: string, note: string, request: (i: number) => Promise<unknown>): Promise<Measurement> {
  for (let i = 0; i < 5; i++) await request(i); // warm-up: module loading, connection pool
  const durations: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await request(i);
    durations.push(performance.now() - start);
  }
  return { route, note, samples: SAMPLES, p50: percentile(durations, 50), p99: percentile(durations, 99), max: Math.max(...durations) };
}

async function main() {
  console.log(`read-path bench: ${RUNS} runs, ${SAMPLES} samples per route`);
  const stack = await startTestStack({ alwaysReplay: false, servicesEnv: { STUB_LATENCY_SCALE: "0" } });
  const stop = async () => {
    await stack.stop();
    process.exit(130);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  try {
    const seedSeconds = await seed(stack);
    await pool(GATED, CONCURRENCY, async (i) => {
      const id = `bench-gated-${String(i).padStart(4, "0")}`;
      await stack.workflow(id).workflowSubmit({ id, source: "guardduty", severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
    });
    for (let waiting = 0; waiting < GATED; ) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const [row] = await stack.sql<{ n: number }>(
        "SELECT count(*) AS n FROM sys_promise WHERE service_name = 'RemediationWorkflow' AND key = 'approval' AND completed = false",
      );
      waiting = Number(row?.n ?? 0);
    }
    const [counts] = await stack.sql<{ runs: number; invocations: number }>(
      "SELECT count(*) FILTER (WHERE target_handler_name = 'run') AS runs, count(*) AS invocations FROM sys_invocation",
    );
    console.log(`seeded in ${seedSeconds.toFixed(0)} s: ${counts?.runs} runs (${GATED} of them at the gate), ${counts?.invocations} invocations in sys_invocation`);

    process.env.RESTATE_INGRESS = stack.server.ingressUrl;
    process.env.RESTATE_ADMIN = stack.server.adminUrl;
    const findings = await import("../app/api/findings/route");
    const detail = await import("../app/api/findings/[id]/route");
    const approvals = await import("../app/api/approvals/route");
    const journal = await import("../app/api/invocations/[invocationId]/journal/route");
    const entry = await import("../app/api/invocations/[invocationId]/journal/[index]/route");

    const firstPage = (await call(findings.GET, "/api/findings")) as FindingListResponse;
    const pickId = (i: number) => seededFinding((i * 7919) % RUNS).id; // spread over the whole history
    // A recalibrated run (rogue plan rejected, second rung accepted): one of the longer finished journals.
    const recalibrated = (await call(detail.GET, `/api/findings/${seededFinding(1).id}`, { id: seededFinding(1).id })) as FindingDetail;
    const someRun = { invocationId: recalibrated.workflowInvocation!.id };
    const sample = (await call(journal.GET, `/api/invocations/${someRun.invocationId}/journal`, { invocationId: someRun.invocationId })) as JournalTimeline;

    const results: Measurement[] = [];
    const run = async (...args: Parameters<typeof measure>) => {
      const result = await measure(...args);
      results.push(result);
      console.log(`  ${result.route}: p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms`);
    };
    await run("GET /api/findings", "first page, 50 runs", () => call(findings.GET, "/api/findings"));
    if (firstPage.nextCursor) {
      await run("GET /api/findings?cursor", "second page", () => call(findings.GET, `/api/findings?cursor=${firstPage.nextCursor}`));
    }
    await run("GET /api/findings?stage&severity", "stage=failed, severity=low", () => call(findings.GET, "/api/findings?stage=failed&severity=low"));
    await run("GET /api/findings/{id}", "runs spread over the history", (i) => call(detail.GET, `/api/findings/${pickId(i)}`, { id: pickId(i) }));
    await run("GET /api/invocations/{id}/journal", `workflow journal, ${sample.entries.length} entries`, () =>
      call(journal.GET, `/api/invocations/${someRun.invocationId}/journal`, { invocationId: someRun.invocationId }),
    );
    await run("GET /api/invocations/{id}/journal/{index}", "one entry, payload decoded", () =>
      call(entry.GET, `/api/invocations/${someRun.invocationId}/journal/1`, { invocationId: someRun.invocationId, index: "1" }),
    );
    await run("GET /api/approvals", `inbox, ${GATED} runs waiting`, () => call(approvals.GET, "/api/approvals"));

    const table = [
      `Read path with ${RUNS} finished runs + ${GATED} at the gate (${counts?.invocations} invocations), ${SAMPLES} sequential requests per route, handlers called in-process`,
      "",
      "| route | what | p50 | p99 | max |",
      "| --- | --- | --- | --- | --- |",
      ...results.map((r) => `| ${r.route} | ${r.note} | ${r.p50.toFixed(1)} ms | ${r.p99.toFixed(1)} ms | ${r.max.toFixed(1)} ms |`),
    ].join("\n");
    console.log(`\n${table}\n`);
    const dir = join(import.meta.dirname, "results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "read-path.json"), JSON.stringify({ runs: RUNS, samples: SAMPLES, seedSeconds, results }, null, 2));
  } finally {
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
