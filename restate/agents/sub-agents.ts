// The executor sub-agents, one handler per rung of restate/contracts/rungs.ts. Each call from the
// supervisor is its own invocation with its own journal, so an agent can be watched, timed out and
// cancelled independently of the supervisor. An agent is a loop: the model reads the transcript and
// either calls tools in a scratch workspace (their results join the transcript) or hands in a plan.
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { callAdapter, MODEL_RETRY } from "../adapters/call-adapter";
import { adapters } from "../adapters/index";
import type { ToolCall, ToolResult, TranscriptMessage } from "../adapters/ports";
import { LADDER_RUNGS, type ExecutorName, type ExecutorStyle } from "../contracts/rungs";
import {
  ExecutorRequestSchema,
  PlanSchema,
  ToolCallRecordSchema,
  UsageSchema,
  type ExecutorRequest,
  type ToolCallRecord,
  type Usage,
} from "../contracts/schemas";
import { SERVICE_NAMES } from "../contracts/services";
import { addUsage } from "../contracts/usage";

/** An agent that has not handed in a plan after this many turns gives up on its own. */
const MAX_TURNS = 40;
/** Tokens in and out over all of a rung's model turns (as the provider reports them) before it gives up. */
const MAX_TOKENS = 1_000_000;
/** Agents pace their tool calls; a runaway agent is one that keeps going past its rung's timeout. */
const TURN_PAUSE_MS = 250;

/** What a rung spent and did, for its attempt record: its model calls and its tool calls (capped). */
export const RungRecordSchema = z.object({
  usage: UsageSchema.optional(),
  toolCalls: z.array(ToolCallRecordSchema),
});
export type RungRecord = z.infer<typeof RungRecordSchema>;

/** An executor's answer: its plan, and what it took to make it. */
export const ExecutorResultSchema = RungRecordSchema.extend({ plan: PlanSchema });
export type ExecutorResult = z.infer<typeof ExecutorResultSchema>;

/** The metadata key a failed (or cancelled) rung's TerminalError carries its RungRecord under, as JSON. */
const RUNG_RECORD_KEY = "rungRecord";

/** The RungRecord a failed rung's error carries; null when it carries none (or it does not parse). */
export function rungRecordOf(error: restate.TerminalError): RungRecord | null {
  const json = error.metadata?.[RUNG_RECORD_KEY];
  if (!json) return null;
  try {
    const parsed = RungRecordSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The attempt record lists at most this many tool calls (the first ones), each shortened. */
const TOOL_CALL_RECORDS = 50;
const TOOL_INPUT_CHARS = 240;
const TOOL_OUTPUT_CHARS = 400;

const shortened = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit)}… [${text.length - limit} more characters]` : text);

function toolCallRecord(turn: number, call: ToolCall, result: ToolResult): ToolCallRecord {
  return {
    turn,
    tool: call.toolName,
    input: shortened(JSON.stringify(call.input), TOOL_INPUT_CHARS),
    isError: result.isError,
    output: shortened(result.output, TOOL_OUTPUT_CHARS),
  };
}

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

async function runExecutor(ctx: restate.Context, agent: string, style: ExecutorStyle, request: ExecutorRequest): Promise<ExecutorResult> {
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
  let usage: Usage | undefined;
  const toolCalls: ToolCallRecord[] = [];
  /** The last test run with no change made after it: the plan's test result. */
  let tests: ToolResult["testRun"];
  const record = (): RungRecord => ({ ...(usage ? { usage } : {}), toolCalls });
  try {
    for (let turn = 1; turn <= MAX_TURNS; turn++) {
      const next = await adapters.planner.nextTurn(ctx, { agent, style, transcript, tools: adapters.workspace.tools, finding, turn });
      if (next.usage) usage = usage ? addUsage(usage, next.usage) : next.usage;
      const tokens = (usage?.inputTokens ?? 0) + (usage?.outputTokens ?? 0);
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
        const change = changed.diff || tests ? { baseRevision: workspace.baseRevision, ...changed, ...(tests && { tests }) } : undefined;
        return { plan: change ? { ...handedIn, change } : handedIn, ...record() };
      }
      transcript.push({ role: "assistant", content: next.text, toolCalls: next.calls });
      const results: ToolResult[] = [];
      for (const call of next.calls) {
        const result: ToolResult =
          call.invalidInput !== undefined
            ? { toolCallId: call.toolCallId, toolName: call.toolName, output: call.invalidInput, isError: true }
            : await callAdapter(ctx, `turn ${turn}: ${call.toolName}`, () => adapters.workspace.runTool({ findingId: finding.id, workspace, call }), {
                retry: MODEL_RETRY,
              });
        results.push(result);
        if (toolCalls.length < TOOL_CALL_RECORDS) toolCalls.push(toolCallRecord(turn, call, result));
        if (result.testRun) tests = result.testRun;
        else if (!result.isError && CHANGING_TOOLS.has(call.toolName)) tests = undefined;
      }
      transcript.push({ role: "tool", results });
      await ctx.sleep(TURN_PAUSE_MS, "pace tool calls");
    }
    throw new restate.TerminalError(`${agent} gave up after ${MAX_TURNS} turns without a plan.`);
  } catch (error) {
    // Cancelled by the supervisor (or failed for good): compensate, so no scratch work is left behind,
    // and hand what the rung spent and did to whoever reads its ending (the ladder).
    if (!(error instanceof restate.TerminalError)) throw error;
    await discardWorkspace();
    throw new restate.TerminalError(error.message, {
      errorCode: error.code,
      metadata: { ...error.metadata, [RUNG_RECORD_KEY]: JSON.stringify(record()) },
    });
  }
}

const executorHandler = (agent: string, style: ExecutorStyle) =>
  restate.handlers.handler(
    { input: restate.serde.schema(ExecutorRequestSchema), output: restate.serde.schema(ExecutorResultSchema) },
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
