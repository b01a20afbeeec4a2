// The console's query keys and refresh rules. Each resource's queries and mutations sit beside this file,
// one module each (`*-queries.ts`, finding-mutations.ts), so a page loads only the ones it uses; the key and
// the fetch travel together, so hooks stay thin and invalidation only ever goes through these keys.
import type { FindingSummary, ListedStage } from "@/lib/api/contracts";
import type { CalibrationFilters } from "@/lib/calibration";
import { FINISHED_STAGES, type Severity, type Stage } from "@/restate/contracts/vocabulary";
import { isStreamCovering } from "./live-state";

/** How often a page asks again while something on it is still moving. */
export const LIVE_REFRESH_MS = 1_500;
/** How often the dashboard and the inbox look for other operators' new runs when nothing is moving. */
export const IDLE_REFRESH_MS = 10_000;
/** Polling is the fallback: while the tab's change stream (live-stream.ts) is open, nothing polls. */
export const polling = (interval: number | false): number | false => (isStreamCovering() ? false : interval);

export function isFinishedStage(stage: Stage | null | undefined): boolean {
  return stage != null && FINISHED_STAGES.includes(stage);
}

export function isLiveRun(run: Pick<FindingSummary, "stage" | "invocationStatus">): boolean {
  if (run.stage === null) return run.invocationStatus !== "completed";
  if (run.stage === "refused") return false;
  return !isFinishedStage(run.stage);
}

export interface FindingListFilters {
  stage?: ListedStage;
  severity?: Severity;
  cursor?: string;
  limit?: number;
}

export const queryKeys = {
  findings: ["findings"] as const,
  findingLists: ["findings", "list"] as const,
  findingList: (filters: FindingListFilters) => ["findings", "list", filters] as const,
  finding: (findingId: string) => ["findings", "detail", findingId] as const,
  approvals: ["approvals"] as const,
  pullRequests: (findingId?: string) => ["pull-requests", findingId ?? "all"] as const,
  session: ["session"] as const,
  tokens: ["tokens"] as const,
  integrations: ["integrations"] as const,
  calibration: (filters: CalibrationFilters) => ["calibration", filters.promptVersion ?? "", filters.judgeModel ?? ""] as const,
  ticketsAndOutbox: ["tickets-and-outbox"] as const,
  policy: ["policy"] as const,
  journal: (invocationId: string) => ["journal", invocationId, "timeline"] as const,
  journalEntry: (invocationId: string, index: number) => ["journal", invocationId, "entry", index] as const,
};

export const segment = encodeURIComponent;
