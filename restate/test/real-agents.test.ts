// LLM_PROVIDER=openai-compatible and anthropic end to end: a real restate-server (always-replay), the services with
// the model-backed agents and judge, real git workspaces of the demo repositories, and the scripted
// chat-completions server standing in for the models (one script, steered by the finding in the request).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRepoFix } from "../workspace/demo-repos";
import { finding } from "./harness";
import { approve, handIn, startRealAgentsStack, writeFiles, type RealAgentsStack } from "./real-agents-stack";
import { reply } from "./scripted-models";

describe.each(["openai-compatible", "anthropic"] as const)("LLM_PROVIDER=%s", (provider) => {
  let agents: RealAgentsStack;

  beforeAll(async () => {
    agents = await startRealAgentsStack(provider);
  });
  afterAll(async () => {
    await agents?.stop();
  });

  it("a tool-using agent fixes the demo repository, the judge model approves, and the plan carries the real diff", async () => {
    const fixed = await demoRepoFix("web-storefront");
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    const seenByHandIn: string[] = [];
    agents.script(low.id, {
      fast: (turn, request) => {
        switch (turn) {
          case 1:
            return reply.toolCalls([{ name: "list_files", input: { path: "." } }]);
          case 2:
            return reply.toolCalls([{ name: "read_file", input: { path: "package.json" } }]);
          case 3:
            return writeFiles(fixed);
          case 4:
            return reply.toolCalls([{ name: "run_tests", input: {} }]);
          default:
            seenByHandIn.push(JSON.stringify(request.body.messages));
            return handIn("Bump lodash to 4.17.21 in package.json and the lockfile.");
        }
      },
      judge: () => approve(),
    });

    await agents.stack.workflow(low.id).workflowSubmit(low);
    const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval");

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
    const asked = agents.asked(low.id);
    expect(asked.map((request) => request.body.model)).toEqual([...Array(5).fill("scripted-fast"), "scripted-judge"]);
    expect(asked.every((request) => request.seen === 1)).toBe(true);
  });

  it("a 400 from the model fails the rung with the provider's message, and the next rung runs", async () => {
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    agents.script(low.id, {
      fast: () => reply.error(400, "The model `scripted-fast` does not exist"),
      conservative: () => handIn("Bump lodash after looking."),
      judge: () => approve(),
    });

    await agents.stack.workflow(low.id).workflowSubmit(low);
    const status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval");

    expect(status.attempts).toMatchObject([
      {
        agent: "fastExecutor",
        result: "failed",
        reason: expect.stringContaining(`${provider} scripted-fast answered HTTP 400: The model \`scripted-fast\` does not exist`),
      },
      { agent: "conservativeExecutor", result: "accepted" },
    ]);
    const asked = agents.asked(low.id);
    expect(asked.map((request) => [request.body.model, request.seen])).toEqual([
      ["scripted-fast", 1],
      ["scripted-conservative", 1],
      ["scripted-judge", 1],
    ]);
  });

  it("a repository no code host has ends the run with a clear error before any model is asked", async () => {
    const nowhere = finding({ repo: "team/not-hosted-anywhere" });
    await agents.stack.workflow(nowhere.id).workflowSubmit(nowhere);
    const status = await agents.stack.waitFor(nowhere.id, (s) => s.stage === "failed");

    expect(status.failure).toContain('No agent can work on team/not-hosted-anywhere: no code host has the repository "team/not-hosted-anywhere"');
    expect(status.attempts).toEqual([]);
    expect(agents.asked(nowhere.id)).toEqual([]);
  });

  it("judge output that does not parse after one repair rejects the plan with that reason, and the run ends", async () => {
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    agents.script(low.id, {
      fast: () => handIn("Bump lodash."),
      conservative: () => handIn("Bump lodash, carefully."),
      judge: () => reply.text("Looks fine to me."),
    });

    await agents.stack.workflow(low.id).workflowSubmit(low);
    const status = await agents.stack.waitFor(low.id, (s) => s.stage === "failed");

    const reason = "The judge's output did not parse: the reply is not JSON";
    expect(status.attempts).toMatchObject([
      { agent: "fastExecutor", result: "rejected", reason: expect.stringContaining(reason) },
      { agent: "conservativeExecutor", result: "rejected", reason: expect.stringContaining(reason) },
    ]);
    expect(status.attempts[0]?.reason).toMatch(/\(after one repair attempt\)\.$/);
    // Each judge asked twice (the answer and the repair), each request once.
    const judged = agents.asked(low.id).filter((request) => request.body.model === "scripted-judge");
    expect(judged.map((request) => request.seen)).toEqual([1, 1, 1, 1]);
  });
});
