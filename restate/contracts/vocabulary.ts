// The run's words as plain values, without zod: the browser's first load imports these (filters,
// badges, "is this run finished") and must not pull the schema library in with them.
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STAGES = ["received", "planning", "judging", "awaiting-approval", "executing", "completed", "rejected", "expired", "failed"] as const;
export type Stage = (typeof STAGES)[number];
export const FINISHED_STAGES: readonly Stage[] = ["completed", "rejected", "expired", "failed"];

/**
 * A run's stage as the console lists it: the workflow's own stages, and "refused" for a submission the
 * workflow turned down at its door (bad input sent straight to the ingress): the engine recorded the
 * failed `run` invocation, the workflow recorded nothing.
 */
export const LISTED_STAGES = [...STAGES, "refused"] as const;
export type ListedStage = (typeof LISTED_STAGES)[number];
