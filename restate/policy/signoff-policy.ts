// The policy gate: which accepted plans may run on their own and which wait for a human, how many
// approvers from which groups, and by when. The rules are configuration (policy-file.ts; the built-in
// default there is a reviewer's first read); this file applies them and holds who may decide.
import { matchesGlob } from "node:path";
import { rejectionRefusal } from "../contracts/gate";
import type { GateDeadlinePolicy, MatchedRule, PolicyRule } from "../contracts/policy";
import type { Approval, Finding, Plan, SignoffDecision, Verdict } from "../contracts/schemas";
import { parseUnifiedDiff } from "../judge/unified-diff";
import type { LoadedPolicy } from "./policy-file";
import { matchRepoPatterns, SlowRepoPatternError } from "./repo-patterns";

/** What a rule can look at in a change: the paths it touches and how many lines it adds and removes. */
export interface ChangeFacts {
  files: string[];
  linesChanged: number;
}

/** The facts of a plan's change, its lines counted hunk by hunk; a plan without a change touches nothing. */
export function changeFacts(plan: Pick<Plan, "change"> | undefined): ChangeFacts {
  const change = plan?.change;
  if (!change) return { files: [], linesChanged: 0 };
  const linesChanged = parseUnifiedDiff(change.diff).reduce((sum, file) => sum + file.added.length + file.removed, 0);
  return { files: change.files, linesChanged };
}

/**
 * The conditions of `rule` that hold for this plan, in words; null when one of them does not.
 * `repoMatches` says whether the rule's repo pattern matches the finding's repository.
 */
function ruleMatch(rule: PolicyRule, finding: Finding, verdict: Pick<Verdict, "score">, change: ChangeFacts, repoMatches: boolean): string[] | null {
  const { when } = rule;
  const because: string[] = [];
  if (when.severity) {
    if (!when.severity.includes(finding.severity)) return null;
    because.push(`Severity is ${finding.severity}`);
  }
  if (when.repo !== undefined) {
    if (!repoMatches) return null;
    because.push(`Repository ${finding.repo} matches /${when.repo}/`);
  }
  if (when.scoreBelow !== undefined) {
    if (!(verdict.score < when.scoreBelow)) return null;
    because.push(`Judge score ${verdict.score} is below ${when.scoreBelow}`);
  }
  if (when.linesChangedAbove !== undefined) {
    if (!(change.linesChanged > when.linesChangedAbove)) return null;
    because.push(`The change adds and removes ${change.linesChanged} lines (more than ${when.linesChangedAbove})`);
  }
  if (when.filesChangedAbove !== undefined) {
    if (!(change.files.length > when.filesChangedAbove)) return null;
    because.push(`The change touches ${change.files.length} files (more than ${when.filesChangedAbove})`);
  }
  if (when.paths) {
    const touched = change.files.flatMap((file) => when.paths!.filter((glob) => matchesGlob(file, glob)).map((glob) => `${file} (${glob})`));
    if (touched.length === 0) return null;
    because.push(`The change touches ${touched.slice(0, 5).join(", ")}${touched.length > 5 ? ` and ${touched.length - 5} more` : ""}`);
  }
  if (because.length === 0) because.push("The rule has no conditions: it matches every plan");
  return because;
}

const deadlineOf = (rule: PolicyRule): GateDeadlinePolicy | undefined =>
  rule.deadline && {
    withinMs: rule.deadline.within,
    remindAt: rule.deadline.remindAt ?? [0.5, 0.9],
    escalateTo: rule.deadline.escalateTo ?? [],
    graceMs: rule.deadline.grace ?? 0,
  };

const approversText = (count: number, groups: readonly string[] | undefined) =>
  `${count === 1 ? "one approver" : `${count} different approvers`}${groups ? ` from ${groups.join(", ")}` : ""}`;

/**
 * The gate's decision for an accepted plan: the first rule (in file order) whose every condition holds
 * decides how many approvers, from which groups, by when. The reasons list every rule asking for a
 * human that matched, so the run page says everything that made the plan risky. No rule matching asks
 * one approver (the policy fails closed). Throws SlowRepoPatternError when a repo pattern runs too long
 * on the finding's repository (requiresHumanSignoff turns that into a closed gate).
 */
export function policyDecision(finding: Finding, verdict: Pick<Verdict, "score">, change: ChangeFacts, loaded: LoadedPolicy): SignoffDecision {
  const { rules } = loaded.policy;
  const patterns = rules.flatMap((rule) => (rule.when.repo === undefined ? [] : [rule.when.repo]));
  const matched = new Map(matchRepoPatterns(patterns, finding.repo).map((matches, i) => [patterns[i]!, matches]));
  const matches = rules.flatMap((rule) => {
    const because = ruleMatch(rule, finding, verdict, change, rule.when.repo !== undefined && matched.get(rule.when.repo) === true);
    return because ? [{ rule, because }] : [];
  });
  const first = matches[0];
  if (!first) {
    const rule: MatchedRule = { name: "no-rule-matched", because: ["No rule of the policy matches this plan"], policyVersion: loaded.version };
    return {
      required: true,
      reasons: ["No rule of the policy matches this plan: one approver must sign off (the policy fails closed)."],
      approvalsRequired: 1,
      rule,
    };
  }
  const rule: MatchedRule = { name: first.rule.name, because: first.because, policyVersion: loaded.version };
  if (first.rule.approvals === 0) return { required: false, reasons: [], approvalsRequired: 0, rule };
  const reasons = matches
    .filter((match) => match.rule.approvals > 0)
    .map((match) => `${match.because.join("; ")}: ${match.rule.description ?? `rule ${match.rule.name}`}.`);
  reasons.push(`Rule ${first.rule.name} decides: ${approversText(first.rule.approvals, first.rule.from)} must approve.`);
  const deadline = deadlineOf(first.rule);
  return {
    required: true,
    reasons,
    approvalsRequired: first.rule.approvals,
    rule,
    ...(first.rule.from ? { approverGroups: first.rule.from } : {}),
    ...(deadline ? { deadline } : {}),
  };
}

/**
 * The gate's decision (policyDecision); a repo pattern that runs too long on the finding's repository
 * closes the gate: one approver must sign off, and the reason names the rule to fix.
 */
export function requiresHumanSignoff(finding: Finding, verdict: Pick<Verdict, "score">, change: ChangeFacts, loaded: LoadedPolicy): SignoffDecision {
  try {
    return policyDecision(finding, verdict, change, loaded);
  } catch (error) {
    if (!(error instanceof SlowRepoPatternError)) throw error;
    const names = loaded.policy.rules.filter((rule) => rule.when.repo === error.pattern).map((rule) => rule.name);
    const why = `Rule ${names.join(", ") || "(unknown)"}: ${error.message}`;
    return {
      required: true,
      reasons: [`${why}; the gate cannot apply the policy, so one approver must sign off (the policy fails closed). Simplify that pattern.`],
      approvalsRequired: 1,
      rule: { name: "slow-repo-pattern", because: [why], policyVersion: loaded.version },
    };
  }
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
