// The executor sub-agents, one handler per rung of restate/contracts/rungs.ts. Each call from the
// supervisor is its own invocation with its own journal, so an agent can be watched, timed out and
// cancelled independently of the supervisor. An agent is a loop: the model reads the transcript and
// either calls tools in a scratch workspace (their results join the transcript) or hands in a plan.
import * as restate from "@restatedev/restate-sdk";
import { callAdapter, MODEL_RETRY } from "../adapters/call-adapter";
import { adapters } from "../adapters/index";
import type { ToolResult, TranscriptMessage } from "../adapters/ports";
import { LADDER_RUNGS, type ExecutorName, type ExecutorStyle } from "../contracts/rungs";
import { ExecutorRequestSchema, PlanSchema, type ExecutorRequest, type Plan } from "../contracts/schemas";
import { SERVICE_NAMES } from "../contracts/services";

/** An agent that has not handed in a plan after this many turns gives up on its own. */
const MAX_TURNS = 40;
/** Tokens in and out over all of a rung's model turns (as the provider reports them) before it gives up. */
const MAX_TOKENS = 1_000_000;
/** Agents pace their tool calls; a runaway agent is one that keeps going past its rung's timeout. */
const TURN_PAUSE_MS = 250;

/** Tools that change the workspace: a test run before them no longer tells about the change. */
const CHANGING_TOOLS = new Set(["write_file", "apply_patch"]);

const STYLE_PROMPTS: Record<ExecutorStyle, string> = {
  fast: "Fix it with the fewest steps you can.",
  conservative: "Look at the repository before you change anything; keep every step reversible and stage the rollout.",
};

function openingTranscript(style: ExecutorStyle, { finding, priorRejections }: ExecutorRequest): TranscriptMessage[] {
  const rejections = priorRejections.length
    ? `\n\nPlans for this finding were rejected before:\n${priorRejections.map((reason) => `- ${reason}`).join("\n")}`
    : "";
  return [
    {
      role: "system",
      content: `You remediate security findings in a scratch checkout of the affected repository. ${STYLE_PROMPTS[style]} Hand in a plan with steps, a rollback, a ticket and a pull request.`,
    },
    {
      role: "user",
      content: `Finding ${finding.id} (${finding.severity}, reported by ${finding.source}) in ${finding.repo}:\n${finding.description}${rejections}`,
    },
  ];
}

async function runExecutor(ctx: restate.Context, agent: string, style: ExecutorStyle, request: ExecutorRequest): Promise<Plan> {
  const { finding } = request;
  const workspace = await callAdapter(
    ctx,
    "open scratch workspace",
    () => adapters.workspace.open({ idempotencyKey: `${ctx.request().id}/workspace`, findingId: finding.id, agent, repo: finding.repo }),
    { retry: MODEL_RETRY },
  );
  const discardWorkspace = () =>
    callAdapter(
      ctx,
      "discard scratch workspace",
      () => adapters.workspace.discard({ idempotencyKey: `${ctx.request().id}/discard`, findingId: finding.id, workspace }),
      { retry: MODEL_RETRY },
    );

  const transcript = openingTranscript(style, request);
  let tokens = 0;
  /** The last test run with no change made after it: the plan's test result. */
  let tests: ToolResult["testRun"];
  try {
    for (let turn = 1; turn <= MAX_TURNS; turn++) {
      const next = await adapters.planner.nextTurn(ctx, { agent, style, transcript, tools: adapters.workspace.tools, finding, turn });
      tokens += (next.usage?.inputTokens ?? 0) + (next.usage?.outputTokens ?? 0);
      if (tokens > MAX_TOKENS) throw new restate.TerminalError(`${agent} gave up after ${tokens} tokens (the limit is ${MAX_TOKENS}) without a plan.`);
      if (next.kind === "plan") {
        const plan = PlanSchema.safeParse(next.plan);
        if (!plan.success) throw new restate.TerminalError(`${agent} handed in a malformed plan: ${plan.error.issues[0]?.message}`);
        // The change is what the workspace holds, not what the model says it did.
        const changed = await callAdapter(ctx, "diff scratch workspace", () => adapters.workspace.diff({ findingId: finding.id, workspace }), {
          retry: MODEL_RETRY,
        });
        await discardWorkspace();
        const handedIn = workspace.noWorkspace ? { ...plan.data, noWorkspace: workspace.noWorkspace } : plan.data;
        return changed.diff || tests ? { ...handedIn, change: { baseRevision: workspace.baseRevision, ...changed, ...(tests && { tests }) } } : handedIn;
      }
      transcript.push({ role: "assistant", content: next.text, toolCalls: next.calls });
      const results: ToolResult[] = [];
      for (const call of next.calls) {
        if (call.invalidInput !== undefined) {
          results.push({ toolCallId: call.toolCallId, toolName: call.toolName, output: call.invalidInput, isError: true });
          continue;
        }
        const result = await callAdapter(ctx, `turn ${turn}: ${call.toolName}`, () => adapters.workspace.runTool({ findingId: finding.id, workspace, call }), {
          retry: MODEL_RETRY,
        });
        if (result.testRun) tests = result.testRun;
        else if (!result.isError && CHANGING_TOOLS.has(call.toolName)) tests = undefined;
        results.push(result);
      }
      transcript.push({ role: "tool", results });
      await ctx.sleep(TURN_PAUSE_MS, "pace tool calls");
    }
    throw new restate.TerminalError(`${agent} gave up after ${MAX_TURNS} turns without a plan.`);
  } catch (error) {
    // Cancelled by the supervisor (or failed for good): compensate, so no scratch work is left behind.
    if (error instanceof restate.TerminalError) await discardWorkspace();
    throw error;
  }
}

const executorHandler = (agent: string, style: ExecutorStyle) =>
  restate.handlers.handler(
    { input: restate.serde.schema(ExecutorRequestSchema), output: restate.serde.schema(PlanSchema) },
    (ctx: restate.Context, request: ExecutorRequest) => runExecutor(ctx, agent, style, request),
  );

const executorHandlers = Object.fromEntries(LADDER_RUNGS.map((rung) => [rung.agent, executorHandler(rung.agent, rung.style)])) as Record<
  ExecutorName,
  ReturnType<typeof executorHandler>
>;

export const subAgents = restate.service({
  name: SERVICE_NAMES.subAgents,
  handlers: executorHandlers,
  // Sub-agents are the supervisor's to start and stop: nobody calls them through the ingress.
  options: { journalRetention: { days: 30 }, ingressPrivate: true },
});

export type SubAgents = typeof subAgents;
