// How the workflow touches the outside world: each effect is one named ctx.run with a bounded
// retry policy; an adapter's PermanentAdapterError stops retrying at once. Effects that change
// something register their undo, so a later permanent failure leaves nothing half-done.
import * as restate from "@restatedev/restate-sdk";
import { PermanentAdapterError } from "../adapters/ports";

/** Transient failures (timeouts, 5xx) retry with backoff: 200 ms doubling, up to 8 attempts. */
export const EFFECT_RETRY = { maxRetryAttempts: 8, initialRetryInterval: 200, maxRetryInterval: 5_000 } as const;

export function runEffect<T>(ctx: restate.Context, name: string, action: () => Promise<T>, serde?: restate.Serde<T>): Promise<T> {
  return ctx.run(
    name,
    async () => {
      try {
        return await action();
      } catch (error) {
        if (error instanceof PermanentAdapterError) throw new restate.TerminalError(error.message);
        throw error;
      }
    },
    serde ? { ...EFFECT_RETRY, serde } : EFFECT_RETRY,
  );
}

/** Undo steps for effects already done, run newest first when a later effect fails for good. */
export class Compensations {
  private readonly undo: { what: string; run: () => Promise<unknown> }[] = [];

  add(what: string, run: () => Promise<unknown>) {
    this.undo.push({ what, run });
  }

  async runAll(): Promise<string[]> {
    const done: string[] = [];
    for (const step of [...this.undo].reverse()) {
      await step.run();
      done.push(step.what);
    }
    return done;
  }
}
