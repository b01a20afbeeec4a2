// The policy gate: which accepted plans may run on their own and which wait for a human.
// Plain code on purpose: a reviewer reads this file to know what the agents may do unsupervised.
import type { Finding, SignoffDecision, Verdict } from "../schemas";

export const SIGNOFF_POLICY = {
  /** Severities that always need a human. */
  severities: ["high", "critical"] as readonly string[],
  /** A repo name with one of these words is production: prod-db, payments-prod, live/api... */
  productionRepo: /(^|[-_/.])(prod|production|live)([-_/.]|$)/i,
  /** Below this judge score, a human looks even at a plan that passed every check. */
  minAutoClearScore: 0.75,
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
  return { required: reasons.length > 0, reasons };
}
