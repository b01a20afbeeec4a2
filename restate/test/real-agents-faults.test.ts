// Real agents (LLM_PROVIDER=openai-compatible, the real provider package over HTTP to the scripted
// server) when things go wrong: the services SIGKILLed mid-loop and mid-judge, a rate-limited model, a
// model that never stops calling tools or uses up its tokens, and tool calls that break the workspace's rules.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRepoFix } from "../workspace/demo-repos";
import { finding } from "./harness";
import { approve, handIn, roleOf, startRealAgentsStack, turnOf, writeFiles, type RealAgentsStack, type Turn } from "./real-agents-stack";
import { reply, type ScriptedRequest } from "./scripted-models";

let agents: RealAgentsStack;
let fix: Record<string, string>;
beforeAll(async () => {
  agents = await startRealAgentsStack("openai-compatible");
  fix = await demoRepoFix("web-storefront");
});
afterAll(async () => {
  await agents?.stop();
});

const lodash = () => finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
/** Each request as [role, turn, how many times that exact request had arrived]. */
const asked = (findingId: string) => agents.asked(findingId).map((request) => [roleOf(request), turnOf(request), request.seen]);

/** Names of a journal's steps (its `Command: Run` entries), in order. */
async function steps(invocationId: string): Promise<string[]> {
  const rows = await agents.stack.sql<{ name: string }>(
    `SELECT name FROM sys_journal WHERE id = '${invocationId}' AND entry_type = 'Command: Run' ORDER BY index`,
  );
  return rows.map((row) => row.name);
}
async function runInvocation(findingId: string): Promise<string> {
  const [row] = await agents.stack.sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${findingId}/run'`);
  return row!.id;
}

/**
 * Makes `turn` hang the first time it is asked (its answer would come in ten minutes) and SIGKILLs the
 * services while it hangs; asked again after the restart, it answers.
 */
function crashOnFirstAsk(turn: Turn, crashes: Promise<void>[]): Turn {
  return (n, request) => {
    if (request.seen > 1) return turn(n, request);
    crashes.push(agents.stack.restartServices("kill"));
    return reply.slow(600_000, turn(n, request));
  };
}

it("the services SIGKILLed at executor turns 2 and 4 and in the judge's turn: no journaled model turn is asked again, and the run ends with the real diff", async () => {
  const low = lodash();
  const crashes: Promise<void>[] = [];
  const fast: Turn = (turn) =>
    [
      reply.toolCalls([{ name: "list_files", input: { path: "." } }]),
      reply.toolCalls([{ name: "read_file", input: { path: "package.json" } }]),
      writeFiles(fix),
      reply.toolCalls([{ name: "run_tests", input: {} }]),
    ][turn - 1] ?? handIn("Bump lodash to 4.17.21 in package.json and the lockfile.");
  const crashing = crashOnFirstAsk(fast, crashes);
  agents.script(low.id, {
    fast: (turn, request) => (turn === 2 || turn === 4 ? crashing : fast)(turn, request),
    judge: crashOnFirstAsk(() => approve(), crashes),
  });

  await agents.stack.workflow(low.id).workflowSubmit(low);
  const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");
  await Promise.all(crashes);

  expect(crashes).toHaveLength(3);
  expect(status.attempts).toMatchObject([{ agent: "fastExecutor", result: "accepted" }]);
  expect(status.plans[0]?.plan.change?.diff).toContain('-    "lodash": "4.17.15"\n+    "lodash": "4.17.21"');
  expect(status.verdict).toMatchObject({ approved: true });
  // Turns 1, 3 and 5 were journaled before any crash could reach them: asked once. The turns a crash cut
  // (2, 4 and the judge's) had no answer in the journal: asked a second time, and never a third.
  expect(asked(low.id)).toEqual([
    ["fast", 1, 1],
    ["fast", 2, 1],
    ["fast", 2, 2],
    ["fast", 3, 1],
    ["fast", 4, 1],
    ["fast", 4, 2],
    ["fast", 5, 1],
    ["judge", 1, 1],
    ["judge", 1, 2],
  ]);
  // One sub-agent invocation, one step per model turn and tool call, whatever the restarts.
  const rung = status.attempts[0]!.subAgentInvocationId;
  expect(await steps(rung)).toEqual([
    "open scratch workspace",
    "model fast turn 1",
    "turn 1: list_files",
    "model fast turn 2",
    "turn 2: read_file",
    "model fast turn 3",
    "turn 3: write_file",
    "turn 3: write_file",
    "model fast turn 4",
    "turn 4: run_tests",
    "model fast turn 5",
    "diff scratch workspace",
    "discard scratch workspace",
  ]);
  expect(existsSync(agents.workspaceOf(rung))).toBe(false);
});

