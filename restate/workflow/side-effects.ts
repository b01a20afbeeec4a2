// How the workflow touches the outside world: each effect is one adapter call (callAdapter) with the
// effects' retry policy. Effects that change something register their undo, so a later permanent
// failure leaves nothing half-done.
import * as restate from "@restatedev/restate-sdk";
import { callAdapter, EFFECT_RETRY } from "../adapters/call-adapter";
import { ExternalRefSchema } from "../contracts/schemas";

/**
 * The journal's serde for a reference to an outside record. Built once: a schema serde derives its JSON
 * schema when built, which per effect was a measurable share of the services' CPU.
 */
export const externalRefSerde = restate.serde.schema(ExternalRefSchema);

export function runEffect<T>(ctx: restate.Context, name: string, action: () => Promise<T>, serde?: restate.Serde<T>): Promise<T> {
  return callAdapter(ctx, name, action, { retry: EFFECT_RETRY, serde });
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
