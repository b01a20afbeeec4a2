import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { policyCommand } from "./policy";
import { projectRoot } from "./stack";

const dir = mkdtempSync(join(tmpdir(), "policy-cli-"));
function policyFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** `npm run policy -- ...args` as a user runs it (the same entry, under the project's Node). */
function runPolicy(args: string[]) {
  const run = spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), ["--import", "tsx", join(projectRoot, "scripts/policy.ts"), ...args], {
    cwd: projectRoot,
    encoding: "utf8",
    env: { ...process.env, SIGNOFF_POLICY_FILE: "" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("npm run policy", () => {
  it("check: a valid file prints ok with its number of rules", () => {
    const file = policyFile(
      "good.yaml",
      "version: 1\nrules:\n  - name: security\n    when: { severity: [critical] }\n    approvals: 2\n    from: [security]\n  - name: rest\n    approvals: 0\n",
    );
    expect(policyCommand(["check", file])).toEqual({ code: 0, out: "ok: 2 rules" });
  });

  it("check: a bad file prints every problem with its file, line, column and path on stderr, and exits 1", () => {
    const file = policyFile(
      "bad.yaml",
      [
        "version: 1",
        "rules:",
        "  - name: ok",
        "    approvals: 1",
        "  - name: two",
        "    approvals: 1",
        "  - name: three",
        "    when:",
        "      severity: [urgent]",
        "    approvals: 12",
        "",
      ].join("\n"),
    );
    const { code, stdout, stderr } = runPolicy(["check", file]);
    expect(code).toBe(1);
    expect(stdout).toBe("");
    const lines = stderr.trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}:9:18: rules\\[2\\]\\.when\\.severity\\[0\\]: .+`));
    expect(lines[1]).toMatch(/:10:16: rules\[2\]\.approvals: .+/);
  });

  it("check: text that is not YAML and a missing file are refused with where", () => {
    const broken = policyCommand(["check", policyFile("broken.yaml", "version: 1\nrules: [\n")]);
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/broken\.yaml:\d+:\d+: .+/);
    const missing = policyCommand(["check", join(dir, "nope.yaml")]);
    expect(missing.code).toBe(1);
    expect(missing.out).toMatch(/nope\.yaml: cannot read it \(ENOENT\)/);
  });

  it("show: prints the built-in policy, or the file SIGNOFF_POLICY_FILE names, or why that file is invalid", () => {
    const builtIn = policyCommand(["show"], {});
    expect(builtIn.code).toBe(0);
    expect(builtIn.out).toMatch(/^# built-in \(default, 5 rules\)\n/);
    expect(builtIn.out).toContain("name: critical-severity");
    const file = policyFile("shown.yaml", "version: 1\nrules:\n  - name: everyone-looks\n    approvals: 1\n");
    expect(policyCommand(["show"], { SIGNOFF_POLICY_FILE: file }).out).toContain("name: everyone-looks");
    const bad = policyCommand(["show"], { SIGNOFF_POLICY_FILE: policyFile("bad-shown.yaml", "version: 3\nrules: []\n") });
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/bad-shown\.yaml:1:10: version: /);
  });
});

describe("policy.example.yaml", () => {
  it("is a valid policy file", () => {
    expect(policyCommand(["check", join(projectRoot, "policy.example.yaml")])).toEqual({ code: 0, out: "ok: 8 rules" });
  });
});
