// `npm run bench`: measures the product side by side with the bare engine on one embedded server,
// prints a table with the ratios, and writes bench/results/latest.md.
//   1. engine overhead: remediation auto-clear path (stub latency 0) vs a bare workflow journaling
//      the same commands; sequential p50/p99 and throughput at concurrency 32
//   2. console path: POST /api/findings vs POST straight to the ingress
//   3. read path at each count of BENCH_RUNS (10,000 then 40,000 finished runs, seeded through the
//      ingress as real runs): list (first, second and filtered page), run page, a ~200-entry journal and
//      one entry, the sign-off inbox; once more at the first count with a CPU-bound process beside it
//   4. suspended runs: services heap (after a forced GC) and RSS with 0 and 1,000 runs waiting at the
//      gate, time to finish them
//   5. page weight: first-load JavaScript of the dashboard and the run page
//   6. live views (bench/live-views.ts; alone: npm run bench -- --only=live)
// Every timed figure is the median of BENCH_ROUNDS (3) rounds taken in the same run.
import bcrypt from "bcryptjs";
import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { signApproval, signSubmission } from "../restate/identity/signed-claims";
import { ensureConsoleBuild } from "../scripts/console-build";
import { consoleSecretsEnv, ensureLocalSecrets, servicesSecretsEnv } from "../scripts/secrets";
import {
  adminSql,
  freePort,

  projectRoot,
  registerDeployment,
  startConsole,
  startRestateServer,
  startServices,
} from "../scripts/stack";
import type { Command, Shape } from "./bare-services";
import { benchLiveViews } from "./live-views";

/** Run counts to measure the read path at, in order; later counts are compared with the first. */
const RUN_COUNTS = (process.env.BENCH_RUNS ?? "10000,40000").split(",").map((count) => Number(count.trim()));
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
/** Runs left waiting at the gate during the read path, for the inbox. */
const INBOX_RUNS = 100;
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 200);
const CONCURRENT = Number(process.env.BENCH_CONCURRENT ?? 256);
const SUSPENDED = Number(process.env.BENCH_SUSPENDED ?? 1_000);
const CONCURRENCY = 32;
/** BENCH_ONLY=engine stops after the first phase (quick comparisons while tuning). */
const ONLY_ENGINE = process.env.BENCH_ONLY === "engine";

const lines: string[] = [];
const say = (line = "") => {
  console.log(line);
  lines.push(line);
};

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) => percentile(values, 50);

/** p50 and p99 of each round's samples, then the median of the rounds. */
interface RoundFigures {
  p50: number[];
  p99: number[];
}
const addRound = (figures: RoundFigures, samples: number[]) => {
  figures.p50.push(percentile(samples, 50));
  figures.p99.push(percentile(samples, 99));
};
const newFigures = (): RoundFigures => ({ p50: [], p99: [] });

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** The bench operator's API token: the console API needs an operator like any other client. */
const BENCH_TOKEN = `rmc_${randomBytes(32).toString("base64url")}`;
const auth = { authorization: `Bearer ${BENCH_TOKEN}` };

async function post(url: string, body: unknown): Promise<unknown> {
  const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify(body) });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function get(url: string): Promise<unknown> {
  const response = await fetch(url, { headers: auth });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** Sends SIGUSR2 to the services (started with SERVICES_HEAP_REPORT) and reads what they wrote after a forced GC. */
async function servicesMemory(pid: number, reportFile: string): Promise<{ heapUsed: number; rss: number; collected: boolean }> {
  const asked = Date.now();
  process.kill(pid, "SIGUSR2");
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(reportFile)) continue;
    const report = JSON.parse(readFileSync(reportFile, "utf8")) as { at: number; heapUsed: number; rss: number; collected: boolean };
    if (report.at >= asked) return report;
  }
  throw new Error("the services wrote no memory report (SERVICES_HEAP_REPORT)");
}

/** A second CPU-bound process, as another developer's build or test would be. */
function cpuNeighbour() {
  return spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" });
}

