// Live views: the engine's load and the console's CPU with 1, 10 and 100 open viewers (each one an
// open dashboard and an open run page), when every page polls on its own (the behaviour without the
// change stream, and its fallback when the stream is cut) and when they hold the change stream open.
// The viewers are a load generator, not browsers: the same requests a page makes at its intervals, or
// the page's first loads and then its streams. A counting proxy in front of the admin API counts the
// console's SQL queries. Meanwhile a driver signs off one gated run and submits one new run a second,
// and every viewer's time to learn of each sign-off is recorded.
//   npm run bench -- --only=live          (BENCH_LIVE_VIEWERS=1,10,100 BENCH_LIVE_WINDOW_S=10)
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, request as httpRequest, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SseReader } from "../lib/test/sse-reader";
import { signApproval, signSubmission } from "../restate/identity/signed-claims";
import { ensureConsoleBuild } from "../scripts/console-build";
import { adminSql, freePort, startStack } from "../scripts/stack";
import { BENCH_UNHOSTED_REPO, writeApiToken } from "./bench-stack";

const VIEWER_COUNTS = (process.env.BENCH_LIVE_VIEWERS ?? "1,10,100").split(",").map((count) => Number(count.trim()));
const WINDOW_S = Number(process.env.BENCH_LIVE_WINDOW_S ?? 10);
/** The pages' intervals without a stream (lib/query/queries.ts): a live list, the inbox with runs waiting, a live run and its journal. */
const LIST_MS = 1_500;
const INBOX_MS = 3_000;
const RUN_MS = 1_500;
/** Runs the simulated run pages show, waiting at the gate all along. */
const WATCHED_RUNS = 5;
const WARM_UP_MS = 3_000;

