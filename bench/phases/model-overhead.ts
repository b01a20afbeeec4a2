// 6. The durable model layer: the auto-clear path with LLM_PROVIDER=openai-compatible (the real provider
// package over HTTP to the scripted model server, answering at once) beside the stub provider. Two stacks
// started alike, one per provider, runs alternating between them; sequential p50/p99 and the p50 ratio.
// Both work alike in a real workspace of the same demo repository: clone, write the fix, run its tests,
// diff, remove. The scripted model asks for exactly the tool calls the stub's fast agent makes, so the
// ratio holds what the durable model layer adds, not different work.
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startStack, type Env, type Stack } from "../../scripts/stack";
import { callModelOnce } from "../../restate/models/durable-model";
import { languageModelFor } from "../../restate/models/providers";
import { reply, startScriptedModelServer, type ScriptedRequest } from "../../restate/test/scripted-models";
import { demoRepoFix } from "../../restate/workspace/demo-repos";
import { diffOf, discardWorkspace, openWorkspace } from "../../restate/workspace/workspaces";
import { addRound, median, ms, newFigures, percentile, timed } from "../measure";
import type { Report } from "../report";
import type { Settings } from "../settings";

/** The bar: the durable model layer adds at most this to the auto-clear path's p50. */
const TARGET_P50_RATIO = 1.25;

const roleOf = (request: ScriptedRequest) => String(request.body.model).replace("bench-", "");

/** The repository both providers work in: a demo repository whose fix the stub knows. */
const BENCH_REPO = "web-storefront";

/**
 * As the stub's fast agent on this path: the first turn reads the fix's files, writes the fix and runs the
 * tests; the second hands in the plan. The judge approves.
 */
function scriptedAnswer(request: ScriptedRequest, fix: Record<string, string>) {
  if (roleOf(request) === "judge") return reply.json({ verdict: "approve", commentary: "The upgrade fixes the finding." });
  const toolRounds = (request.body.messages as { role: string }[]).filter((message) => message.role === "tool").length;
  if (toolRounds === 0) {
    return reply.toolCalls([
      ...Object.keys(fix).map((path) => ({ name: "read_file", input: { path } })),
      ...Object.entries(fix).map(([path, content]) => ({ name: "write_file", input: { path, content } })),
      { name: "run_tests", input: {} },
    ]);
  }
  return reply.toolCalls([
    {
      name: "hand_in_plan",
      input: {
        summary: "Upgrade lodash to the fixed release.",
        steps: [{ description: "Upgrade lodash to 4.17.21" }],
        rollback: ["Revert the pull request"],
        confidence: 0.9,
        ticket: { title: "Upgrade lodash", body: "Prototype pollution in lodash 4.17.15." },
        pullRequest: { title: "fix: upgrade lodash", branch: "remediation/lodash", body: "Upgrade lodash to 4.17.21." },
      },
    },
  ]);
}

interface AutoClearResult {
  outcome: string;
  attempts: { agent: string; result: string }[];
}

