// What a run's models cost, end to end: LLM_PROVIDER=openai-compatible against the scripted server (which
// reports each call's tokens), LLM_PRICES pricing two of the three models, a real restate-server and real
// git workspaces. The rungs' usage and tool calls reach the attempt records whether the rung hands in a
// plan, fails, or is cancelled; the verdict has the judge's; the eval and audit exports have the run's.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRepoFix } from "../workspace/demo-repos";
import { effects, finding } from "./harness";
import { startRealAgentsStack, type RealAgentsStack } from "./real-agents-stack";
import { fixingScript } from "./scripted-findings";
import { reply } from "./scripted-models";

/** USD per million tokens; scripted-conservative has no price. */
const PRICES = { "scripted-fast": { input: 2, output: 8 }, "scripted-judge": { input: 10, output: 30 } };
const usd = (input: number, output: number, price: { input: number; output: number }) => (input * price.input + output * price.output) / 1_000_000;

describe("tokens and cost of a run", () => {
  let agents: RealAgentsStack;

  beforeAll(async () => {
    agents = await startRealAgentsStack("openai-compatible", {
      LLM_PRICES: JSON.stringify(PRICES),
      // The fast rung runs real tests on a busy machine; the conservative one is the runaway here.
      RUNG_TIMEOUTS_MS: "fastExecutor=600000,conservativeExecutor=8000",
    });
  });
  afterAll(async () => {
    await agents?.stop();
  });

  it("adds up each model call into the rung, the verdict and the run, priced by LLM_PRICES, and lists the rung's tool calls and test run", async () => {
    const fixed = await demoRepoFix("web-storefront");
    const low = finding({ repo: "web-storefront" });
    agents.script(low.id, fixingScript(fixed, "Bump lodash to 4.17.21."));

    await agents.stack.workflow(low.id).workflowSubmit(low);
    let status = await agents.stack.waitFor(low.id, (s) => s.stage === "completed" || s.stage === "awaiting-approval");
    if (status.stage === "awaiting-approval") {
      await agents.stack.approve(low.id, { approved: true, approver: "alice" });
      status = await agents.stack.waitForStage(low.id, "completed");
    }

    const rungUsage = { inputTokens: 5700, outputTokens: 650, modelCalls: 4, costUsd: usd(5700, 650, PRICES["scripted-fast"]) };
    const [attempt] = status.attempts;
    expect(attempt).toMatchObject({ agent: "fastExecutor", result: "accepted" });
    expect(attempt?.usage).toEqual({ ...rungUsage, costUsd: expect.closeTo(rungUsage.costUsd, 12) });
    expect(attempt?.toolCalls?.map((call) => [call.turn, call.tool, call.isError])).toEqual([
      [1, "list_files", false],
      ...Object.keys(fixed).map((): [number, string, boolean] => [2, "write_file", false]),
      [3, "run_tests", false],
    ]);
    expect(attempt?.toolCalls?.[0]?.input).toBe('{"path":"."}');
    expect(attempt?.toolCalls?.at(-1)?.output).toMatch(/^\$ node --test\nexit code 0/);
    expect(status.plans[0]?.plan.change?.tests).toMatchObject({ command: "node --test", exitCode: 0, passed: true, output: expect.stringContaining("pass 3") });

    const judgeUsage = { inputTokens: 3000, outputTokens: 40, modelCalls: 1, costUsd: usd(3000, 40, PRICES["scripted-judge"]) };
    expect(status.verdict?.usage).toEqual({ ...judgeUsage, costUsd: expect.closeTo(judgeUsage.costUsd, 12) });

    const runUsage = { inputTokens: 8700, outputTokens: 690, modelCalls: 5, costUsd: expect.closeTo(rungUsage.costUsd + judgeUsage.costUsd, 12) };
    const [evalExport] = effects(agents.stack.ledger(low.id), "export-eval");
    const [auditExport] = effects(agents.stack.ledger(low.id), "export-audit-record");
    expect((evalExport?.detail as { usage?: unknown }).usage).toEqual(runUsage);
    expect((auditExport?.detail as { usage?: unknown }).usage).toEqual(runUsage);
  });

  it("a rung that fails, and a runaway rung that is cancelled, still report what they spent and did; a model without a price costs null", async () => {
    const low = finding({ repo: "web-storefront" });
    agents.script(low.id, {
      fast: (turn) =>
        turn === 1 ? reply.toolCalls([{ name: "list_files", input: { path: "." } }], { input: 400, output: 40 }) : reply.error(400, "context length exceeded"),
      // Looks around forever, until its rung's 8 s are up.
      conservative: () => reply.toolCalls([{ name: "read_file", input: { path: "package.json" } }], { input: 100, output: 10 }),
    });

    await agents.stack.workflow(low.id).workflowSubmit(low);
    const status = await agents.stack.waitForStage(low.id, "failed");

    const [failed, timedOut] = status.attempts;
    expect(failed).toMatchObject({ agent: "fastExecutor", result: "failed", reason: expect.stringContaining("context length exceeded") });
    expect(failed?.usage).toEqual({ inputTokens: 400, outputTokens: 40, modelCalls: 1, costUsd: usd(400, 40, PRICES["scripted-fast"]) });
    expect(failed?.toolCalls?.map((call) => call.tool)).toEqual(["list_files"]);

    expect(timedOut).toMatchObject({ agent: "conservativeExecutor", result: "timed-out" });
    const turns = timedOut?.usage?.modelCalls ?? 0;
    expect(turns).toBeGreaterThan(1);
    expect(timedOut?.usage).toEqual({ inputTokens: 100 * turns, outputTokens: 10 * turns, modelCalls: turns, costUsd: null });
    // Every call the model made was asked once; the rung records each turn's tool call it ran.
    const asked = agents.asked(low.id).filter((request) => request.body.model === "scripted-conservative");
    expect(asked.length).toBeGreaterThanOrEqual(turns);
    expect(new Set(timedOut?.toolCalls?.map((call) => call.tool))).toEqual(new Set(["read_file"]));

    const [auditExport] = effects(agents.stack.ledger(low.id), "export-audit-record");
    expect((auditExport?.detail as { usage?: unknown }).usage).toEqual({
      inputTokens: 400 + 100 * turns,
      outputTokens: 40 + 10 * turns,
      modelCalls: 1 + turns,
      costUsd: null,
    });
  });
});
