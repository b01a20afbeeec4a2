import { describe, expect, it } from "vitest";
import type { Finding, Plan, Verdict } from "../contracts/schemas";
import { loadPolicy, parsePolicyText, type LoadedPolicy } from "./policy-file";
import { changeFacts, requiresHumanSignoff as decide, signoffRefusal } from "./signoff-policy";

const builtIn = loadPolicy(undefined);
/** The gate's decision for a plan, with the built-in policy unless another is given. */
const requiresHumanSignoff = (f: Finding, v: Pick<Verdict, "score">, plan?: Pick<Plan, "change">, loaded: LoadedPolicy = builtIn) =>
  decide(f, v, changeFacts(plan), loaded);

const finding = (overrides: Partial<Finding>): Finding => ({
  id: "f-1",
  source: "snyk",
  severity: "low",
  description: "outdated lodash",
  repo: "web-storefront",
  ...overrides,
});
const verdict = (score: number): Verdict => ({
  agent: "fastExecutor",
  approved: true,
  score,
  reason: "All checks passed.",
  checks: [],
  judgeModel: "m",
  commentary: "",
  judgedAt: "2026-01-01T00:00:00.000Z",
});

describe("requiresHumanSignoff with the built-in policy", () => {
  it("lets a low-severity, high-score plan on a non-production repo run on its own, by the auto-clear rule", () => {
    expect(requiresHumanSignoff(finding({}), verdict(0.9))).toEqual({
      required: false,
      reasons: [],
      approvalsRequired: 0,
      rule: { name: "auto-clear", because: ["The rule has no conditions: it matches every plan"], policyVersion: "default" },
    });
  });

  it.each([
    [{ severity: "high" as const }, 0.9, /Severity is high/, "high-severity"],
    [{ severity: "critical" as const }, 0.9, /Severity is critical/, "critical-severity"],
    [{ repo: "prod-db" }, 0.9, /Repository prod-db matches .*production repository/, "production-repository"],
    [{ repo: "payments-production" }, 0.9, /production repository/, "production-repository"],
    [{ repo: "team/live" }, 0.9, /production repository/, "production-repository"],
    [{}, 0.6, /Judge score 0.6 is below 0.75/, "low-judge-score"],
  ])("requires a human for %o with score %s, says why and which rule decided", (overrides, score, reason, rule) => {
    const decision = requiresHumanSignoff(finding(overrides), verdict(score));
    expect(decision.required).toBe(true);
    expect(decision.reasons.join(" ")).toMatch(reason);
    expect(decision.rule?.name).toBe(rule);
  });

  it.each([["product-catalog"], ["reproduce-tool"], ["deliverables"]])("does not mistake %s for production", (repo) => {
    expect(requiresHumanSignoff(finding({ repo }), verdict(0.9)).required).toBe(false);
  });

  it("lists every rule asking for a human that matched, and the first decides", () => {
    const decision = requiresHumanSignoff(finding({ severity: "critical", repo: "prod-db" }), verdict(0.5));
    expect(decision.rule?.name).toBe("critical-severity");
    expect(decision.reasons).toHaveLength(4);
    expect(decision.reasons.at(-1)).toBe("Rule critical-severity decides: 2 different approvers must approve.");
  });
});

describe("approvals required", () => {
  it.each([
    ["critical", 2],
    ["high", 1],
  ] as const)("a %s finding needs %s approver(s)", (severity, count) => {
    expect(requiresHumanSignoff(finding({ severity }), verdict(0.9)).approvalsRequired).toBe(count);
  });
});

const policy = (text: string) => {
  const parsed = parsePolicyText(text, "test.yaml");
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.loaded;
};
const change = (files: string[], added: number) => ({
  change: {
    baseRevision: "abc",
    files,
    diff: files.map((file) => `diff --git a/${file} b/${file}\n--- a/${file}\n+++ b/${file}\n@@ -1,0 +1,${added} @@\n${"+x\n".repeat(added)}`).join(""),
  },
});

