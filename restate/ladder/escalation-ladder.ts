// The supervisor's escalation ladder: one rung per executor agent, cheapest first. Each rung is a
// separate sub-agent invocation, bounded by a timeout and cancelled when it runs away; a plan the
// judge rejects sends the supervisor to the next rung, never back to the rogue agent.
import * as restate from "@restatedev/restate-sdk";
import { isCancellation } from "../adapters/call-adapter";
import { adapters } from "../adapters/index";
import { ExecutorResultSchema, rungRecordOf, subAgents, type RungRecord } from "../agents/sub-agents";
import { config } from "../config";
import { auditPlan } from "../judge/judge";
import type { Attempt, Finding, Plan, PlanRecord, Verdict } from "../contracts/schemas";
import type { RunState } from "../workflow/run-state";
import { setStage } from "../workflow/indexed-stage";
import { LADDER_RUNGS, type ExecutorName } from "../contracts/rungs";

export interface Rung {
  agent: ExecutorName;
  timeoutMs: number;
}

/** The rungs of restate/contracts/rungs.ts, with RUNG_TIMEOUTS_MS / RUNG_TIMEOUT_MS applied. */
export const ESCALATION_LADDER: readonly Rung[] = LADDER_RUNGS.map((rung) => ({
  agent: rung.agent,
  timeoutMs: config.RUNG_TIMEOUTS_MS[rung.agent] ?? config.RUNG_TIMEOUT_MS ?? rung.defaultTimeoutMs,
}));

export interface LadderResult {
  attempts: Attempt[];
  verdicts: Verdict[];
  accepted: { rung: number; plan: Plan; verdict: Verdict } | null;
}

const iso = (millis: number) => new Date(millis).toISOString();

/**
 * How long the ladder waits, after cancelling a runaway rung, for it to undo its work and report what it
 * spent; past it, the attempt is recorded without its usage and tool calls.
 */
const CANCELLED_RUNG_REPORT_MS = 5_000;

/** The record a cancelled rung reports as it ends; null when it does not end within the wait. */
async function endOfCancelledRung(call: restate.RestatePromise<unknown>): Promise<RungRecord | null> {
  try {
    const late = ExecutorResultSchema.safeParse(await call.orTimeout(CANCELLED_RUNG_REPORT_MS));
    // It finished just as it was cancelled: its plan came too late, but its work was done.
    return late.success ? { usage: late.data.usage, toolCalls: late.data.toolCalls } : null;
  } catch (error) {
    if (error instanceof restate.TimeoutError) return null;
    if (error instanceof restate.TerminalError) return rungRecordOf(error);
    throw error;
  }
}

export async function walkEscalationLadder(
  ctx: restate.WorkflowContext<RunState>,
  finding: Finding,
  ladder: readonly Rung[] = ESCALATION_LADDER,
): Promise<LadderResult> {
  const attempts: Attempt[] = [];
  const plans: PlanRecord[] = [];
  const verdicts: Verdict[] = [];
  const agents = ctx.serviceClient(subAgents);

  for (const [index, rung] of ladder.entries()) {
    const rungNumber = index + 1;
    await setStage(ctx, "planning");
    ctx.set("currentRung", rung.agent);
    const startedAt = await ctx.date.now();
    const call = agents[rung.agent]({ finding, priorRejections: attempts.map((attempt) => attempt.outcome) });
    const subAgentInvocationId = await call.invocationId;

    /** What the rung spent and did, once its sub-agent has ended. */
    let rungRecord: RungRecord | null = null;
    const decide = async (result: Attempt["result"], outcome: string, reason?: string) => {
      const endedAt = await ctx.date.now();
      attempts.push({
        rung: rungNumber,
        agent: rung.agent,
        subAgentInvocationId,
        outcome,
        result,
        reason,
        startedAt: iso(startedAt),
        endedAt: iso(endedAt),
        durationMs: endedAt - startedAt,
        ...(rungRecord?.usage ? { usage: rungRecord.usage } : {}),
        ...(rungRecord ? { toolCalls: rungRecord.toolCalls } : {}),
      });
      ctx.set("attempts", attempts);
    };

    let plan: Plan;
    try {
      const answer = ExecutorResultSchema.parse(await call.orTimeout(rung.timeoutMs));
      ({ plan, ...rungRecord } = answer);
    } catch (error) {
      if (error instanceof restate.TimeoutError) {
        // A timed-out call keeps running unless we stop it: shut the runaway agent down, and give it a
        // moment to discard its workspace and say what it spent.
        ctx.invocation(subAgentInvocationId).cancel();
        rungRecord = await endOfCancelledRung(call);
        await decide("timed-out", `timed out after ${rung.timeoutMs} ms: cancelled`, `No plan within ${rung.timeoutMs} ms.`);
        continue;
      }
      if (error instanceof restate.TerminalError) {
        rungRecord = rungRecordOf(error);
        await decide("failed", `failed: ${error.message}`, error.message);
        continue;
      }
      throw error;
    }
    plans.push({ rung: rungNumber, plan });
    ctx.set("plans", plans);

    await setStage(ctx, "judging");
    let verdict: Verdict;
    try {
      verdict = await auditPlan(ctx, `judge plan of ${rung.agent}`, adapters.judge, finding, plan);
    } catch (error) {
      // A plan nobody could judge is not approved: the rung fails and the next agent gets its turn.
      if (!(error instanceof restate.TerminalError) || isCancellation(error)) throw error;
      await decide("failed", `failed: the judge could not review the plan: ${error.message}`, error.message);
      continue;
    }
    verdicts.push(verdict);
    ctx.set("verdicts", verdicts);
    ctx.set("verdict", verdict);

    if (verdict.approved) {
      await decide("accepted", "accepted");
      ctx.set("currentRung", null);
      return { attempts, verdicts, accepted: { rung: rungNumber, plan, verdict } };
    }
    await decide("rejected", `rejected: ${verdict.reason}`, verdict.reason);
  }
  ctx.set("currentRung", null);
  return { attempts, verdicts, accepted: null };
}
