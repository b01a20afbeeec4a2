// The escalation ladder's rungs as plain data, free of side effects, so the console can import it.
// Order matters: the cheap fast agent first, the conservative one when it fails.
export const LADDER_RUNGS = [
  { agent: "fastExecutor", defaultTimeoutMs: 20_000 },
  { agent: "conservativeExecutor", defaultTimeoutMs: 60_000 },
] as const;

export type ExecutorName = (typeof LADDER_RUNGS)[number]["agent"];
export const LADDER_AGENTS: readonly ExecutorName[] = LADDER_RUNGS.map((rung) => rung.agent);
