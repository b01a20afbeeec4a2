// The escalation ladder as data, free of side effects, so the console can import it. Each entry is a
// rung: the sub-agent handler of that name, its style and its default timeout, cheapest first. The
// services generate one sub-agent handler per entry and the console draws one row per entry.
export const EXECUTOR_STYLES = ["fast", "conservative"] as const;
export type ExecutorStyle = (typeof EXECUTOR_STYLES)[number];

export interface RungSpec {
  /** The sub-agent handler's name, shown in the console and in the audit trail. */
  readonly agent: string;
  /** How the agent works: the fast one acts on its first idea, the conservative one looks first and stages the change. */
  readonly style: ExecutorStyle;
  /** Overridable per rung with RUNG_TIMEOUTS_MS, for all with RUNG_TIMEOUT_MS. */
  readonly defaultTimeoutMs: number;
}

export const LADDER_RUNGS = [
  { agent: "fastExecutor", style: "fast", defaultTimeoutMs: 20_000 },
  { agent: "conservativeExecutor", style: "conservative", defaultTimeoutMs: 60_000 },
] as const satisfies readonly RungSpec[];

export type ExecutorName = (typeof LADDER_RUNGS)[number]["agent"];
export const LADDER_AGENTS: readonly ExecutorName[] = LADDER_RUNGS.map((rung) => rung.agent);
