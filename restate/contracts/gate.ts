// The gate's rules that both sides apply, as plain code without zod (the run page's first load uses
// them): when a gate is decided, and that a rejection says why.
import type { Approval } from "./schemas";

/** A gate is decided by its first rejection, or once it holds as many approvals as it requires. */
export function gateDecided(approvals: readonly Pick<Approval, "approved">[], approvalsRequired: number): boolean {
  const last = approvals.at(-1);
  return last !== undefined && (!last.approved || approvals.length >= approvalsRequired);
}

/** Why a rejection cannot count (it gives no reason), or null. */
export function rejectionRefusal(decision: { approved: boolean; comment?: string | undefined }): string | null {
  return !decision.approved && !decision.comment?.trim() ? "A rejection needs a comment saying why." : null;
}
