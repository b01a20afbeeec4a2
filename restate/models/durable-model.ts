// A model call as one journaled step: `ctx.run("model <role> turn N")` around one generateText, so a
// replay reads the answer from the journal instead of asking the model again. Restate does the retrying
// (bounded by maxAttempts, waiting what the provider's Retry-After asks, capped); the AI SDK's own retries
// are off. A permanent refusal (a 4xx other than 408/409/429, an answer that is not a chat completion)
// ends the step with a TerminalError carrying the provider's message.
import * as restate from "@restatedev/restate-sdk";
import { APICallError, generateText, type ModelMessage, type ToolSet } from "ai";
import type { RoleModel } from "./providers";

export interface ModelTurnRequest {
  system?: string;
  messages: ModelMessage[];
  /** Tools the model may call; declared without `execute`, so a turn returns the calls for the caller to run. */
  tools?: ToolSet;
  maxOutputTokens?: number;
  temperature?: number;
}

export interface ModelToolCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  /** Set when the input did not match the tool's schema: the message to send back as the tool's result. */
  invalidInput?: string;
}

/** What a turn answered, as journaled: plain JSON. */
export interface ModelTurn {
  model: string;
  text: string;
  toolCalls: ModelToolCall[];
  finishReason: string;
  usage: { inputTokens: number | null; outputTokens: number | null };
  /** The assistant message to append to the transcript (tool results are the caller's). */
  assistantMessage: ModelMessage;
}

export interface ModelCallOptions {
  /** One attempt's deadline; past it the attempt counts as failed (and is retried). */
  deadlineMs?: number;
}

export interface DurableModelOptions extends ModelCallOptions {
  /** The step's name in the journal; `model <role> turn <n>` unless given. */
  stepName?: string;
  /** Attempts in all, the first included. */
  maxAttempts?: number;
  /** The longest wait a Retry-After is honoured for; a longer one is cut to this. */
  maxRetryAfterMs?: number;
  /** The first wait when the provider gives no Retry-After (doubling up to 10 s). */
  initialRetryIntervalMs?: number;
}

export const MODEL_CALL_DEFAULTS = {
  deadlineMs: 120_000,
  maxAttempts: 4,
  maxRetryAfterMs: 60_000,
  initialRetryIntervalMs: 1_000,
  maxOutputTokens: 4_096,
} as const;

/** Why one attempt failed, and whether another attempt could help. */
export class ModelCallFailure extends Error {
  override name = "ModelCallFailure";
  constructor(
    message: string,
    readonly retryable: boolean,
    /** What the provider asked us to wait (Retry-After), in ms, before any cap. */
    readonly retryAfterMs?: number,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Retry-After as seconds or an HTTP date, or OpenAI's retry-after-ms; undefined when absent or unreadable. */
export function retryAfterMs(headers: Record<string, string> | undefined, now = Date.now()): number | undefined {
  const header = (name: string) =>
    Object.entries(headers ?? {})
      .find(([key]) => key.toLowerCase() === name)?.[1]
      ?.trim();
  const ms = header("retry-after-ms");
  if (ms && /^\d+(\.\d+)?$/.test(ms)) return Math.ceil(Number(ms));
  const value = header("retry-after");
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const excerpt = (text: string, limit = 200) => (text.length > limit ? `${text.slice(0, limit)}…` : text);

function classify(error: unknown, label: string, deadlineMs: number): ModelCallFailure {
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status !== undefined && status >= 200 && status < 300) {
      const body = excerpt(error.responseBody ?? "");
      return new ModelCallFailure(`${label} answered with something that is not a model response (${error.message}): ${body}`, false, undefined, status);
    }
    if (status === undefined) return new ModelCallFailure(`${label} could not be reached: ${error.message}`, error.isRetryable);
    const retryable = status === 408 || status === 409 || status === 429 || status >= 500;
    return new ModelCallFailure(
      `${label} answered HTTP ${status}: ${excerpt(error.message, 500)}`,
      retryable,
      retryable ? retryAfterMs(error.responseHeaders) : undefined,
      status,
    );
  }
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) {
    return new ModelCallFailure(`${label} did not answer within ${deadlineMs} ms`, true);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelCallFailure(`${label} failed: ${excerpt(message, 500)}`, false);
}

/** One attempt, no journal: the model's answer as plain JSON, or a ModelCallFailure. */
export async function callModelOnce(model: RoleModel, request: ModelTurnRequest, options: ModelCallOptions = {}): Promise<ModelTurn> {
  const deadlineMs = options.deadlineMs ?? model.timeoutMs ?? MODEL_CALL_DEFAULTS.deadlineMs;
  let result;
  try {
    result = await generateText({
      model: model.model,
      system: request.system,
      messages: request.messages,
      tools: request.tools,
      maxOutputTokens: request.maxOutputTokens ?? MODEL_CALL_DEFAULTS.maxOutputTokens,
      temperature: request.temperature,
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(deadlineMs),
    });
  } catch (error) {
    throw classify(error, model.label, deadlineMs);
  }
  const toolCalls = result.toolCalls.map((call): ModelToolCall => {
    const invalid = "invalid" in call && call.invalid ? (call as { error?: unknown }).error : undefined;
    return {
      toolCallId: call.toolCallId,
      toolName: call.toolName,
      input: call.input,
      ...(invalid !== undefined ? { invalidInput: invalid instanceof Error ? invalid.message : String(invalid) } : {}),
    };
  });
  const assistantMessage = result.response.messages.find((message) => message.role === "assistant") ?? {
    role: "assistant",
    content: result.text,
  };
  return {
    model: model.label,
    text: result.text,
    toolCalls,
    finishReason: result.finishReason,
    usage: { inputTokens: result.usage.inputTokens ?? null, outputTokens: result.usage.outputTokens ?? null },
    // Through JSON, as the journal keeps it: what the caller gets is the same on the first run and on replay.
    assistantMessage: JSON.parse(JSON.stringify(assistantMessage)) as ModelMessage,
  };
}

/** The step's name in the journal (and the console's journal view). */
export const modelStepName = (role: string, turn: number) => `model ${role} turn ${turn}`;

/**
 * One model turn as one journaled step. Retryable failures are retried by Restate up to maxAttempts;
 * after that, or on a permanent failure, it throws a restate.TerminalError with the provider's message.
 */
export async function durableModelTurn(
  ctx: restate.Context,
  model: RoleModel,
  turn: number,
  request: ModelTurnRequest,
  options: DurableModelOptions = {},
): Promise<ModelTurn> {
  const maxAttempts = options.maxAttempts ?? MODEL_CALL_DEFAULTS.maxAttempts;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? MODEL_CALL_DEFAULTS.maxRetryAfterMs;
  return await ctx.run(
    options.stepName ?? modelStepName(model.role, turn),
    async () => {
      try {
        return await callModelOnce(model, request, options);
      } catch (error) {
        if (!(error instanceof ModelCallFailure)) throw error;
        if (!error.retryable) throw new restate.TerminalError(error.message);
        const wait = error.retryAfterMs === undefined ? undefined : Math.min(error.retryAfterMs, maxRetryAfterMs);
        throw new restate.RetryableError(error.message, wait === undefined ? {} : { retryAfter: wait });
      }
    },
    {
      maxRetryAttempts: maxAttempts,
      initialRetryInterval: options.initialRetryIntervalMs ?? MODEL_CALL_DEFAULTS.initialRetryIntervalMs,
    },
  );
}