export async function modelOverhead(report: Report, settings: Settings): Promise<void> {
  const fix = await demoRepoFix(BENCH_REPO);
  const models = await startScriptedModelServer((request) => scriptedAnswer(request, fix));
  const dir = mkdtempSync(join(tmpdir(), "remediation-bench-models-"));
  chmodSync(dir, 0o755);
  const stacks: Stack[] = [];
  const start = async (name: string, env: Env) => {
    const stack = await startStack({
      dataDir: join(dir, name),
      engine: { suspendAfter: "10s" }, // as npm start
      services: { env: { STUB_LATENCY_SCALE: "0", ...env } },
    });
    stacks.push(stack);
    return stack;
  };
  try {
    const stub = await start("stub", { REPOS_DIR: join(dir, "stub-repos"), WORKSPACES_DIR: join(dir, "stub-workspaces") });
    const real = await start("openai-compatible", {
      LLM_PROVIDER: "openai-compatible",
      LLM_BASE_URL: models.url,
      LLM_MODEL_FAST: "bench-fast",
      LLM_MODEL_CONSERVATIVE: "bench-conservative",
      LLM_MODEL_JUDGE: "bench-judge",
      REPOS_DIR: join(dir, "repos"),
      WORKSPACES_DIR: join(dir, "workspaces"),
    });
    let counter = 0;
    const autoClear = (stack: Stack, repo: string) => async () => {
      const id = `models-${(counter++).toString(36)}`;
      const response = await fetch(`${stack.server.ingressUrl}/RemediationWorkflow/${id}/run`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id, source: "bench", severity: "low", description: "outdated lodash", repo }),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${id}: ${response.status} ${text}`);
      return JSON.parse(text) as AutoClearResult;
    };
    const runs = { stub: autoClear(stub, BENCH_REPO), model: autoClear(real, BENCH_REPO) };

    // Warm up both, and check that each takes the auto-clear path (the fast rung accepted, no gate).
    for (let i = 0; i < 10; i++) {
      for (const [name, run] of Object.entries(runs)) {
        const result = await run();
        const path = result.attempts.map((attempt) => `${attempt.agent} ${attempt.result}`).join(", ");
        if (result.outcome !== "completed" || result.attempts.length !== 1)
          throw new Error(`the ${name} run did not take the auto-clear path: ${result.outcome} (${path})`);
      }
    }
    const asked = models.requests.length;

    const seq = { stub: newFigures(), model: newFigures() };
    for (let round = 0; round < settings.rounds; round++) {
      const samples = { stub: [] as number[], model: [] as number[] };
      for (let i = 0; i < settings.sequential; i++) {
        samples.stub.push(await timed(runs.stub));
        samples.model.push(await timed(runs.model));
      }
      addRound(seq.stub, samples.stub);
      addRound(seq.model, samples.model);
    }
    const measuredRuns = settings.rounds * settings.sequential;
    const requestsPerRun = (models.requests.length - asked) / measuredRuns;
    const parts = await modelPathParts(models.url, { reposDir: join(dir, "repos"), workspacesDir: join(dir, "parts") }, settings.sequential);
    const p50Ratio = median(seq.model.p50) / median(seq.stub.p50);
    const p99Ratio = median(seq.model.p99) / median(seq.stub.p99);

    report.say(`## 6. Durable model layer (auto-clear path, zero model latency)`);
    report.say();
    report.say(
      `Two stacks started alike, runs alternating: the stub provider, and LLM_PROVIDER=openai-compatible against the scripted chat-completions server on loopback (${requestsPerRun.toFixed(0)} model requests a run: the fast agent's two turns and the judge's). Both clone ${BENCH_REPO} into a real workspace, write the same fix, run its tests, diff and remove it: the same tool calls, so the difference is the model layer. ${settings.sequential} sequential runs of each per round.`,
    );
    report.say();
    report.table(
      ["provider", "seq p50", "seq p99"],
      [
        ["stub", ms(median(seq.stub.p50)), ms(median(seq.stub.p99))],
        ["openai-compatible (scripted, 0 ms)", ms(median(seq.model.p50)), ms(median(seq.model.p99))],
        [
          "ratio",
          `${p50Ratio.toFixed(2)}× (target ≤ ${TARGET_P50_RATIO}×: ${p50Ratio <= TARGET_P50_RATIO ? "holds" : "does not hold"})`,
          `${p99Ratio.toFixed(2)}×`,
        ],
      ],
    );
    report.say();
    report.say(
      `Where the difference goes, timed in the benchmark's own process (p50 of ${settings.sequential}): a workspace's clone, diff and removal ${ms(parts.workspace)}; one model call through the provider package to the scripted server ${ms(parts.modelCall)} (three a run).`,
    );
    report.say();
  } finally {
    for (const stack of stacks.reverse()) await stack.stop();
    await models.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The model path's own work outside the engine: a workspace's life, and one model call. */
async function modelPathParts(modelsUrl: string, locations: { reposDir: string; workspacesDir: string }, samples: number) {
  const model = languageModelFor({ role: "fast", provider: "openai-compatible", baseUrl: modelsUrl, model: "bench-fast", apiKey: undefined });
  const workspace: number[] = [];
  const modelCall: number[] = [];
  for (let i = 0; i < samples; i++) {
    workspace.push(
      await timed(async () => {
        const opened = await openWorkspace({ repo: "web-storefront", runKey: `parts-${i}` }, locations);
        await diffOf(opened);
        await discardWorkspace(opened);
      }),
    );
    modelCall.push(await timed(() => callModelOnce(model, { messages: [{ role: "user", content: `Finding parts-${i}` }] })));
  }
  return { workspace: percentile(workspace, 50), modelCall: percentile(modelCall, 50) };
}
