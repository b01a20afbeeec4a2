// `npm run bench`: measures the product side by side with the bare engine on one embedded server,
// prints a table with the ratios, and writes bench/results/latest.md.
//   1. engine overhead: remediation auto-clear path (stub latency 0) vs a bare workflow journaling
//      the same commands; sequential p50/p99 and throughput at concurrency 32
//   2. console path: POST /api/findings vs POST straight to the ingress
//   3. read path with BENCH_RUNS (10,000) finished runs: list, run page, a ~200-entry journal
//   4. suspended runs: services RSS with 0 and 1,000 runs waiting at the gate, time to finish them
//   5. page weight: first-load JavaScript of the dashboard and the run page
import bcrypt from "bcryptjs";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
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

const TOTAL_RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
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

async function main() {
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
  const services = await startServices({
    port: servicesPort,
    adminUrl: server.adminUrl,
    // A ~200-entry journal for the read path: the runaway agent journals ~4 entries per 250 ms turn.
    env: {
      STUB_LATENCY_SCALE: "0",
      RUNG_TIMEOUT_MS: "12500",
      OUTSIDE_WORLD_LEDGER: join(dir, "ledger.jsonl"),
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
    say(`- machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
    const version = (pkg: string) => (JSON.parse(readFileSync(join(projectRoot, "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
    say(`- versions: node ${process.version}, restate-server ${version("@restatedev/restate-server")}, sdk ${version("@restatedev/restate-sdk")}, next ${version("next")}`);
    say(`- same embedded server, services and console on this machine; product and bare alternate in each phase`);
    say(`- product run journal: ${journal.length} entries (${commands.length} commands), sub-agent ${shape.subAgentRuns} runs; bare mirrors those commands`);
    say();

    // 1. Engine overhead
    for (let i = 0; i < 20; i++) await Promise.all([product(), bareRun()]);
    const seq = { product: [] as number[], bare: [] as number[] };
    for (let i = 0; i < SEQUENTIAL; i++) {
      seq.product.push(await timed(product));
      seq.bare.push(await timed(bareRun));
    }
    const throughput = { product: [] as number[], bare: [] as number[] };
    for (let round = 0; round < 2; round++) {
      for (const [name, run] of [["product", product], ["bare", bareRun]] as const) {
        const elapsed = await timed(() => pool(Array.from({ length: CONCURRENT }), CONCURRENCY, run));
        throughput[name].push((CONCURRENT / elapsed) * 1000);
      }
    }
    const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
    const p50Ratio = percentile(seq.product, 50) / percentile(seq.bare, 50);
    const tputRatio = mean(throughput.product) / mean(throughput.bare);
    say(`## 1. Engine overhead (auto-clear path, stub latency 0)`);
    say();
    say(`| workflow | seq p50 | seq p99 | throughput @${CONCURRENCY} |`);
    say(`| --- | --- | --- | --- |`);
    say(`| remediation | ${ms(percentile(seq.product, 50))} | ${ms(percentile(seq.product, 99))} | ${mean(throughput.product).toFixed(0)} wf/s |`);
    say(`| bare (same commands) | ${ms(percentile(seq.bare, 50))} | ${ms(percentile(seq.bare, 99))} | ${mean(throughput.bare).toFixed(0)} wf/s |`);
    say(`| ratio | ${p50Ratio.toFixed(2)}× (target ≤ 1.25×) | | ${tputRatio.toFixed(2)}× (target ≥ 0.8×) |`);
    say();

    if (ONLY_ENGINE) return;

    // 2. Console path
    const viaConsole: number[] = [];
    const viaIngress: number[] = [];
    for (let i = 0; i < SEQUENTIAL; i++) {
      const a = nextId("console");
      viaConsole.push(await timed(() => post(`${consoleServer.url}/api/findings`, lowFinding(a))));
      const b = nextId("ingress");
      viaIngress.push(await timed(() => post(`${server.ingressUrl}/RemediationWorkflow/${b}/run/send`, lowFinding(b))));
    }
    say(`## 2. Console path (submission)`);
    say();
    say(`| path | p50 | p99 |`);
    say(`| --- | --- | --- |`);
    say(`| POST /api/findings (console) | ${ms(percentile(viaConsole, 50))} | ${ms(percentile(viaConsole, 99))} |`);
    say(`| POST /RemediationWorkflow/{id}/run/send (ingress) | ${ms(percentile(viaIngress, 50))} | ${ms(percentile(viaIngress, 99))} |`);
    say(`| console overhead | ${ms(percentile(viaConsole, 50) - percentile(viaIngress, 50))} | ${ms(percentile(viaConsole, 99) - percentile(viaIngress, 99))} |`);
    say();

    // 3. Read path with TOTAL_RUNS finished runs
    const runaway = nextId("runaway");
    await post(`${server.ingressUrl}/RemediationWorkflow/${runaway}/run/send`, { ...lowFinding(runaway), repo: "web-monorepo" });
    const [{ n: existing }] = (await sql<{ n: number }>("SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow'")) as [
      { n: number },
    ];
    const seedCount = Math.max(0, TOTAL_RUNS - Number(existing));
    const seedStart = performance.now();
    await pool(Array.from({ length: seedCount }), CONCURRENCY, product);
    const seedSeconds = (performance.now() - seedStart) / 1000;
    await fetch(`${server.ingressUrl}/restate/workflow/RemediationWorkflow/${runaway}/attach`).then((r) => r.arrayBuffer());
    const [runs] = await sql<{ n: number }>("SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND status = 'completed'");
    const [fastAgent] = await sql<{ id: string; journal_size: number }>(
      `SELECT id, journal_size FROM sys_invocation WHERE target = 'subAgents/fastExecutor' AND invoked_by_id = (SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${runaway}/run')`,
    );
    const sampleIds = (await sql<{ key: string }>("SELECT target_service_key AS key FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' LIMIT 500")).map((r) => r.key);
    const reads = { list: [] as number[], run: [] as number[], journal: [] as number[] };
    for (let i = 0; i < 60; i++) {
      reads.list.push(await timed(() => get(`${consoleServer.url}/api/findings`)));
      reads.run.push(await timed(() => get(`${consoleServer.url}/api/findings/${sampleIds[i % sampleIds.length]}`)));
      reads.journal.push(await timed(() => get(`${consoleServer.url}/api/invocations/${fastAgent!.id}/journal`)));
    }
    say(`## 3. Read path with ${Number(runs!.n).toLocaleString("en")} finished runs (seeded ${seedCount} in ${seedSeconds.toFixed(0)} s)`);
    say();
    say(`| route | p50 | p99 | target p50 |`);
    say(`| --- | --- | --- | --- |`);
    say(`| GET /api/findings (first page) | ${ms(percentile(reads.list, 50))} | ${ms(percentile(reads.list, 99))} | ≤ 150 ms |`);
    say(`| GET /api/findings/{id} | ${ms(percentile(reads.run, 50))} | ${ms(percentile(reads.run, 99))} | ≤ 100 ms |`);
    say(`| GET /api/invocations/{id}/journal (${fastAgent!.journal_size} entries) | ${ms(percentile(reads.journal, 50))} | ${ms(percentile(reads.journal, 99))} | ≤ 100 ms |`);
    say();

    // 4. Suspended runs cost nothing
    const servicesPid = services.child.pid!;
    await new Promise((r) => setTimeout(r, 2000));
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
    const rssWaiting = rssMiB(servicesPid);
    const suspended = { n: await suspendedCount() };
    const approveStart = performance.now();
    await pool(gated, CONCURRENCY, async (id) => post(
        `${server.ingressUrl}/RemediationWorkflow/${id}/approve`,
        signApproval(secrets.approvalSigningSecret, { findingId: id, gateId: await gateOf(id), approved: true, approver: "bench@corp.com" }),
      ));
    while ((await countStage("completed")) < SUSPENDED) await new Promise((r) => setTimeout(r, 200));
    const drainSeconds = (performance.now() - approveStart) / 1000;
    say(`## 4. Suspended runs`);
    say();
    say(`| measure | value |`);
    say(`| --- | --- |`);
    say(`| services RSS, 0 runs waiting | ${rssIdle.toFixed(0)} MiB |`);
    say(`| services RSS, ${SUSPENDED} runs waiting at the gate (${suspended.n} invocations suspended) | ${rssWaiting.toFixed(0)} MiB |`);
    say(`| approve all ${SUSPENDED} → all completed | ${drainSeconds.toFixed(1)} s (${(SUSPENDED / drainSeconds).toFixed(0)} runs/s) |`);
    say();

    // 5. Page weight
    say(`## 5. Page weight (first-load JavaScript, production build)`);
    say();
    say(`| page | scripts | raw | gzip |`);
    say(`| --- | --- | --- | --- |`);
    const login = await fetch(`${consoleServer.url}/api/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: consoleServer.url },
      body: JSON.stringify({ username: "bench-viewer", password: BENCH_TOKEN }),
    });
    if (!login.ok) throw new Error(`bench sign-in failed: ${login.status} ${await login.text()}`);
    const cookie = login.headers.getSetCookie().map((header) => header.split(";")[0]).join("; ");
    for (const [name, path] of [["dashboard", "/"], ["run page", `/findings/${sampleIds[0]}`]] as const) {
      const page = await fetch(`${consoleServer.url}${path}`, { headers: { cookie }, redirect: "manual" });
      if (page.status !== 200) throw new Error(`${path} answered ${page.status} to a signed-in viewer`);
      const html = await page.text();
      const sources = [...new Set([...html.matchAll(/<script[^>]+src="([^"]+)"/g)].map((m) => m[1]!))];
      let raw = 0;
      let gzip = 0;
      for (const src of sources) {
        const body = Buffer.from(await (await fetch(new URL(src, consoleServer.url))).arrayBuffer());
        raw += body.length;
        gzip += gzipSync(body).length;
      }
      say(`| ${name} (${path.replace(/findings\/.*/, "findings/{id}")}) | ${sources.length} | ${(raw / 1024).toFixed(0)} KiB | ${(gzip / 1024).toFixed(0)} KiB |`);
    }
    const out = process.env.BENCH_OUT ?? join(projectRoot, "bench", "results", "latest.md");
    writeFileSync(out, lines.join("\n") + "\n");
    console.log(`\nwritten to ${out}`);
  } finally {
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
