// The executor agents' model with a real provider: each turn is one durable model turn (one journaled
// step, restate/models/durable-model.ts) that sees the transcript and may call the workspace's tools or
// `hand_in_plan`, the tool that ends the loop with a plan (its change is taken from the workspace).
import { jsonSchema, tool, type ModelMessage, type ToolSet } from "ai";
import { z } from "zod";
import type { Plan } from "../contracts/schemas";
import { durableModelTurn } from "../models/durable-model";
import type { ModelRole } from "../models/model-config";
import { modelCallUsage } from "../models/prices";
import { PROMPTS } from "../models/prompts";
import type { RoleModel } from "../models/providers";
import type { AgentTurn, PlanningModel, ToolCall, ToolSpec, TranscriptMessage } from "./ports";

export const HAND_IN_PLAN = "hand_in_plan";

const text = (what: string) => z.string().trim().min(1).describe(what);

/** What the model hands in; the plan's agent, prompt version and change are ours to add. */
export const HandInPlanInputSchema = z
  .object({
    summary: text("What the change does and why it fixes the finding, in a sentence or two"),
    steps: z
      .array(
        z.object({
          description: text("One step a reviewer follows to ship the change"),
          command: z.string().optional().describe("The command the step runs, if any"),
          repo: z.string().optional().describe("The repository the step changes, when it is not the finding's"),
        }),
      )
      .min(1),
    rollback: z.array(text("One step of undoing the change")),
    confidence: z.number().min(0).max(1).describe("How sure you are that the change fixes the finding, 0 to 1"),
    ticket: z.object({ title: text("The ticket's title"), body: text("The ticket's body") }),
    pullRequest: z.object({
      title: text("The pull request's title"),
      branch: text("The pull request's branch name"),
      body: text("The pull request's description"),
    }),
  })
  .strict();

const handInPlan = tool({
  description: "Hand in the plan once the change is made in the repository and its tests pass; call it on its own, after every other tool call.",
  inputSchema: HandInPlanInputSchema,
});

const TOOL_NUDGE = `You answered without calling a tool. Use the tools to make the change, then call ${HAND_IN_PLAN}.`;

function toolSet(tools: readonly ToolSpec[]): ToolSet {
  const set: ToolSet = { [HAND_IN_PLAN]: handInPlan };
  for (const spec of tools) {
    set[spec.name] = tool({ description: spec.description, inputSchema: jsonSchema(spec.inputSchema as Parameters<typeof jsonSchema>[0]) });
  }
  return set;
}

/** The loop's transcript in the AI SDK's message shapes; its system messages become the system prompt. */
export function modelMessages(transcript: readonly TranscriptMessage[]): { system: string; messages: ModelMessage[] } {
  const system: string[] = [];
  const messages: ModelMessage[] = [];
  for (const message of transcript) {
    switch (message.role) {
      case "system":
        system.push(message.content);
        break;
      case "user":
        messages.push({ role: "user", content: message.content });
        break;
      case "assistant":
        messages.push({
          role: "assistant",
          content: [
            ...(message.content ? [{ type: "text" as const, text: message.content }] : []),
            ...message.toolCalls.map((call) => ({ type: "tool-call" as const, toolCallId: call.toolCallId, toolName: call.toolName, input: call.input })),
          ],
        });
        break;
      case "tool":
        // A turn without tool calls has no results: the model is told to use its tools.
        messages.push(
          message.results.length === 0
            ? { role: "user", content: TOOL_NUDGE }
            : {
                role: "tool",
                content: message.results.map((result) => ({
                  type: "tool-result" as const,
                  toolCallId: result.toolCallId,
                  toolName: result.toolName,
                  output: result.isError ? { type: "error-text" as const, value: result.output } : { type: "text" as const, value: result.output },
                })),
              },
        );
        break;
    }
  }
  return { system: [...system, PROMPTS.executor].join("\n\n"), messages };
}

export function modelPlanner(models: Record<Exclude<ModelRole, "judge">, RoleModel>, promptVersion: string): PlanningModel {
  return {
    model: `${models.fast.label} / ${models.conservative.label}`,
    async nextTurn(ctx, { agent, style, transcript, tools, finding, turn }): Promise<AgentTurn> {
      const answer = await durableModelTurn(ctx, models[style], turn, { ...modelMessages(transcript), tools: toolSet(tools) });
      const usage = modelCallUsage(models[style].price, answer.usage);
      const calls: ToolCall[] = answer.toolCalls.map((call) => ({
        toolCallId: call.toolCallId,
        toolName: call.toolName,
        input: (call.input ?? {}) as Record<string, unknown>,
        ...(call.invalidInput !== undefined ? { invalidInput: call.invalidInput } : {}),
      }));
      const handIn = calls.find((call) => call.toolName === HAND_IN_PLAN);
      if (handIn && calls.length === 1 && handIn.invalidInput === undefined) {
        const input = HandInPlanInputSchema.safeParse(handIn.input);
        if (input.success) {
          const { steps, ...rest } = input.data;
          const plan: Plan = {
            agent,
            promptVersion,
            ...rest,
            steps: steps.map((step) => ({ repo: step.repo ?? finding.repo, description: step.description, command: step.command })),
          };
          return { kind: "plan", text: answer.text, plan, usage };
        }
        handIn.invalidInput = `Invalid input for tool ${HAND_IN_PLAN}: ${z.prettifyError(input.error)}`;
      } else if (handIn && handIn.invalidInput === undefined) {
        handIn.invalidInput = `${HAND_IN_PLAN} was not taken: call it on its own, once the other tool calls have run.`;
      }
      return { kind: "tool-calls", text: answer.text, calls, usage };
    },
  };
}