it("the judge's repair is its own journaled step: the services SIGKILLed during the repair, the first answer is not asked for again", async () => {
  const low = lodash();
  const crashes: Promise<void>[] = [];
  const repair = crashOnFirstAsk(() => approve(), crashes);
  agents.script(low.id, {
    fast: (turn) => (turn === 1 ? writeFiles(fix) : handIn("Bump lodash.")),
    judge: (turn, request) => (turn === 1 ? reply.text("Looks fine to me.") : repair(turn, request)),
  });

  await agents.stack.workflow(low.id).workflowSubmit(low);
  const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");
  await Promise.all(crashes);

  expect(crashes).toHaveLength(1);
  expect(status.verdict).toMatchObject({ approved: true, commentary: expect.stringContaining("fixes the prototype pollution") });
  expect(asked(low.id).filter(([role]) => role === "judge")).toEqual([
    ["judge", 1, 1],
    ["judge", 2, 1],
    ["judge", 2, 2],
  ]);
  const judgeSteps = (await steps(await runInvocation(low.id))).filter((name) => name.startsWith("judge plan of"));
  expect(judgeSteps).toEqual(["judge plan of fastExecutor: model turn 1", "judge plan of fastExecutor: model turn 2"]);
});

it("429 with Retry-After, then an answer, for an executor turn and the judge: one journaled step each, the server counted two requests each", async () => {
  const low = lodash();
  const limited =
    (answer: Turn): Turn =>
    (turn, request) =>
      request.seen === 1 ? reply.error(429, "Rate limit reached", { "retry-after": "1" }) : answer(turn, request);
  agents.script(low.id, {
    fast: limited((turn) => (turn === 1 ? writeFiles(fix) : handIn("Bump lodash."))),
    judge: limited(() => approve()),
  });

  await agents.stack.workflow(low.id).workflowSubmit(low);
  const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");

  expect(status.attempts).toMatchObject([{ agent: "fastExecutor", result: "accepted" }]);
  expect(asked(low.id)).toEqual([
    ["fast", 1, 1],
    ["fast", 1, 2],
    ["fast", 2, 1],
    ["fast", 2, 2],
    ["judge", 1, 1],
    ["judge", 1, 2],
  ]);
  // Each second request came no sooner than the Retry-After asked.
  const requests = agents.asked(low.id);
  for (const [first, again] of [
    [0, 1],
    [2, 3],
    [4, 5],
  ] as const)
    expect(requests[again]!.at - requests[first]!.at).toBeGreaterThanOrEqual(900);
  const rungSteps = await steps(status.attempts[0]!.subAgentInvocationId);
  expect(rungSteps.filter((name) => name.startsWith("model fast"))).toEqual(["model fast turn 1", "model fast turn 2"]);
  const judgeSteps = (await steps(await runInvocation(low.id))).filter((name) => name.startsWith("judge plan of"));
  expect(judgeSteps).toEqual(["judge plan of fastExecutor: model turn 1"]);
});

it("a model that never stops calling tools is stopped at the turn limit: the rung fails with the reason, its workspace is removed, and the next rung runs", async () => {
  const low = lodash();
  agents.script(low.id, {
    fast: (turn) => reply.toolCalls([{ name: "search_code", input: { text: `lodash ${turn}` } }]),
    conservative: (turn) => (turn === 1 ? writeFiles(fix) : handIn("Bump lodash, carefully.")),
    judge: () => approve(),
  });

  await agents.stack.workflow(low.id).workflowSubmit(low);
  const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");

  expect(status.attempts).toMatchObject([
    { agent: "fastExecutor", result: "failed", reason: "fastExecutor gave up after 40 turns without a plan." },
    { agent: "conservativeExecutor", result: "accepted" },
  ]);
  const fastTurns = asked(low.id).filter(([role]) => role === "fast");
  expect(fastTurns).toEqual(Array.from({ length: 40 }, (_, i) => ["fast", i + 1, 1]));
  expect(existsSync(agents.workspaceOf(status.attempts[0]!.subAgentInvocationId))).toBe(false);
  // The conservative rung was told why the fast one failed.
  const conservativeFirst = agents.asked(low.id).find((request) => roleOf(request) === "conservative");
  expect(JSON.stringify(conservativeFirst?.body.messages)).toContain("gave up after 40 turns without a plan");
});

