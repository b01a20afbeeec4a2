// The escalation ladder as the run page shows it: one rung per ladder agent, each with the
// supervisor's decision (from the workflow's `attempts` state) and the engine's end state of that
// sub-agent invocation (from sys_invocation). Pure: no I/O.
import { LADDER_AGENTS } from "@/restate/contracts/rungs";
import type { LadderRung } from "@/lib/api/contracts";
import type { Attempt, Stage } from "@/restate/contracts/schemas";
import { toInvocationSummary, type InvocationRow } from "./invocation-summary";

export interface LadderProgress {
  stage: Stage;
  currentRung: string | null;
  attempts: readonly Attempt[];
}

/**
 * @param agents the ladder's agents in order
 * @param progress the workflow's status (stage, current rung, attempts)
 * @param subAgentInvocations sys_invocation rows of the invocations the workflow started
 */
export function toLadderView(agents: readonly string[], progress: LadderProgress, subAgentInvocations: readonly InvocationRow[]): LadderRung[] {
  const invocations = new Map(subAgentInvocations.map((row) => [row.id, row]));
  const attemptedIds = new Set(progress.attempts.map((attempt) => attempt.subAgentInvocationId));
  // A ladder changed by a later deployment may have had more rungs than the current one.
  const rungCount = Math.max(agents.length, ...progress.attempts.map((attempt) => attempt.rung));

  return Array.from({ length: rungCount }, (_, i): LadderRung => {
    const rung = i + 1;
    const attempt = progress.attempts.find((candidate) => candidate.rung === rung);
    const agent = attempt?.agent ?? agents[i] ?? `rung ${rung}`;
    if (attempt) {
      const invocation = invocations.get(attempt.subAgentInvocationId);
      return {
        rung,
        agent,
        state: attempt.result,
        outcome: attempt.outcome,
        reason: attempt.reason ?? null,
        durationMs: attempt.durationMs,
        subAgentInvocationId: attempt.subAgentInvocationId,
        invocation: invocation ? toInvocationSummary(invocation) : null,
        usage: attempt.usage ?? null,
        toolCalls: attempt.toolCalls ?? [],
      };
    }
    const inProgress =
      rung === progress.attempts.length + 1 && progress.currentRung === agent && (progress.stage === "planning" || progress.stage === "judging");
    if (inProgress) {
      // Not in `attempts` until the supervisor decides: the newest call of that agent is this rung's.
      const running = subAgentInvocations
        .filter((row) => !attemptedIds.has(row.id) && row.target_handler_name === agent)
        .sort((a, b) => b.created_at.localeCompare(a.created_at))[0];
      return {
        rung,
        agent,
        state: "running",
        outcome: null,
        reason: null,
        durationMs: null,
        subAgentInvocationId: running?.id ?? null,
        invocation: running ? toInvocationSummary(running) : null,
        usage: null,
        toolCalls: [],
      };
    }
    return {
      rung,
      agent,
      state: "not-reached",
      outcome: null,
      reason: null,
      durationMs: null,
      subAgentInvocationId: null,
      invocation: null,
      usage: null,
      toolCalls: [],
    };
  });
}

export { LADDER_AGENTS };
