// The policy gate: which accepted plans may run on their own and which wait for a human.
// Plain code on purpose: a reviewer reads this file to know what the agents may do unsupervised.
import { rejectionRefusal } from "../contracts/gate";
import { MIN_AUTO_CLEAR_SCORE } from "../contracts/judge-thresholds";
import type { Approval, Finding, SignoffDecision, Verdict } from "../contracts/schemas";

export const SIGNOFF_POLICY = {
  /** Severities that always need a human. */
  severities: ["high", "critical"] as readonly string[],
  /** A repo name with one of these words is production: prod-db, payments-prod, live/api... */
  productionRepo: /(^|[-_/.])(prod|production|live)([-_/.]|$)/i,
  /** Below this judge score, a human looks even at a plan that passed every check. */
  minAutoClearScore: MIN_AUTO_CLEAR_SCORE,
  /** Severities whose sign-off takes two different approvers. */
  fourEyesSeverities: ["critical"] as readonly string[],
};

export function requiresHumanSignoff(finding: Finding, verdict: Verdict): SignoffDecision {
  const reasons: string[] = [];
  if (SIGNOFF_POLICY.severities.includes(finding.severity)) {
    reasons.push(`Severity is ${finding.severity}: high and critical findings always need a human sign-off.`);
  }
  if (SIGNOFF_POLICY.productionRepo.test(finding.repo)) {
    reasons.push(`Repository ${finding.repo} is a production repository.`);
  }
  if (verdict.score < SIGNOFF_POLICY.minAutoClearScore) {
    reasons.push(`Judge score ${verdict.score} is below the auto-clear threshold ${SIGNOFF_POLICY.minAutoClearScore}.`);
  }
  const required = reasons.length > 0;
  const approvalsRequired = !required ? 0 : SIGNOFF_POLICY.fourEyesSeverities.includes(finding.severity) ? 2 : 1;
  if (approvalsRequired > 1) reasons.push(`Severity is ${finding.severity}: two different approvers must approve.`);
  return { required, reasons, approvalsRequired };
}

/**
 * A finding that came straight to the ingress has no signed submitter: its author could be any of the
 * approvers. With "second-approver" its gate (when the policy asks for one) takes one more approver, so
 * nobody can carry their own finding through alone; "allow" leaves the decision as it is.
 */
export function withUnsignedSubmissionRule(decision: SignoffDecision, unsigned: boolean, rule: "second-approver" | "refuse" | "allow"): SignoffDecision {
  if (!unsigned || !decision.required || rule !== "second-approver") return decision;
  const approvalsRequired = decision.approvalsRequired + 1;
  return {
    ...decision,
    approvalsRequired,
    reasons: [
      ...decision.reasons,
      `Submitted straight to the ingress, without a signed submitter: its author could be any approver, so ${approvalsRequired} different approvers must approve.`,
    ],
  };
}

export interface SignoffAttemptFacts {
  /** The operator the console vouched for. */
  approver: string;
  approved: boolean;
  comment?: string;
  /** Who submitted the finding (UNAUTHENTICATED_SUBMITTER when it came straight to the ingress). */
  submittedBy: string;
  /** Approvals already accepted for this run. */
  earlier: readonly Approval[];
}

/** Who may decide at the gate. Returns why a sign-off is refused, or null when it may count. */
export function signoffRefusal(attempt: SignoffAttemptFacts): string | null {
  if (attempt.approved && attempt.approver === attempt.submittedBy) {
    return `${attempt.approver} submitted this finding and cannot approve it; another approver must.`;
  }
  const already = attempt.earlier.find((approval) => approval.approver === attempt.approver);
  if (already) {
    return `${attempt.approver} already approved this finding at ${already.decidedAt}; the second sign-off must come from a different approver.`;
  }
  return rejectionRefusal(attempt);
}
