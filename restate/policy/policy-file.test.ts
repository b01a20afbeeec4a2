import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DEFAULT_POLICY_TEXT, describeProblems, loadPolicy, parsePolicyText, PolicyFileError } from "./policy-file";

const problems = (text: string) => {
  const parsed = parsePolicyText(text, "p.yaml");
  if (parsed.ok) throw new Error("expected the policy to be refused");
  return parsed.problems;
};

describe("the policy file", () => {
  it("the built-in policy is valid and is today's rules in order", () => {
    const loaded = loadPolicy(undefined);
    expect(loaded.version).toBe("default");
    expect(loaded.policy.rules.map((rule) => [rule.name, rule.approvals])).toEqual([
      ["critical-severity", 2],
      ["high-severity", 1],
      ["production-repository", 1],
      ["low-judge-score", 1],
      ["auto-clear", 0],
    ]);
    expect(parsePolicyText(DEFAULT_POLICY_TEXT, "x").ok).toBe(true);
  });

  it("reads JSON as well as YAML, with durations and reminder shares parsed", () => {
    const parsed = parsePolicyText(
      JSON.stringify({ version: 1, rules: [{ name: "all", approvals: 1, deadline: { within: "90s", remindAt: ["25%"] } }] }),
      "p.json",
    );
    expect(parsed.ok && parsed.loaded.policy.rules[0]?.deadline).toEqual({ within: 90_000, remindAt: [0.25] });
  });

  it.each([
    ["version: 2\nrules: []\n", "version", 1, 10],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    when:\n      severity: [urgent]\n", "rules[0].when.severity[0]", 6, 18],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    deadline: { within: 4 hours }\n", "rules[0].deadline.within", 5, 25],
    ["version: 1\nrules:\n  - name: a\n    approvals: 0\n    from: [security]\n", "rules[0].approvals", 4, 16],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    when: { repo: '(' }\n", "rules[0].when.repo", 5, 19],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    whn: {}\n", "rules[0]", 3, 5],
    ["version: 1\nrules:\n  - { name: a, approvals: 1 }\n  - { name: a, approvals: 2 }\n", "rules[1].name", 4, 13],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    deadline: { within: 1h, grace: 1h }\n", "rules[0].deadline.grace", 5, 36],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    deadline: { within: 1h, escalateTo: [leads] }\n", "rules[0].deadline.escalateTo", 5, 41],
    ["version: 1\nrules:\n  - name: a\n    approvals: 1\n    deadline: { within: 99999999d }\n", "rules[0].deadline.within", 5, 25],
    [`version: 1\nrules:\n${Array.from({ length: 201 }, (_, i) => `  - { name: r${i}, approvals: 1 }\n`).join("")}`, "rules", 3, 3],
  ])("refuses %j at %s, line %s column %s", (text, path, line, column) => {
    const found = problems(text);
    expect(found).toContainEqual(expect.objectContaining({ path, line, column }));
    expect(found.every((problem) => problem.message.length > 0)).toBe(true);
  });

  it("refuses text that is not YAML, placed where the parser stopped", () => {
    const [problem] = problems("version: 1\nrules: [\n");
    expect(problem).toMatchObject({ path: "", line: expect.any(Number) });
  });

  it("names the file, line and column of each problem; the loader throws with all of them", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-"));
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "version: 1\nrules:\n  - name: Bad Name\n    approvals: 11\n");
    expect(() => loadPolicy(file)).toThrow(PolicyFileError);
    try {
      loadPolicy(file);
    } catch (error) {
      expect((error as Error).message).toContain(`${file}:3:11: rules[0].name: a rule name is lower-case letters`);
      expect((error as Error).message).toContain(`${file}:4:16: rules[0].approvals:`);
    }
    expect(() => loadPolicy(join(dir, "missing.yaml"))).toThrow(/SIGNOFF_POLICY_FILE: cannot read .*missing.yaml \(ENOENT\)/);
    expect(describeProblems("f", [{ path: "", line: 1, column: 2, message: "m" }])).toBe("f:1:2: m");
  });
});

describe("repository patterns that could take exponential time", () => {
  it.each([["(a+)+$"], ["^(\\w*)*x"], ["(x{2,})+"], ["(prod|production)+"], ["((a)+)+"], ["(a)\\1"], ["(?<n>a)\\k<n>"]])("refuses %s", (pattern) => {
    const found = problems(`version: 1\nrules:\n  - name: a\n    approvals: 1\n    when: { repo: ${JSON.stringify(pattern)} }\n`);
    expect(found).toContainEqual(expect.objectContaining({ path: "rules[0].when.repo", message: expect.stringMatching(/exponential time|back-references/) }));
  });

  it.each([["(^|[-_/.])(prod|production|live)([-_/.]|$)"], ["^payments-.+"], ["[(+)]+"], ["\\(a+\\)+"], ["^(team|org)/api-\\d+$"]])("accepts %s", (pattern) => {
    expect(parsePolicyText(`version: 1\nrules:\n  - name: a\n    approvals: 1\n    when: { repo: ${JSON.stringify(pattern)} }\n`, "p.yaml").ok).toBe(true);
  });
});
