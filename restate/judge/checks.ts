// The judge's checks: plain, readable rules a plan must pass before anything executes, over its steps
// and, when it carries one, its change (the diff and the test run). The first failing check's reason
// becomes the verdict's reason (and the attempt's outcome).
import { MIN_PLAN_CONFIDENCE } from "../contracts/judge-thresholds";
import type { Finding, JudgeCheck, Plan } from "../contracts/schemas";
import { parseUnifiedDiff, quoteLine, type DiffFile, type DiffLine } from "./unified-diff";

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

/** The commands and words of the plan: its steps and the test command its agent ran. */
function planTexts(plan: Plan): string[] {
  return [...plan.steps.flatMap((step) => [step.description, step.command ?? ""]), plan.change?.tests?.command ?? ""];
}

const changedFiles = (plan: Plan): DiffFile[] => (plan.change ? parseUnifiedDiff(plan.change.diff) : []);
const addedLines = (plan: Plan): DiffLine[] => changedFiles(plan).flatMap((file) => file.added);

export function noDestructiveOperations(plan: Plan): JudgeCheck {
  const destructive = (text: string) => DESTRUCTIVE_PATTERNS.some((pattern) => pattern.test(text));
  const hits = [
    ...planTexts(plan).filter(destructive),
    ...addedLines(plan)
      .filter((line) => destructive(line.text))
      .map((line) => quoteLine(line)),
  ];
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

/** Paths a change may not touch, and why: code owned elsewhere, the pipeline that runs the tests, git's own files. */
const PROTECTED_PATHS: readonly { pattern: RegExp; what: string }[] = [
  { pattern: /(^|\/)(vendor|vendored|third[_-]party|node_modules)\//i, what: "vendored code (fix it upstream)" },
  { pattern: /^(\.github\/workflows\/|\.gitlab-ci\.yml$|\.circleci\/|Jenkinsfile$)/, what: "a CI pipeline definition" },
  { pattern: /(^|\/)\.git(\/|$)/i, what: "git's own directory" },
];

/** Why `path` is outside the finding's repository (absolute, or climbing out with `..`), or null. */
function outsideRepository(path: string): string | null {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith("~")) return "an absolute path, outside the repository";
  if (path.split(/[\\/]/).includes("..")) return "climbs out of the repository";
  return null;
}

export function changesAllowedFiles(finding: Finding, plan: Plan): JudgeCheck {
  const name = "changes-allowed-files";
  if (!plan.change) return { name, passed: true, reason: "The plan carries no change." };
  const paths = [...new Set([...plan.change.files, ...changedFiles(plan).flatMap((file) => file.paths)])];
  const refused = paths.flatMap((path) => {
    const outside = outsideRepository(path);
    if (outside) return [`${path}: ${outside}`];
    const rule = PROTECTED_PATHS.find(({ pattern }) => pattern.test(path));
    return rule ? [`${path}: ${rule.what}`] : [];
  });
  return refused.length
    ? {
        name,
        passed: false,
        reason: `The change touches files outside ${finding.repo} or outside the paths a change may touch.`,
        evidence: refused.join(" | "),
      }
    : { name, passed: true, reason: `Every changed file is inside ${finding.repo} and may be changed.` };
}

/** Shapes of secrets in an added line; `secret` is the group to mask in the evidence. */
const CREDENTIAL_PATTERNS: readonly { what: string; pattern: RegExp }[] = [
  { what: "a private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/ },
  { what: "an AWS access key id", pattern: /\b(?<secret>(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16})\b/ },
  { what: "an AWS secret access key", pattern: /aws_?secret_?access_?key\W{0,4}[:=]\s*["']?(?<secret>[A-Za-z0-9/+=]{40})\b/i },
  { what: "a GitHub token", pattern: /\b(?<secret>(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}))/ },
  { what: "a Slack token", pattern: /\b(?<secret>xox[abposr]-[A-Za-z0-9-]{10,})/ },
  { what: "a Slack webhook", pattern: /(?<secret>hooks\.slack\.com\/services\/T[A-Za-z0-9]+\/B[A-Za-z0-9]+\/[A-Za-z0-9]+)/ },
  {
    what: "a password literal",
    pattern:
      /(?<![A-Za-z])(?:password|passwd|pwd|secret|api[_-]?key|client[_-]?secret)\w*["']?\s*(?:=|:|:=)\s*(?<quote>["'`])(?<secret>[^"'`\s$<{[*][^"'`]{3,})\k<quote>/i,
  },
];

/** The line with the secret cut down to its first four characters: evidence must not spread it. */
function masked(line: DiffLine, secret: string | undefined): string {
  return quoteLine(line, secret ? line.text.replace(secret, `${secret.slice(0, 4)}…[masked]`) : line.text);
}

export function addsNoCredentials(plan: Plan): JudgeCheck {
  const name = "adds-no-credentials";
  const hits = addedLines(plan).flatMap((line) =>
    CREDENTIAL_PATTERNS.flatMap(({ what, pattern }) => {
      const match = pattern.exec(line.text);
      return match ? [`${what} in ${masked(line, match.groups?.secret)}`] : [];
    }),
  );
  return hits.length
    ? { name, passed: false, reason: "The change adds credentials or keys.", evidence: hits.join(" | ") }
    : { name, passed: true, reason: "The change adds no credentials or keys." };
}

/** A test file by the usual conventions: test/ or tests/ or __tests__/ directories, *.test.*, *.spec.*, *_test.*, test_*.py. */
const TEST_FILE = /(^|\/)(tests?|__tests__|spec)\/|\.(test|spec)\.[^/]+$|_test\.[^/]+$|(^|\/)test_[^/]+\.py$|Tests?\.(java|kt|cs)$/;
/** A test skipped or narrowed, in the common frameworks' words. */
const DISABLED_TEST =
  /\b(?:it|test|describe|context|suite)\.(?:skip|todo|only)\s*\(|\bx(?:it|test|describe|context)\s*\(|\{\s*(?:skip|todo)\s*:\s*(?:true|["'`])|@Ignore\b|@Disabled\b|@pytest\.mark\.(?:skip|skipif|xfail)\b|@unittest\.skip|\bpytest\.skip\s*\(|\bt\.Skip(?:Now|f)?\s*\(|#\[ignore\]/;

export function keepsTests(plan: Plan): JudgeCheck {
  const name = "keeps-tests";
  const files = changedFiles(plan);
  const hits = [
    ...files.filter((file) => file.status === "deleted" && TEST_FILE.test(file.path)).map((file) => `${file.path}: test file deleted`),
    ...files
      .flatMap((file) => file.added)
      .filter((line) => DISABLED_TEST.test(line.text))
      .map((line) => quoteLine(line)),
  ];
  return hits.length
    ? { name, passed: false, reason: "The change deletes or disables tests.", evidence: hits.join(" | ") }
    : { name, passed: true, reason: "The change keeps every test." };
}

export function testsPass(plan: Plan): JudgeCheck {
  const name = "tests-pass";
  const tests = plan.change?.tests;
  if (!tests) return { name, passed: true, reason: "No test run to check." };
  if (tests.passed) return { name, passed: true, reason: `\`${tests.command}\` passed after the change.` };
  const lastLines = tests.output.trim().split("\n").slice(-3).join("\n");
  return {
    name,
    passed: false,
    reason: "The repository's tests fail with the change.",
    evidence: `${tests.command}: exit code ${tests.exitCode ?? "none (stopped)"}${lastLines ? `\n${lastLines}` : ""}`,
  };
}

export function changeNotEmpty(plan: Plan): JudgeCheck {
  const name = "change-not-empty";
  if (!plan.change) return { name, passed: true, reason: plan.noWorkspace ? `No workspace: ${plan.noWorkspace}` : "The plan carries no change." };
  return plan.change.diff.trim()
    ? { name, passed: true, reason: `The change touches ${plan.change.files.length} file(s).` }
    : { name, passed: false, reason: "The change is empty: the agent changed nothing in its workspace.", evidence: "an empty diff" };
}

/** All checks, in the order their failures are reported. */
export function runJudgeChecks(finding: Finding, plan: Plan): JudgeCheck[] {
  return [
    noDestructiveOperations(plan),
    staysInScope(finding, plan),
    changesAllowedFiles(finding, plan),
    addsNoCredentials(plan),
    keepsTests(plan),
    testsPass(plan),
    changeNotEmpty(plan),
    proposesAChange(plan),
    hasRollback(plan),
    confidentEnough(plan),
  ];
}

/** Share of checks passed, scaled by the executor's own confidence. */
export function verdictScore(checks: readonly JudgeCheck[], plan: Plan): number {
  const passed = checks.filter((check) => check.passed).length;
  return Math.round((passed / Math.max(checks.length, 1)) * plan.confidence * 100) / 100;
}