it("a model whose turns use up the token budget is stopped: the rung fails with the count, and the next rung runs", async () => {
  const low = lodash();
  agents.script(low.id, {
    fast: () => reply.toolCalls([{ name: "list_files", input: { path: "." } }], { input: 600_000, output: 5 }),
    conservative: (turn) => (turn === 1 ? writeFiles(fix) : handIn("Bump lodash, carefully.")),
    judge: () => approve(),
  });

  await agents.stack.workflow(low.id).workflowSubmit(low);
  const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");

  expect(status.attempts).toMatchObject([
    { agent: "fastExecutor", result: "failed", reason: "fastExecutor gave up after 1200010 tokens (the limit is 1000000) without a plan." },
    { agent: "conservativeExecutor", result: "accepted" },
  ]);
  expect(asked(low.id).filter(([role]) => role === "fast")).toEqual([
    ["fast", 1, 1],
    ["fast", 2, 1],
  ]);
});

/** The tool results the model was sent in `request` (its tool messages' contents), in order. */
function toolResultsIn(request: ScriptedRequest): string[] {
  const messages = request.body.messages as { role: string; content: unknown }[];
  return messages.filter((message) => message.role === "tool").map((message) => String(message.content));
}

describe("the workspace's rules, through the agent loop", () => {
  let outside: Server;
  let outsideHits = 0;
  let outsideUrl = "";
  beforeAll(async () => {
    outside = createServer((_request, response) => {
      outsideHits += 1;
      response.end("reached");
    });
    await new Promise<void>((ready) => outside.listen(0, "127.0.0.1", ready));
    outsideUrl = `http://127.0.0.1:${(outside.address() as AddressInfo).port}/`;
    // A repository that carries a symbolic link out of any clone of it.
    const repo = join(agents.reposDir, "link-carrier");
    mkdirSync(repo, { recursive: true });
    writeFileSync(join(repo, "README.md"), "A repository with a link to /etc.\n");
    symlinkSync("/etc", join(repo, "config"));
    const git = (...args: string[]) => execFileSync("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", ...args], { cwd: repo });
    git("init", "-q");
    git("add", ".");
    git("commit", "-q", "-m", "a link out");
  });
  afterAll(() => new Promise<void>((closed) => (outside ? outside.close(() => closed()) : closed())));

  it("refusals go back to the model as the tool's results: a path outside, a link out, a command off the allowlist, output past the cap, a test that calls the network", async () => {
    const carrier = finding({ severity: "low", repo: "link-carrier", description: "a link to /etc in the repository" });
    const networkTest = `const { test } = require("node:test");\ntest("calls out", async () => {\n  await fetch(${JSON.stringify(outsideUrl)});\n});\n`;
    agents.script(carrier.id, {
      fast: (turn) => {
        if (turn === 1) return writeFiles({ "loud.test.js": 'process.stdout.write("x".repeat(2_000_000));\n', "network.test.js": networkTest });
        if (turn === 2)
          return reply.toolCalls([
            { name: "read_file", input: { path: "../../../etc/passwd" } },
            { name: "read_file", input: { path: "config/passwd" } },
            { name: "run_tests", input: { command: `curl ${outsideUrl}` } },
            { name: "run_tests", input: { command: "node --test loud.test.js" } },
            { name: "run_tests", input: { command: "node --test network.test.js" } },
          ]);
        return handIn("Nothing to change.");
      },
      judge: () => approve(),
    });

    await agents.stack.workflow(carrier.id).workflowSubmit(carrier);
    const status = await agents.stack.waitFor(carrier.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval" || s.stage === "failed");

    expect(status.attempts[0]).toMatchObject({ agent: "fastExecutor" });
    const handingIn = agents.asked(carrier.id).find((request) => roleOf(request) === "fast" && turnOf(request) === 3)!;
    const [traversal, link, curl, loud, network] = toolResultsIn(handingIn).slice(2);
    expect(traversal).toMatch(/^Refused: "..\/..\/..\/etc\/passwd" is outside the workspace/);
    expect(link).toMatch(/^Refused: "config\/passwd" leads outside the workspace through a symbolic link/);
    expect(curl).toMatch(/^Refused: "curl http:\/\/127\.0\.0\.1:\d+\/" is not an allowed command/);
    expect(loud).toMatch(/\[truncated: \d+ more bytes past the 32768-byte cap\]/);
    expect(loud!.length).toBeLessThan(32_768 + 2_000);
    expect(network).toMatch(/fetch failed|ECONNREFUSED|ENETUNREACH|no sandbox works/);
    expect(outsideHits).toBe(0);
  });
});
