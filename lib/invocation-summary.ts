// sys_invocation rows (Restate admin SQL) → the console's InvocationSummary. Pure: no I/O.
import type { InvocationSummary } from "@/lib/api/contracts";

/** The columns of sys_invocation the console reads; absent columns arrive as undefined (JSON omits nulls). */
export interface InvocationRow {
  id: string;
  target: string;
  status: string;
  completion_result?: string | null;
  completion_failure?: string | null;
  pinned_deployment_id?: string | null;
  created_at: string;
  completed_at?: string | null;
  invoked_by_id?: string | null;
  target_handler_name?: string | null;
}

export function toInvocationSummary(row: InvocationRow): InvocationSummary {
  return {
    id: row.id,
    target: row.target,
    status: row.status,
    completionResult: row.completion_result ?? null,
    completionFailure: row.completion_failure ?? null,
    deploymentId: row.pinned_deployment_id ?? null,
    createdAt: row.created_at,
    completedAt: row.completed_at ?? null,
  };
}
