// The workflow's durable state, typed from RunStateSchema (restate/contracts/schemas.ts), and how
// `status` reads it back: every key the schema names.
import * as restate from "@restatedev/restate-sdk";
import { RUN_STATE_KEYS, type RunState, type WrittenRunState } from "../contracts/schemas";

export type { RunState };

export const noRun = (key: string) =>
  new restate.TerminalError(`No remediation run for finding "${key}": submit it first with POST /RemediationWorkflow/${key}/run.`, {
    errorCode: 404,
  });

export async function readRunState(ctx: restate.WorkflowSharedContext<RunState>): Promise<WrittenRunState> {
  const state: Partial<Record<keyof RunState, unknown>> = {};
  for (const key of RUN_STATE_KEYS) state[key] = await ctx.get(key);
  return state as WrittenRunState;
}
