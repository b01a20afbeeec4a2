// The one way the services call an adapter: a named ctx.run, journaled once, with a bounded retry
// policy. A PermanentAdapterError ends the step at once with the adapter's message; a
// RetryLaterAdapterError waits what the remote system asked; other errors are retried with backoff.
// When the attempts run out, the step ends with a message naming itself.
import * as restate from "@restatedev/restate-sdk";
import { PermanentAdapterError, RetryLaterAdapterError } from "./ports";

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxRetryAttempts: number;
  initialRetryInterval: number;
  maxRetryInterval: number;
}

/** Outside systems (ticket, pull request, chat, exports): 200 ms doubling, up to 8 attempts. */
export const EFFECT_RETRY: RetryPolicy = { maxRetryAttempts: 8, initialRetryInterval: 200, maxRetryInterval: 5_000 };
/** Models and the workspace: a rate-limited model wants room, but an agent's rung has a timeout to keep. */
export const MODEL_RETRY: RetryPolicy = { maxRetryAttempts: 4, initialRetryInterval: 500, maxRetryInterval: 5_000 };

/** The longest wait a remote system's Retry-After is honoured for; a longer one is cut to this. */
export const MAX_RETRY_AFTER_MS = 60_000;

/** Marks the TerminalErrors raised inside the step, so a give-up by the SDK's retry policy can be told apart. */
const PERMANENT = { adapterError: "permanent" };

/** The invocation was cancelled (409): not an adapter's failure, and nothing should carry on after it. */
export function isCancellation(error: unknown): boolean {
  return error instanceof restate.CancelledError || (error instanceof restate.TerminalError && error.code === 409);
}

/** The SDK ended the retries: a TerminalError that is neither ours nor a cancellation. */
function gaveUp(error: unknown): error is restate.TerminalError {
  return error instanceof restate.TerminalError && !isCancellation(error) && error.metadata?.adapterError !== PERMANENT.adapterError;
}

export async function callAdapter<T>(
  ctx: restate.Context,
  step: string,
  call: () => Promise<T>,
  options: { retry: RetryPolicy; serde?: restate.Serde<T> },
): Promise<T> {
  try {
    return await ctx.run(
      step,
      async () => {
        try {
          return await call();
        } catch (error) {
          if (error instanceof PermanentAdapterError) throw new restate.TerminalError(error.message, { metadata: PERMANENT });
          if (error instanceof restate.TerminalError) {
            throw new restate.TerminalError(error.message, { errorCode: error.code, metadata: { ...error.metadata, ...PERMANENT } });
          }
          if (error instanceof RetryLaterAdapterError) {
            throw new restate.RetryableError(error.message, { retryAfter: Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS) });
          }
          throw error;
        }
      },
      options.serde ? { ...options.retry, serde: options.serde } : options.retry,
    );
  } catch (error) {
    if (gaveUp(error)) {
      throw new restate.TerminalError(`${step} gave up after ${options.retry.maxRetryAttempts} attempts: ${error.message}`);
    }
    throw error;
  }
}

/**
 * callAdapter for a step the run can do without (a chat message): when it fails for good, `failed` and
 * the reason go to the invocation's log and the answer is null; a cancellation still ends the run.
 */
export async function callAdapterOrWarn<T>(
  ctx: restate.Context,
  step: string,
  call: () => Promise<T>,
  options: { retry: RetryPolicy; serde?: restate.Serde<T> },
  failed: string,
): Promise<{ value: T } | null> {
  try {
    return { value: await callAdapter(ctx, step, call, options) };
  } catch (error) {
    if (!(error instanceof restate.TerminalError) || isCancellation(error)) throw error;
    ctx.console.warn(`${failed}: ${error.message}`);
    return null;
  }
}