async function main() {
  // `npm run bench -- --only=live`: the live-views phase alone (bench/live-views.ts).
  if (process.argv.includes("--only=live")) {
    await benchLiveViews(say);
    return writeFileSync(process.env.BENCH_OUT ?? join(projectRoot, "bench", "results", "live-views.md"), lines.join("\n") + "\n");
  }
  ensureConsoleBuild();
  const dir = mkdtempSync(join(tmpdir(), "remediation-bench-"));
  const ports = { ingress: await freePort(), admin: await freePort(), node: await freePort() };
  const secrets = ensureLocalSecrets(join(dir, "secrets"), {});
  // An admin with an API token, written the way the console stores them (hashes only); "oidc" because
  // no operators file vouches for it.
  // ...and a local viewer, to load the pages signed in for the page-weight phase.
  writeFileSync(
    join(dir, "operators.json"),
    JSON.stringify({ operators: [{ username: "bench-viewer", name: "Bench viewer", roles: ["viewer"], passwordHash: bcrypt.hashSync(BENCH_TOKEN, 10) }] }),
  );
  writeFileSync(
    join(dir, "api-tokens.json"),
    JSON.stringify({
      tokens: [
        {
          id: randomUUID(),
          username: "bench",
          name: "Bench",
          roles: ["admin"],
          source: "oidc",
          label: "bench",
          sha256: createHash("sha256").update(BENCH_TOKEN).digest("hex"),
          createdAt: new Date().toISOString(),
        },
      ],
    }),
  );
  const server = await startRestateServer({
    baseDir: join(dir, "restate"),
    ports,
    suspendAfter: "10s", // as npm start
    identityPrivateKeyFile: secrets.identityPrivateKeyFile,
    output: { logFile: join(dir, "restate.log") },
  });
  const servicesPort = await freePort();
  const heapReport = join(dir, "services-memory.json");
  const services = await startServices({
    port: servicesPort,
    adminUrl: server.adminUrl,
    nodeArgs: ["--expose-gc"],
    // A ~200-entry journal for the read path: the runaway agent journals ~4 entries per 250 ms turn.
    env: {
      STUB_LATENCY_SCALE: "0",
      RUNG_TIMEOUT_MS: "12500",
      OUTSIDE_WORLD_LEDGER: join(dir, "ledger.jsonl"),
      SERVICES_HEAP_REPORT: heapReport,
      ...servicesSecretsEnv(secrets),
    },
    output: { logFile: join(dir, "services.log") },
  });
  await registerDeployment(server.adminUrl, `http://127.0.0.1:${servicesPort}`);
  const barePort = await freePort();
  const bare = await startServices({
    port: barePort,
    adminUrl: server.adminUrl,
    entry: "bench/bare-services.ts",
    output: { logFile: join(dir, "bare-services.log") },
  });
  await registerDeployment(server.adminUrl, `http://127.0.0.1:${barePort}`);
  const consoleServer = await startConsole({
    port: await freePort(),
    env: {
      RESTATE_INGRESS: server.ingressUrl,
      RESTATE_ADMIN: server.adminUrl,
      OPERATORS_FILE: join(dir, "operators.json"),
      API_TOKENS_FILE: join(dir, "api-tokens.json"),
      ...consoleSecretsEnv(secrets),
    },
    output: { logFile: join(dir, "console.log") },
  });

  const sql = <T>(query: string) => adminSql<T>(server.adminUrl, query);

  let counter = 0;
  const nextId = (prefix: string) => `${prefix}-${(counter++).toString(36)}`;
  const lowFinding = (id: string) => ({ id, source: "bench", severity: "low", description: "outdated lodash", repo: "web-storefront" });
  const product = () => {
    const id = nextId("auto");
    return post(`${server.ingressUrl}/RemediationWorkflow/${id}/run`, lowFinding(id));
  };
  const neighbours: ReturnType<typeof cpuNeighbour>[] = [];

  try {
    // The bare workflow's shape, read from a real auto-clear run's journal.
    await product();
    const [runInvocation] = await sql<{ id: string }>("SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/auto-0/run'");
    const journal = await sql<{ entry_type: string }>(`SELECT entry_type FROM sys_journal WHERE id = '${runInvocation!.id}' ORDER BY index`);
    const commands: Command[] = [];
    journal.forEach((entry, i) => {
      if (entry.entry_type === "Command: Run") commands.push("Run");
      else if (entry.entry_type === "Command: SetState") commands.push("SetState");
      else if (entry.entry_type === "Command: Call") {
        const timed = journal.slice(i + 1, i + 4).some((later) => later.entry_type === "Command: Sleep");
        commands.push(timed ? "TimedCall" : "Call");
      }
    });
    const [child] = await sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE invoked_by_id = '${runInvocation!.id}'`);
    const [childRuns] = await sql<{ n: number }>(`SELECT count(*) AS n FROM sys_journal WHERE id = '${child!.id}' AND entry_type = 'Command: Run'`);
    const shape: Shape = { workflow: commands, subAgentRuns: Number(childRuns!.n) };
    const bareRun = () => post(`${server.ingressUrl}/BareWorkflow/${nextId("bare")}/run`, shape);

    say(`# Benchmark: remediation workflow vs bare engine`);
    say();
    say(`- date: ${new Date().toISOString()}`);
    say(`- machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; load average at start ${loadavg().map((l) => l.toFixed(1)).join(" / ")}`);
    const version = (pkg: string) => (JSON.parse(readFileSync(join(projectRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
    say(`- versions: node ${process.version}, restate-server ${version("@restatedev/restate-server")}, sdk ${version("@restatedev/restate-sdk")}, next ${version("next")}`);
    say(`- same embedded server, services and console on this machine; product and bare alternate in each phase`);
    say(`- every timed figure is the median of ${ROUNDS} rounds taken in this run`);
    say(`- settings: BENCH_RUNS=${RUN_COUNTS.join(",")} BENCH_ROUNDS=${ROUNDS} BENCH_SEQUENTIAL=${SEQUENTIAL} BENCH_CONCURRENT=${CONCURRENT} BENCH_SUSPENDED=${SUSPENDED}`);
    say(`- product run journal: ${journal.length} entries (${commands.length} commands), sub-agent ${shape.subAgentRuns} runs; bare mirrors those commands`);
    say();

    // 1. Engine overhead
    for (let i = 0; i < 20; i++) await Promise.all([product(), bareRun()]);
    const seq = { product: newFigures(), bare: newFigures() };
    const throughput = { product: [] as number[], bare: [] as number[] };
    for (let round = 0; round < ROUNDS; round++) {
      const samples = { product: [] as number[], bare: [] as number[] };
      for (let i = 0; i < SEQUENTIAL; i++) {
        samples.product.push(await timed(product));
        samples.bare.push(await timed(bareRun));
      }
      addRound(seq.product, samples.product);
      addRound(seq.bare, samples.bare);
      for (const [name, run] of [["product", product], ["bare", bareRun]] as const) {
        const elapsed = await timed(() => pool(Array.from({ length: CONCURRENT }), CONCURRENCY, run));
        throughput[name].push((CONCURRENT / elapsed) * 1000);
      }
    }
    const p50Ratio = median(seq.product.p50) / median(seq.bare.p50);
    const tputRatio = median(throughput.product) / median(throughput.bare);
    say(`## 1. Engine overhead (auto-clear path, stub latency 0)`);
    say();
    say(`| workflow | seq p50 | seq p99 | throughput @${CONCURRENCY} |`);
    say(`| --- | --- | --- | --- |`);
    say(`| remediation | ${ms(median(seq.product.p50))} | ${ms(median(seq.product.p99))} | ${median(throughput.product).toFixed(0)} wf/s |`);
    say(`| bare (same commands) | ${ms(median(seq.bare.p50))} | ${ms(median(seq.bare.p99))} | ${median(throughput.bare).toFixed(0)} wf/s |`);
    say(`| ratio | ${p50Ratio.toFixed(2)}× (target ≤ 1.25×) | | ${tputRatio.toFixed(2)}× (target ≥ 0.8×) |`);
    say();

    if (ONLY_ENGINE) return;

    // 2. Console path
    const viaConsole = newFigures();
    const viaIngress = newFigures();
    const overhead: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const samples = { console: [] as number[], ingress: [] as number[] };
      for (let i = 0; i < SEQUENTIAL; i++) {
        const a = nextId("console");
        samples.console.push(await timed(() => post(`${consoleServer.url}/api/findings`, lowFinding(a))));
        const b = nextId("ingress");
        samples.ingress.push(await timed(() => post(`${server.ingressUrl}/RemediationWorkflow/${b}/run/send`, lowFinding(b))));
      }
      addRound(viaConsole, samples.console);
      addRound(viaIngress, samples.ingress);
      overhead.push(percentile(samples.console, 50) - percentile(samples.ingress, 50));
    }
    say(`## 2. Console path (submission)`);
    say();
    say(`| path | p50 | p99 |`);
    say(`| --- | --- | --- |`);
    say(`| POST /api/findings (console) | ${ms(median(viaConsole.p50))} | ${ms(median(viaConsole.p99))} |`);
    say(`| POST /RemediationWorkflow/{id}/run/send (ingress) | ${ms(median(viaIngress.p50))} | ${ms(median(viaIngress.p99))} |`);
    say(`| console overhead (median of the rounds' p50 differences) | ${ms(median(overhead))} (target ≤ 10 ms; rounds: ${overhead.map((value) => value.toFixed(1)).join(", ")}) | |`);
    say();

    // 3. Read path at each run count
    const runaway = nextId("runaway");
    await post(`${server.ingressUrl}/RemediationWorkflow/${runaway}/run/send`, { ...lowFinding(runaway), repo: "web-monorepo" });
    // The seeded mix: 9 in 10 plain fixes, 1 in 10 a recalibration (rogue plan rejected, second rung accepted).
    const seeded: string[] = [];
    const seedOne = async () => {
      const id = nextId("seed");
      seeded.push(id);
      const finding = seeded.length % 10 === 3 ? { ...lowFinding(id), description: "SQL injection in session store", repo: "orders-db" } : lowFinding(id);
      await post(`${server.ingressUrl}/RemediationWorkflow/${id}/run`, finding);
    };
    const inbox = Array.from({ length: INBOX_RUNS }, () => nextId("inbox"));
    await pool(inbox, CONCURRENCY, (id) => post(`${server.ingressUrl}/RemediationWorkflow/${id}/run/send`, { ...lowFinding(id), severity: "high" }));
    await fetch(`${server.ingressUrl}/restate/workflow/RemediationWorkflow/${runaway}/attach`).then((r) => r.arrayBuffer());
    const [fastAgent] = await sql<{ id: string; journal_size: number }>(
      `SELECT id, journal_size FROM sys_invocation WHERE target = 'subAgents/fastExecutor' AND invoked_by_id = (SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${runaway}/run')`,
    );
    const routes: [string, string, (i: number) => string][] = [
      ["GET /api/findings", "first page", () => "/api/findings"],
      ["GET /api/findings?cursor", "second page", () => `/api/findings?cursor=${encodeURIComponent(secondPageCursor)}`],
      ["GET /api/findings?stage&severity", "stage=completed, severity=low", () => "/api/findings?stage=completed&severity=low"],
      ["GET /api/findings/{id}", "runs spread over the history", (i) => `/api/findings/${seeded[(i * 7919) % seeded.length]}`],
      ["GET /api/invocations/{id}/journal", `${fastAgent!.journal_size} entries`, () => `/api/invocations/${fastAgent!.id}/journal`],
      ["GET /api/invocations/{id}/journal/{index}", "one entry with its result", () => `/api/invocations/${fastAgent!.id}/journal/1`],
      ["GET /api/approvals", `${INBOX_RUNS} runs waiting`, () => "/api/approvals"],
    ];
    let secondPageCursor = "";
    const readSamples = 60;
    const measureReads = async () => {
      secondPageCursor = ((await get(`${consoleServer.url}/api/findings`)) as { nextCursor: string }).nextCursor;
      const figures = routes.map(() => newFigures());
      for (let round = 0; round < ROUNDS; round++) {
        const samples = routes.map(() => [] as number[]);
        for (let i = 0; i < readSamples; i++) {
          for (const [r, [, , path]] of routes.entries()) samples[r]!.push(await timed(() => get(`${consoleServer.url}${path(i)}`)));
        }
        samples.forEach((values, r) => addRound(figures[r]!, values));
      }
      return figures;
    };
    const atCount: { runs: number; invocations: number; seedSeconds: number; figures: RoundFigures[] }[] = [];
    let busy: RoundFigures[] | undefined;
    for (const target of RUN_COUNTS) {
      const seedStart = performance.now();
      const [{ n: existing }] = (await sql<{ n: number }>("SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run'")) as [
        { n: number },
      ];
      await pool(Array.from({ length: Math.max(0, target - Number(existing)) }), CONCURRENCY * 2, seedOne);
      const seedSeconds = (performance.now() - seedStart) / 1000;
      const [counts] = await sql<{ runs: number; invocations: number }>(
        "SELECT count(*) FILTER (WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run') AS runs, count(*) AS invocations FROM sys_invocation",
      );
      atCount.push({ runs: Number(counts!.runs), invocations: Number(counts!.invocations), seedSeconds, figures: await measureReads() });
      if (busy === undefined) {
        neighbours.push(cpuNeighbour());
        busy = await measureReads();
        neighbours.pop()!.kill("SIGKILL");
      }
    }
    say(`## 3. Read path`);
    say();
    say(`Runs seeded through the ingress as real runs (9 in 10 auto-clear, 1 in 10 recalibrated), ${INBOX_RUNS} more waiting at the gate; ${readSamples} sequential requests per route and round.`);
    say();
    const first = atCount[0]!;
    const header = atCount.map((at) => `${at.runs.toLocaleString("en")} runs p50 / p99`);
    say(`| route | what | ${header.join(" | ")} | ${first.runs.toLocaleString("en")} runs + CPU-bound neighbour p50 / p99 |${atCount.length > 1 ? " growth of p50 |" : ""}`);
    say(`| --- | --- | ${atCount.map(() => "---").join(" | ")} | --- |${atCount.length > 1 ? " --- |" : ""}`);
    routes.forEach(([name, what], r) => {
      const cells = atCount.map((at) => `${ms(median(at.figures[r]!.p50))} / ${ms(median(at.figures[r]!.p99))}`);
      const growth = atCount.length > 1 ? ` ${(median(atCount.at(-1)!.figures[r]!.p50) / median(first.figures[r]!.p50)).toFixed(2)}× |` : "";
      say(`| ${name} | ${what} | ${cells.join(" | ")} | ${ms(median(busy![r]!.p50))} / ${ms(median(busy![r]!.p99))} |${growth}`);
    });
    say();
    for (const at of atCount) say(`- ${at.runs.toLocaleString("en")} runs (${at.invocations.toLocaleString("en")} invocations in sys_invocation): seeded in ${at.seedSeconds.toFixed(0)} s`);
    say(`- targets: p50 ≤ 40 ms and p99 ≤ 150 ms at 10,000 runs; no p99 above 500 ms beside a CPU-bound process; 40,000 runs ≤ 1.3× the 10,000-run p50`);
    say();

    // 4. Suspended runs
    const servicesPid = services.child.pid!;
    await new Promise((r) => setTimeout(r, 2000));
    const idle = await servicesMemory(servicesPid, heapReport);
    const rssIdle = rssMiB(servicesPid);
    const gated = Array.from({ length: SUSPENDED }, () => nextId("gate"));
    await pool(gated, CONCURRENCY, (id) =>
      post(`${server.ingressUrl}/RemediationWorkflow/${id}/run/send`, {
        ...lowFinding(id),
        severity: "high",
        submission: signSubmission(secrets.approvalSigningSecret, { findingId: id, submittedBy: "bench-submitter@corp.com" }),
      }),
    );
    const gateOf = async (id: string) =>
      ((await post(`${server.ingressUrl}/RemediationWorkflow/${id}/status`, {})) as { gateId?: string | null }).gateId ?? "";
    const countStage = async (stage: string) =>
      Number(
        (
          await sql<{ n: number }>(
            `SELECT count(*) AS n FROM state WHERE service_name = 'RemediationWorkflow' AND key = 'stage' AND value_utf8 = '"${stage}"' AND service_key LIKE 'gate-%'`,
          )
        )[0]?.n ?? 0,
      );
    while ((await countStage("awaiting-approval")) < SUSPENDED) await new Promise((r) => setTimeout(r, 500));
    const suspendedCount = async () =>
      Number(
        (
          await sql<{ n: number }>(
            "SELECT count(*) AS n FROM sys_invocation WHERE status = 'suspended' AND target_service_name = 'RemediationWorkflow' AND target_service_key LIKE 'gate-%'",
          )
        )[0]?.n ?? 0,
      );
    const suspendDeadline = Date.now() + 60_000;
    while ((await suspendedCount()) < SUSPENDED && Date.now() < suspendDeadline) await new Promise((r) => setTimeout(r, 500));
    await new Promise((r) => setTimeout(r, 2000));
    const waiting = await servicesMemory(servicesPid, heapReport);
    const rssWaiting = rssMiB(servicesPid);
    const suspended = { n: await suspendedCount() };
    const approveStart = performance.now();
    await pool(gated, CONCURRENCY, async (id) => post(
        `${server.ingressUrl}/RemediationWorkflow/${id}/approve`,
        signApproval(secrets.approvalSigningSecret, { findingId: id, gateId: await gateOf(id), approved: true, approver: "bench@corp.com" }),
      ));
    while ((await countStage("completed")) < SUSPENDED) await new Promise((r) => setTimeout(r, 200));
    const drainSeconds = (performance.now() - approveStart) / 1000;
    const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
    say(`## 4. Suspended runs`);
    say();
    say(`| measure | 0 runs waiting | ${SUSPENDED} runs waiting (${suspended.n} invocations suspended) | difference |`);
    say(`| --- | --- | --- | --- |`);
    say(`| services heap used after a forced GC${idle.collected ? "" : " (GC not exposed!)"} | ${mib(idle.heapUsed)} | ${mib(waiting.heapUsed)} | ${mib(waiting.heapUsed - idle.heapUsed)} (target ≤ 20 MiB) |`);
    say(`| services RSS | ${rssIdle.toFixed(0)} MiB | ${rssWaiting.toFixed(0)} MiB | ${(rssWaiting - rssIdle).toFixed(0)} MiB |`);
    say();
    say(`Approving all ${SUSPENDED}: all completed in ${drainSeconds.toFixed(1)} s (${(SUSPENDED / drainSeconds).toFixed(0)} runs/s).`);
    say();

    // 5. Page weight
    say(`## 5. Page weight (first-load JavaScript, production build)`);
    say();
    say(`Scripts a modern browser loads with the page (\`nomodule\` polyfills are only for browsers without modules), and the chunks those scripts load on demand afterwards (the contract schemas, with the first request).`);
    say();
    say(`| page | scripts | raw | gzip (target ≤ 150 KiB) | loaded on demand, gzip | nomodule polyfills, gzip |`);
    say(`| --- | --- | --- | --- | --- | --- |`);
    const login = await fetch(`${consoleServer.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: consoleServer.url },
      body: JSON.stringify({ username: "bench-viewer", password: BENCH_TOKEN }),
    });
    if (!login.ok) throw new Error(`bench sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ");
    for (const [name, path] of [["dashboard", "/"], ["run page", `/findings/${seeded[0]}`]] as const) {
      const page = await fetch(`${consoleServer.url}${path}`, { headers: { cookie }, redirect: "manual" });
      if (page.status !== 200) throw new Error(`${path} answered ${page.status} to a signed-in viewer`);
      const html = await page.text();
      const tags = [...html.matchAll(/<script[^>]+src="([^"]+)"[^>]*>/g)];
      const modern = [...new Set(tags.filter((m) => !/nomodule/i.test(m[0])).map((m) => m[1]!))];
      const legacy = [...new Set(tags.filter((m) => /nomodule/i.test(m[0])).map((m) => m[1]!))];
      const fetchScript = async (src: string) => Buffer.from(await (await fetch(new URL(src, consoleServer.url))).arrayBuffer());
      let raw = 0;
      let gzip = 0;
      const bodies: string[] = [];
      for (const src of modern) {
        const body = await fetchScript(src);
        bodies.push(body.toString("utf8"));
        raw += body.length;
        gzip += gzipSync(body).length;
      }
      // Chunks named inside the loaded scripts but not loaded with the page: what a dynamic import() fetches later.
      const loaded = new Set(modern.map((src) => src.split("/").pop()));
      const onDemand = new Set(bodies.flatMap((body) => [...body.matchAll(/static\/chunks\/([\w.-]+\.js)/g)].map((m) => m[1]!)).filter((file) => !loaded.has(file)));
      let lazyGzip = 0;
      for (const file of onDemand) lazyGzip += gzipSync(await fetchScript(`/_next/static/chunks/${file}`)).length;
      let legacyGzip = 0;
      for (const src of legacy) legacyGzip += gzipSync(await fetchScript(src)).length;
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
      say(`| ${name} (${path.replace(/findings\/.*/, "findings/{id}")}) | ${modern.length} | ${kib(raw)} | ${kib(gzip)} | ${kib(lazyGzip)} (${onDemand.size} chunks) | ${kib(legacyGzip)} |`);
    }
    say();
    await benchLiveViews(say);
    const out = process.env.BENCH_OUT ?? join(projectRoot, "bench", "results", "latest.md");
    writeFileSync(out, lines.join("\n") + "\n");
    console.log(`\nwritten to ${out}`);
  } finally {
    for (const neighbour of neighbours) neighbour.kill("SIGKILL");
    await consoleServer.process.stop();
    await bare.stop();
    await services.stop();
    await server.process.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