type Say = (line?: string) => void;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A proxy in front of the admin API that counts the SQL queries passing through it. */
async function countingProxy(target: string): Promise<{ url: string; queries: () => number; server: Server }> {
  let queries = 0;
  const to = new URL(target);
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === "POST" && incoming.url === "/query") queries++;
    const forwarded = httpRequest({ host: to.hostname, port: to.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${port}`, queries: () => queries, server };
}

/** CPU seconds used so far by a process and its descendants (Next may run workers). */
function cpuSeconds(rootPid: number): number {
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const name of readdirSync("/proc").filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(name), Number(fields[1]));
      ticks.set(Number(name), Number(fields[11]) + Number(fields[12]));
    } catch {
      // gone meanwhile
    }
  }
  let total = 0;
  for (const [pid, used] of ticks) {
    for (let at: number | undefined = pid; at !== undefined && at > 1; at = parents.get(at)) {
      if (at === rootPid) {
        total += used;
        break;
      }
    }
  }
  return total / 100; // USER_HZ
}
interface PhaseResult {
  mode: "polling" | "stream";
  viewers: number;
  queriesPerSecond: number;
  cpuPercent: number;
  /** Sign-off → a viewer's page shows it, over every viewer and sign-off. */
  latencies: number[];
  requests: number;
}

export async function benchLiveViews(say: Say): Promise<void> {
  ensureConsoleBuild();
  const dir = mkdtempSync(join(tmpdir(), "remediation-bench-live-"));
  const token = `rmc_${randomBytes(32).toString("base64url")}`;
  const operatorsFile = join(dir, "operators.json");
  const apiTokensFile = join(dir, "api-tokens.json");
  writeFileSync(operatorsFile, JSON.stringify({ operators: [] }));
  writeApiToken(apiTokensFile, token, { username: "bench-viewer", name: "Bench viewer", roles: ["viewer"] });
  // The console reads the engine through a proxy that counts its admin queries.
  const ports = { ingress: await freePort(), admin: await freePort(), node: await freePort() };
  const proxy = await countingProxy(`http://127.0.0.1:${ports.admin}`);
  const stack = await startStack({
    dataDir: dir,
    engine: { ports, suspendAfter: "10s" },
    services: { env: { STUB_LATENCY_SCALE: "0" } },
    console: { operatorsFile, apiTokensFile, env: { RESTATE_ADMIN: proxy.url } },
  }).catch((error: unknown) => {
    proxy.server.close();
    throw error;
  });
  const { server, secrets } = stack;
  const consoleServer = stack.console;
  const auth = { authorization: `Bearer ${token}` };
  const ingress = async (path: string, body: unknown) => {
    const response = await fetch(`${server.ingressUrl}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : null;
  };
  let counter = 0;
  const submit = (severity: "low" | "high") => {
    const id = `${severity === "high" ? "gate" : "run"}-${(counter++).toString(36)}`;
    return ingress(`/RemediationWorkflow/${id}/run/send`, {
      id,
      source: "bench",
      severity,
      description: severity === "high" ? "exposed credentials in CI logs" : "outdated lodash",
      repo: BENCH_UNHOSTED_REPO,
      submission: signSubmission(secrets.approvalSigningSecret, { findingId: id, submittedBy: "bench-submitter" }),
    }).then(() => id);
  };
  const stageCount = async (stage: string) =>
    Number(
      (
        await adminSql<{ n: number }>(
          server.adminUrl,
          `SELECT count(*) AS n FROM state WHERE service_name = 'RemediationWorkflow' AND key = 'stage' AND value_utf8 = '"${stage}"'`,
        )
      )[0]?.n ?? 0,
    );

  const phases: PhaseResult[] = [];
  try {
    // A history to list, the runs the run pages show, and a pool of gated runs to sign off during the phases.
    for (let i = 0; i < 200; i++) await submit("low");
    const signOffsNeeded = VIEWER_COUNTS.length * 2 * WINDOW_S + 5;
    const gated: string[] = [];
    for (let i = 0; i < WATCHED_RUNS + signOffsNeeded; i++) gated.push(await submit("high"));
    while ((await stageCount("awaiting-approval")) < gated.length) await sleep(500);
    const watched = gated.slice(0, WATCHED_RUNS);
    const pool = gated.slice(WATCHED_RUNS);
    const runInvocation = new Map<string, string>();
    for (const id of watched) {
      const [row] = await adminSql<{ id: string }>(server.adminUrl, `SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${id}/run'`);
      runInvocation.set(id, row!.id);
    }

    const get = async (path: string) => {
      const response = await fetch(`${consoleServer.url}${path}`, { headers: auth });
      const text = await response.text();
      if (!response.ok) throw new Error(`${path}: ${response.status} ${text.slice(0, 200)}`);
      return JSON.parse(text) as unknown;
    };

    for (const mode of ["polling", "stream"] as const) {
      for (const viewers of VIEWER_COUNTS) {
        let running = true;
        let requests = 0;
        const signedOff = new Map<string, number>();
        const latencies: number[] = [];
        /** Each viewer records when its inbox first shows a signed-off run gone. */
        const seenBy = new Set<string>();
        const noteInbox = (viewer: number, items: { findingId: string }[]) => {
          const waiting = new Set(items.map((item) => item.findingId));
          for (const [findingId, at] of signedOff) {
            if (waiting.has(findingId) || seenBy.has(`${viewer}/${findingId}`)) continue;
            seenBy.add(`${viewer}/${findingId}`);
            latencies.push(performance.now() - at);
          }
        };
        const every = async (ms: number, ask: () => Promise<unknown>) => {
          await sleep(Math.random() * ms);
          while (running) {
            const started = performance.now();
            await ask().catch(() => undefined);
            requests++;
            await sleep(Math.max(0, ms - (performance.now() - started)));
          }
        };
        const tasks: Promise<unknown>[] = [];
        const streams: { close: () => void; ended: Promise<void> }[] = [];
        for (let viewer = 0; viewer < viewers; viewer++) {
          const runId = watched[viewer % watched.length]!;
          if (mode === "polling") {
            tasks.push(
              every(LIST_MS, () => get("/api/findings?limit=25")),
              every(INBOX_MS, async () => noteInbox(viewer, ((await get("/api/approvals")) as { items: { findingId: string }[] }).items)),
              every(RUN_MS, () => get(`/api/findings/${runId}`)),
              every(RUN_MS, () => get(`/api/invocations/${runInvocation.get(runId)}/journal`)),
              every(INBOX_MS, () => get("/api/approvals")),
            );
          } else {
            // The pages' first loads, then their streams.
            await Promise.all([
              get("/api/findings?limit=25"),
              get("/api/approvals"),
              get(`/api/findings/${runId}`),
              get(`/api/invocations/${runInvocation.get(runId)}/journal`),
            ]);
            requests += 4;
            for (const search of ["", `?finding=${runId}&journals=${runInvocation.get(runId)}`]) {
              const controller = new AbortController();
              const response = await fetch(`${consoleServer.url}/api/events${search}`, {
                headers: { ...auth, accept: "text/event-stream" },
                signal: controller.signal,
              });
              if (!response.ok || !response.body) throw new Error(`/api/events${search}: ${response.status}`);
              const reader = new SseReader(response.body);
              let read = 0;
              const follow = async () => {
                while (running) {
                  const event = await reader.waitFor(() => true, 60_000, read).catch(() => null);
                  if (!event) return;
                  read = reader.events.indexOf(event) + 1;
                  if (event.event === "approvals") noteInbox(viewer, (JSON.parse(event.data) as { items: { findingId: string }[] }).items);
                }
              };
              tasks.push(follow());
              streams.push({ close: () => controller.abort(), ended: reader.ended });
            }
          }
        }
        await sleep(WARM_UP_MS);
        const queriesBefore = proxy.queries();
        const cpuBefore = cpuSeconds(consoleServer.process.child.pid!);
        const requestsBefore = requests;
        const started = performance.now();
        for (let second = 0; second < WINDOW_S; second++) {
          const tickStart = performance.now();
          const id = pool.shift();
          if (id) {
            const gateId = ((await ingress(`/RemediationWorkflow/${id}/status`, {})) as { gateId?: string | null }).gateId ?? "";
            await ingress(
              `/RemediationWorkflow/${id}/approve`,
              signApproval(secrets.approvalSigningSecret, { findingId: id, gateId, approved: true, approver: "bench-approver" }),
            );
            signedOff.set(id, performance.now());
          }
          await submit("low");
          await sleep(Math.max(0, 1_000 - (performance.now() - tickStart)));
        }
        const seconds = (performance.now() - started) / 1000;
        const queries = proxy.queries() - queriesBefore;
        const cpu = cpuSeconds(consoleServer.process.child.pid!) - cpuBefore;
        const windowRequests = requests - requestsBefore;
        // Late sign-offs get the time a viewer needs to learn of them.
        await sleep(3_000);
        running = false;
        for (const stream of streams) stream.close();
        await Promise.all(tasks);
        phases.push({ mode, viewers, queriesPerSecond: queries / seconds, cpuPercent: (cpu / seconds) * 100, latencies, requests: windowRequests });
        console.log(`[live] ${mode} × ${viewers}: ${(queries / seconds).toFixed(1)} queries/s, console CPU ${((cpu / seconds) * 100).toFixed(0)}%`);
        await sleep(1_000);
      }
    }

    say(`## Live views: engine load and console CPU by number of viewers`);
    say();
    say(
      `Each viewer is an open dashboard and an open run page (of a run waiting at the gate). A driver signs off one gated run and submits one new run a second; ${WINDOW_S} s measured per row after a ${WARM_UP_MS / 1000} s warm-up. "Polling": every page asks at its interval (the behaviour without the stream, and its fallback when the stream is cut); "stream": the pages' first loads, then their two change streams. Sign-off → seen: from the sign-off's answer at the ingress to the viewer's inbox (the nav's count) showing the run gone (its next poll, every ${INBOX_MS / 1000} s, or the stream's event), over every viewer and sign-off.`,
    );
    say();
    say(`| viewers | mode | console API requests/s | engine SQL queries/s | console CPU | sign-off → seen p50 / p99 |`);
    say(`| --- | --- | --- | --- | --- | --- |`);
    for (const viewers of VIEWER_COUNTS) {
      for (const phase of phases.filter((row) => row.viewers === viewers)) {
        const latency = phase.latencies.length
          ? `${percentile(phase.latencies, 50).toFixed(0)} ms / ${percentile(phase.latencies, 99).toFixed(0)} ms (${phase.latencies.length})`
          : "none seen";
        say(
          `| ${viewers} | ${phase.mode} | ${(phase.requests / WINDOW_S).toFixed(1)} | ${phase.queriesPerSecond.toFixed(1)} | ${phase.cpuPercent.toFixed(0)}% | ${latency} |`,
        );
      }
    }
    say();
    const stream = (viewers: number) => phases.find((row) => row.mode === "stream" && row.viewers === viewers);
    const fewest = stream(Math.min(...VIEWER_COUNTS));
    const most = stream(Math.max(...VIEWER_COUNTS));
    if (fewest && most) {
      const ratio = most.queriesPerSecond / fewest.queriesPerSecond;
      const p99 = percentile(
        phases.filter((row) => row.mode === "stream").flatMap((row) => row.latencies),
        99,
      );
      say(
        `- stream: engine queries with ${most.viewers} viewers ${ratio.toFixed(2)}× those with ${fewest.viewers} (target ≤ 1.2×); sign-off → seen p99 over all stream rows ${p99.toFixed(0)} ms (target ≤ 1,000 ms)`,
      );
    }
    const polling1 = phases.find((row) => row.mode === "polling" && row.viewers === Math.min(...VIEWER_COUNTS));
    if (polling1)
      say(
        `- stream cut (polling), ${polling1.viewers} viewer: sign-off → seen p99 ${percentile(polling1.latencies, 99).toFixed(0)} ms (target: within the inbox's ${INBOX_MS / 1000} s interval plus one answer)`,
      );
    say();
  } finally {
    await stack.stop();
    proxy.server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
