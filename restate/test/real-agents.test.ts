// LLM_PROVIDER=openai-compatible and anthropic end to end: a real restate-server (always-replay), the services with
// the model-backed agents and judge, real git workspaces of the demo repositories, and the scripted
// chat-completions server standing in for the models (one script, steered by the finding in the request).
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRepoFix } from "../workspace/demo-repos";
import { finding, startTestStack, type TestStack } from "./harness";
import { reply, startScriptedModelServer, type ScriptedModelServer, type ScriptedReply, type ScriptedRequest } from "./scripted-models";

type Role = "fast" | "conservative" | "judge";
type Turn = (turn: number, request: ScriptedRequest) => ScriptedReply;

/** What the models answer for one finding: by role, and for an executor by its turn. */
const scripts = new Map<string, Partial<Record<Role, Turn>>>();

describe.each(["openai-compatible", "anthropic"] as const)("LLM_PROVIDER=%s", (provider) => {
  let models: ScriptedModelServer;
  let stack: TestStack;
  let root: string;

  function route(request: ScriptedRequest): ScriptedReply {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const text = JSON.stringify(messages);
    const findingId = /Finding (test-[\w-]+)/.exec(text)?.[1];
    const role = String(request.body.model).replace("scripted-", "") as Role;
    const turn = messages.filter((message) => message.role === "assistant").length + 1;
    const script = findingId ? scripts.get(findingId)?.[role] : undefined;
    return script ? script(turn, request) : reply.error(400, `no script for ${findingId ?? "an unknown finding"} as ${role}`);
  }

  beforeAll(async () => {
    models = await startScriptedModelServer((request) => route(request));
    // The sandbox runs tests as `nobody` when the services run as root: the workspaces must be reachable.
    root = mkdtempSync(join(tmpdir(), "real-agents-"));
    chmodSync(root, 0o755);
    stack = await startTestStack({
      servicesEnv: {
        LLM_PROVIDER: provider,
        LLM_BASE_URL: models.url,
        LLM_API_KEY: "scripted-key",
        LLM_MODEL_FAST: "scripted-fast",
        LLM_MODEL_CONSERVATIVE: "scripted-conservative",
        LLM_MODEL_JUDGE: "scripted-judge",
        REPOS_DIR: join(root, "repos"),
        WORKSPACES_DIR: join(root, "workspaces"),
        // Real model round trips and a real test run: no rung should run out of time on a busy machine.
        RUNG_TIMEOUTS_MS: "fastExecutor=600000,conservativeExecutor=600000",
      },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    await models?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const handIn = (summary: string) =>
    reply.toolCalls([
      {
        name: "hand_in_plan",
        input: {
          summary,
          steps: [{ description: "Merge the pull request" }],
          rollback: ["Revert the pull request"],
          confidence: 0.9,
          ticket: { title: "Bump lodash", body: summary },
          pullRequest: { title: "fix: bump lodash to 4.17.21", branch: "remediation/lodash", body: summary },
        },
      },
    ]);

  const approve = () => reply.json({ verdict: "approve", commentary: "The bump to 4.17.21 fixes the prototype pollution and the tests pass." });

  it("a tool-using agent fixes the demo repository, the judge model approves, and the plan carries the real diff", async () => {
    const fixed = await demoRepoFix("web-storefront");
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    const seenByHandIn: string[] = [];
    scripts.set(low.id, {
      fast: (turn, request) => {
        switch (turn) {
          case 1:
            return reply.toolCalls([{ name: "list_files", input: { path: "." } }]);
          case 2:
            return reply.toolCalls([{ name: "read_file", input: { path: "package.json" } }]);
          case 3:
            return reply.toolCalls(Object.entries(fixed).map(([path, content]) => ({ name: "write_file", input: { path, content } })));
          case 4:
            return reply.toolCalls([{ name: "run_tests", input: {} }]);
          default:
            seenByHandIn.push(JSON.stringify(request.body.messages));
            return handIn("Bump lodash to 4.17.21 in package.json and the lockfile.");
        }
      },
      judge: () => approve(),
    });

    await stack.workflow(low.id).workflowSubmit(low);
    const status = await stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval");

    expect(status.attempts).toMatchObject([{ agent: "fastExecutor", result: "accepted" }]);
    const plan = status.plans[0]?.plan;
    expect(plan?.summary).toBe("Bump lodash to 4.17.21 in package.json and the lockfile.");
    expect(plan?.steps).toEqual([{ repo: "web-storefront", description: "Merge the pull request" }]);
    expect(plan?.change?.files.sort()).toEqual(["package-lock.json", "package.json"]);
    expect(plan?.change?.diff).toMatch(/^diff --git a\/package-lock.json b\/package-lock.json/m);
    expect(plan?.change?.diff).toContain('-    "lodash": "4.17.15"\n+    "lodash": "4.17.21"');
    expect(plan?.change?.baseRevision).toMatch(/^[0-9a-f]{40}$/);
    expect(plan?.change?.tests).toMatchObject({ command: "node --test", exitCode: 0, passed: true });
    // The model read the listing, the file and the test run as its tools' results.
    expect(seenByHandIn[0]).toContain("package-lock.json");
    expect(seenByHandIn[0]).toContain('\\"lodash\\": \\"4.17.15\\"');
    expect(seenByHandIn[0]).toMatch(/\$ node --test\\nexit code 0/);
    expect(status.verdict).toMatchObject({ approved: true, judgeModel: `${provider} scripted-judge` });
    expect(status.verdict?.checks.at(-1)).toEqual({ name: "judge-model-review", passed: true, reason: "The judge model approves the change." });
    expect(status.verdict?.commentary).toContain("fixes the prototype pollution");
    // Five executor turns and one judge turn, each asked exactly once however often the services replayed.
    const asked = models.requests.filter((request) => JSON.stringify(request.body.messages).includes(low.id));
    expect(asked.map((request) => request.body.model)).toEqual([...Array(5).fill("scripted-fast"), "scripted-judge"]);
    expect(asked.every((request) => request.seen === 1)).toBe(true);
  });

  it("a 400 from the model fails the rung with the provider's message, and the next rung runs", async () => {
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    scripts.set(low.id, {
      fast: () => reply.error(400, "The model `scripted-fast` does not exist"),
      conservative: () => handIn("Bump lodash after looking."),
      judge: () => approve(),
    });

    await stack.workflow(low.id).workflowSubmit(low);
    const status = await stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval");

    expect(status.attempts).toMatchObject([
      {
        agent: "fastExecutor",
        result: "failed",
        reason: expect.stringContaining(`${provider} scripted-fast answered HTTP 400: The model \`scripted-fast\` does not exist`),
      },
      { agent: "conservativeExecutor", result: "accepted" },
    ]);
    const asked = models.requests.filter((request) => JSON.stringify(request.body.messages).includes(low.id));
    expect(asked.map((request) => [request.body.model, request.seen])).toEqual([
      ["scripted-fast", 1],
      ["scripted-conservative", 1],
      ["scripted-judge", 1],
    ]);
  });

  it("a repository no code host has ends the run with a clear error before any model is asked", async () => {
    const nowhere = finding({ repo: "team/not-hosted-anywhere" });
    await stack.workflow(nowhere.id).workflowSubmit(nowhere);
    const status = await stack.waitFor(nowhere.id, (s) => s.stage === "failed");

    expect(status.failure).toContain('No agent can work on team/not-hosted-anywhere: no code host has the repository "team/not-hosted-anywhere"');
    expect(status.attempts).toEqual([]);
    expect(models.requests.filter((request) => JSON.stringify(request.body.messages).includes(nowhere.id))).toEqual([]);
  });

  it("judge output that does not parse after one repair rejects the plan with that reason, and the run ends", async () => {
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    scripts.set(low.id, {
      fast: () => handIn("Bump lodash."),
      conservative: () => handIn("Bump lodash, carefully."),
      judge: () => reply.text("Looks fine to me."),
    });

    await stack.workflow(low.id).workflowSubmit(low);
    const status = await stack.waitFor(low.id, (s) => s.stage === "failed");

    const reason = "The judge's output did not parse: the reply is not JSON";
    expect(status.attempts).toMatchObject([
      { agent: "fastExecutor", result: "rejected", reason: expect.stringContaining(reason) },
      { agent: "conservativeExecutor", result: "rejected", reason: expect.stringContaining(reason) },
    ]);
    expect(status.attempts[0]?.reason).toMatch(/\(after one repair attempt\)\.$/);
    // Each judge asked twice (the answer and the repair), each request once.
    const judged = models.requests.filter((request) => request.body.model === "scripted-judge" && JSON.stringify(request.body.messages).includes(low.id));
    expect(judged.map((request) => request.seen)).toEqual([1, 1, 1, 1]);
  });
});
