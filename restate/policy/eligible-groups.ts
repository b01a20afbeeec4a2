// Who may decide at a gate: the rule's approver groups, and once the gate escalated at its deadline the
// escalation groups too. Used by the gate's `approve` and by the deadlines that escalate it.
import type { SignoffDecision } from "../contracts/schemas";

/** What this needs of the gate's `deadline` state: set `escalatedAt` means the deadline passed and the gate escalated. */
export interface GateEscalation {
  escalatedAt?: string;
}

/** The groups whose members may decide now, or null when any approver may (the rule names no groups). */
export function eligibleGroups(
  signoff: Pick<SignoffDecision, "approverGroups" | "deadline"> | null | undefined,
  deadline?: GateEscalation | null,
): string[] | null {
  const groups = signoff?.approverGroups;
  if (!groups || groups.length === 0) return null;
  const escalated = deadline?.escalatedAt ? (signoff.deadline?.escalateTo ?? []) : [];
  return [...new Set([...groups, ...escalated])];
}

/** Whether an approver in `approverGroups` may decide a gate open to `eligible` (null: anyone). */
export function inEligibleGroup(eligible: readonly string[] | null, approverGroups: readonly string[]): boolean {
  return eligible === null || approverGroups.some((group) => eligible.includes(group));
}