describe("requiresHumanSignoff with a policy file", () => {
  const file = policy(`version: 1
rules:
  - name: migrations
    when: { paths: ["db/migrations/**", "**/*.sql"] }
    approvals: 2
    from: [dba, security]
    deadline: { within: 4h, escalateTo: [security-leads], grace: 2h }
  - name: big-change
    when: { linesChangedAbove: 50 }
    approvals: 1
    from: [platform]
  - name: many-files
    when: { filesChangedAbove: 3, severity: [low, medium] }
    approvals: 1
  - name: small
    approvals: 0
`);

  it("matches on the paths a change touches, with M of N from groups and the rule's deadline", () => {
    const decision = requiresHumanSignoff(finding({}), verdict(0.9), change(["db/migrations/004_drop.sql"], 2), file);
    expect(decision).toMatchObject({
      required: true,
      approvalsRequired: 2,
      approverGroups: ["dba", "security"],
      deadline: { withinMs: 4 * 3_600_000, remindAt: [0.5, 0.9], escalateTo: ["security-leads"], graceMs: 2 * 3_600_000 },
      rule: { name: "migrations", because: ["The change touches db/migrations/004_drop.sql (db/migrations/**), db/migrations/004_drop.sql (**/*.sql)"] },
    });
    expect(decision.rule?.policyVersion).toMatch(/^sha256:[0-9a-f]{16}$/);
  });

  it("counts added and removed lines, and files", () => {
    expect(requiresHumanSignoff(finding({}), verdict(0.9), change(["src/a.ts"], 51), file).rule?.name).toBe("big-change");
    expect(requiresHumanSignoff(finding({}), verdict(0.9), change(["src/a.ts"], 50), file).rule?.name).toBe("small");
    expect(requiresHumanSignoff(finding({}), verdict(0.9), change(["a", "b", "c", "d"], 1), file).rule?.name).toBe("many-files");
    // every condition of a rule must hold: a high finding touching 4 files is not "many-files"
    expect(requiresHumanSignoff(finding({ severity: "high" }), verdict(0.9), change(["a", "b", "c", "d"], 1), file).rule?.name).toBe("small");
  });

  it("fails closed when no rule matches: one approver", () => {
    const strict = policy("version: 1\nrules:\n  - name: only-critical\n    when: { severity: [critical] }\n    approvals: 2\n");
    expect(requiresHumanSignoff(finding({}), verdict(0.9), undefined, strict)).toMatchObject({
      required: true,
      approvalsRequired: 1,
      rule: { name: "no-rule-matched" },
    });
  });

  it("counts a removed line that reads like a header (a removed `-- comment`) and an added `++i`", () => {
    const diff = ["diff --git a/q.sql b/q.sql", "--- a/q.sql", "+++ b/q.sql", "@@ -1,3 +1,2 @@", "--- drop me", "+++i;", " kept", "-x"].join("\n");
    expect(changeFacts({ change: { baseRevision: "abc", files: ["q.sql"], diff } })).toEqual({ files: ["q.sql"], linesChanged: 3 });
  });

  it("closes the gate when a repo pattern runs too long on the repository, naming the rule", () => {
    const slow = policy(`version: 1
rules:
  - name: greedy
    when: { repo: "^\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*\\\\w*$" }
    approvals: 0
  - name: rest
    approvals: 0
`);
    const decision = requiresHumanSignoff(finding({ repo: `${"a".repeat(60)}-` }), verdict(0.9), undefined, slow);
    expect(decision).toMatchObject({ required: true, approvalsRequired: 1, rule: { name: "slow-repo-pattern" } });
    expect(decision.reasons[0]).toMatch(/^Rule greedy: the repository pattern .* ran longer than 2000 ms on "a+-"; .*fails closed/);
    // A repository the pattern answers quickly is decided by the rules as usual.
    expect(requiresHumanSignoff(finding({ repo: "web" }), verdict(0.9), undefined, slow)).toMatchObject({ required: false, rule: { name: "greedy" } });
  });

  it("a plan without a change matches no path, line or file rule", () => {
    expect(requiresHumanSignoff(finding({}), verdict(0.9), { change: undefined }, file).rule?.name).toBe("small");
  });
});

describe("signoffRefusal", () => {
  const earlier = [{ approved: true, approver: "ana", decidedAt: "2026-01-01T00:00:00.000Z" }];
  it.each([
    ["the submitter approving", { approver: "sam", approved: true, submittedBy: "sam", earlier: [] }, /sam submitted this finding and cannot approve it/],
    ["the same approver twice", { approver: "ana", approved: true, submittedBy: "sam", earlier }, /different approver/],
    ["a rejection without a comment", { approver: "ana", approved: false, comment: "  ", submittedBy: "sam", earlier: [] }, /rejection needs a comment/],
  ])("refuses %s", (_, attempt, reason) => {
    expect(signoffRefusal(attempt)).toMatch(reason);
  });
  it.each([
    ["another operator approving", { approver: "ana", approved: true, submittedBy: "sam", earlier: [] }],
    ["a second, different approver", { approver: "bo", approved: true, submittedBy: "sam", earlier }],
    ["a rejection with a comment", { approver: "ana", approved: false, comment: "no", submittedBy: "sam", earlier: [] }],
  ])("lets %s count", (_, attempt) => {
    expect(signoffRefusal(attempt)).toBeNull();
  });
});
