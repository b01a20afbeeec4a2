// The judge's checks: plain, readable rules a plan must pass before anything executes.
// The first failing check's reason becomes the verdict's reason (and the attempt's outcome).
import { MIN_PLAN_CONFIDENCE } from "../contracts/judge-thresholds";
import type { Finding, JudgeCheck, Plan } from "../contracts/schemas";

/** Operations that destroy data, history or safety controls. */
const DESTRUCTIVE_PATTERNS: readonly RegExp[] = [
  /\bdrop\s+(table|database|schema|index|view)\b/i,
  /\btruncate\b/i,
  /\bdelete\s+from\s+[\w."]+\s*(;|$)/i, // a DELETE without WHERE
  /\brm\s+-(\w*r\w*f|\w*f\w*r)\b/i,
  /\bgit\s+push\b.*(--force|-f\b)/i,
  /\bterraform\s+destroy\b/i,
  /\bkubectl\s+delete\s+(namespace|ns|pvc|persistentvolume)\b/i,
  /\bdisable\s+(authentication|auth|logging|audit)/i,
  /\bchmod\s+(-R\s+)?777\b/i,
];

function planTexts(plan: Plan): string[] {
  return plan.steps.flatMap((step) => [step.description, step.command ?? ""]);
}

export function noDestructiveOperations(plan: Plan): JudgeCheck {
  const hits = planTexts(plan).filter((text) => DESTRUCTIVE_PATTERNS.some((pattern) => pattern.test(text)));
  return hits.length
    ? { name: "no-destructive-operations", passed: false, reason: "Plan contains destructive operations.", evidence: hits.join(" | ") }
    : { name: "no-destructive-operations", passed: true, reason: "No destructive operations." };
}

export function staysInScope(finding: Finding, plan: Plan): JudgeCheck {
  const outside = [...new Set(plan.steps.map((step) => step.repo).filter((repo) => repo !== finding.repo))];
  return outside.length
    ? {
        name: "stays-in-scope",
        passed: false,
        reason: `Plan changes repositories outside the finding's scope (${finding.repo}).`,
        evidence: outside.join(", "),
      }
    : { name: "stays-in-scope", passed: true, reason: `Every change stays in ${finding.repo}.` };
}

export function proposesAChange(plan: Plan): JudgeCheck {
  return plan.steps.length
    ? { name: "proposes-a-change", passed: true, reason: `${plan.steps.length} concrete step(s).` }
    : { name: "proposes-a-change", passed: false, reason: "Plan proposes no concrete change." };
}

export function hasRollback(plan: Plan): JudgeCheck {
  return plan.rollback.length
    ? { name: "has-rollback", passed: true, reason: "Plan says how to roll back." }
    : { name: "has-rollback", passed: false, reason: "Plan has no rollback path." };
}

export function confidentEnough(plan: Plan): JudgeCheck {
  return plan.confidence >= MIN_PLAN_CONFIDENCE
    ? { name: "confident-enough", passed: true, reason: `Executor confidence ${plan.confidence}.` }
    : {
        name: "confident-enough",
        passed: false,
        reason: `Executor confidence ${plan.confidence} is below ${MIN_PLAN_CONFIDENCE}.`,
      };
}

/** All checks, in the order their failures are reported. */
export function runJudgeChecks(finding: Finding, plan: Plan): JudgeCheck[] {
  return [noDestructiveOperations(plan), staysInScope(finding, plan), proposesAChange(plan), hasRollback(plan), confidentEnough(plan)];
}

/** Share of checks passed, scaled by the executor's own confidence. */
export function verdictScore(checks: readonly JudgeCheck[], plan: Plan): number {
  const passed = checks.filter((check) => check.passed).length;
  return Math.round((passed / Math.max(checks.length, 1)) * plan.confidence * 100) / 100;
}
