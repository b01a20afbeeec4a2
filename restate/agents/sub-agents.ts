// The executor sub-agents. Each call from the supervisor is its own invocation with its own journal,
// so an agent can be watched, timed out and cancelled independently of the supervisor.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import type { ExecutorStyle } from "../adapters/ports";
import { ExecutorRequestSchema, PlanSchema, type ExecutorRequest, type Plan } from "../contracts/schemas";
import { SERVICE_NAMES } from "../contracts/services";

/** An agent that has not handed in a plan after this many turns gives up on its own. */
const MAX_TURNS = 40;
/** Agents pace their tool calls; a runaway agent is one that keeps going past its rung's timeout. */
const TURN_PAUSE_MS = 250;

async function runExecutor(ctx: restate.Context, agent: string, style: ExecutorStyle, request: ExecutorRequest): Promise<Plan> {
  const { finding, priorRejections } = request;
  const workspace = await ctx.run("open scratch workspace", () =>
    adapters.codeHost.openWorkspace({
      idempotencyKey: `${ctx.request().id}/workspace`,
      findingId: finding.id,
      agent,
      repo: finding.repo,
    }),
  );
  const discardWorkspace = () =>
    ctx.run("discard scratch workspace", () =>
      adapters.codeHost.discardWorkspace({ idempotencyKey: `${ctx.request().id}/discard`, findingId: finding.id, workspace }),
    );

  try {
    for (let turn = 1; turn <= MAX_TURNS; turn++) {
      const next = await ctx.run(`agent turn ${turn}`, () =>
        adapters.planner.nextTurn({ agent, style, finding, priorRejections, turn }),
      );
      if (next.kind === "plan") {
        await discardWorkspace();
        return next.plan;
      }
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

export const subAgents = restate.service({
  name: SERVICE_NAMES.subAgents,
  handlers: {
    fastExecutor: executorHandler("fastExecutor", "fast"),
    conservativeExecutor: executorHandler("conservativeExecutor", "conservative"),
  },
  // Sub-agents are the supervisor's to start and stop: nobody calls them through the ingress.
  options: { journalRetention: { days: 30 }, ingressPrivate: true },
});

export type SubAgents = typeof subAgents;
