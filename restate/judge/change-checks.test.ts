// The judge's checks over a plan's change: each diff here is real `git diff` output of a change made
// in a throwaway repository, as a workspace's diff is taken.
import { mkdtempSync, rmSync } from "node:fs";
import { cp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { JudgeCheck, Plan, PlanChange } from "../contracts/schemas";
import { git } from "../workspace/git";
import { runJudgeChecks, verdictScore } from "./checks";
import { failedChecks, finding, plan as planWith } from "./judge-fixtures";
import { parseUnifiedDiff } from "./unified-diff";

const root = mkdtempSync(join(tmpdir(), "judge-diffs-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BASE_FILES: Record<string, string> = {
  "package.json": '{ "name": "shop", "scripts": { "test": "node --test" } }\n',
  "src/session.js": 'export function findSession(db, token) {\n  return db.query("SELECT * FROM sessions WHERE token = $1", [token]);\n}\n',
  "src/config.js": "export const config = {\n  region: process.env.REGION,\n};\n",
  "test/session.test.js": 'import { test } from "node:test";\ntest("finds a session", () => {});\ntest("an unknown token has none", () => {});\n',
  "vendor/shared/merge.js": "export const merge = (a, b) => ({ ...a, ...b });\n",
  "migrations/001_sessions.sql": "CREATE TABLE sessions (token text PRIMARY KEY);\n",
};

const commitEnv = { GIT_AUTHOR_NAME: "t", GIT_AUTHOR_EMAIL: "t@example.invalid", GIT_COMMITTER_NAME: "t", GIT_COMMITTER_EMAIL: "t@example.invalid" };
let repos = 0;

async function writeFiles(dir: string, files: Record<string, string | null>) {
  for (const [path, content] of Object.entries(files)) {
    if (content === null) await rm(join(dir, path));
    else {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), content);
    }
  }
}

/** A repository holding `base`, committed; made once per base and copied for each change. */
const bases = new Map<Record<string, string>, Promise<{ dir: string; revision: string }>>();
function baseRepo(base: Record<string, string>) {
  let made = bases.get(base);
  if (!made) {
    made = (async () => {
      const dir = join(root, `base-${bases.size}`);
      await writeFiles(dir, base);
      await git(["init", "-q", "-b", "main"], { cwd: dir });
      await git(["add", "-A"], { cwd: dir });
      await git(["commit", "-q", "-m", "base"], { cwd: dir, env: commitEnv });
      return { dir, revision: (await git(["rev-parse", "HEAD"], { cwd: dir })).trim() };
    })();
    bases.set(base, made);
  }
  return made;
}

/** The change as `git diff` shows it: files written (content) or deleted (null) over `base`. */
async function changeOf(edits: Record<string, string | null>, base: Record<string, string> = BASE_FILES): Promise<PlanChange> {
  const { dir: baseDir, revision } = await baseRepo(base);
  const dir = join(root, `repo-${++repos}`);
  await cp(baseDir, dir, { recursive: true });
  await writeFiles(dir, edits);
  await git(["add", "-A"], { cwd: dir });
  const diff = await git(["diff", "--cached", "--no-renames", "--no-color", revision], { cwd: dir });
  const files = (await git(["diff", "--cached", "--no-renames", "--name-only", revision], { cwd: dir })).split("\n").filter(Boolean);
  return { baseRevision: revision, diff, files };
}

const plan = (change?: PlanChange, overrides: Partial<Plan> = {}): Plan => planWith({ ...(change ? { change } : {}), ...overrides });
const check = (candidate: Plan, name: string): JudgeCheck => {
  const found = runJudgeChecks(finding, candidate).find((entry) => entry.name === name);
  if (!found) throw new Error(`no check named ${name}`);
  return found;
};
const passingTests = { command: "node --test", exitCode: 0, passed: true, output: "# pass 2\n# fail 0" };

const SESSION_FIX = BASE_FILES["src/session.js"]!.replace("SELECT *", "SELECT token, user_id");

describe("a clean change", () => {
  it("passes every check, and the score is the executor's confidence", async () => {
    const change = {
      ...(await changeOf({ "src/session.js": SESSION_FIX, "test/session.test.js": `${BASE_FILES["test/session.test.js"]}test("a third", () => {});\n` })),
      tests: passingTests,
    };
    expect(failedChecks(plan(change))).toEqual([]);
    expect(verdictScore(runJudgeChecks(finding, plan(change)), plan(change))).toBe(0.9);
  });

  it("reads every added line with its path and line number", async () => {
    const { diff } = await changeOf({ "src/session.js": SESSION_FIX, "src/new.js": "export const a = 1;\nexport const b = 2;\n", "src/config.js": null });
    const files = parseUnifiedDiff(diff);
    expect(files.map(({ path, status }) => [path, status])).toEqual([
      ["src/config.js", "deleted"],
      ["src/new.js", "added"],
      ["src/session.js", "modified"],
    ]);
    expect(files[1]?.added).toEqual([
      { path: "src/new.js", lineNumber: 1, text: "export const a = 1;" },
      { path: "src/new.js", lineNumber: 2, text: "export const b = 2;" },
    ]);
    expect(files[2]?.added.map((line) => line.lineNumber)).toEqual([2]);
  });
});

describe("no-destructive-operations over the diff", () => {
  it.each([
    [
      "a migration that drops the table",
      { "migrations/002_rebuild.sql": "DROP TABLE IF EXISTS sessions CASCADE;\n" },
      "migrations/002_rebuild.sql:1: +DROP TABLE",
    ],
    ["a script that wipes a directory", { "scripts/clean.sh": "#!/bin/sh\nset -e\nrm -rf /var/lib/app\n" }, "scripts/clean.sh:3: +rm -rf /var/lib/app"],
    [
      "a query that empties a table",
      { "src/session.js": BASE_FILES["src/session.js"]!.replace("SELECT * FROM sessions WHERE token = $1", "TRUNCATE sessions") },
      "src/session.js:2:",
    ],
  ])("flags %s, quoting the added line", async (_case, edits, evidence) => {
    const result = check(plan(await changeOf(edits)), "no-destructive-operations");
    expect(result).toMatchObject({ passed: false, reason: "Plan contains destructive operations." });
    expect(result.evidence).toContain(evidence);
  });

  it("does not flag a destructive line the change removes, nor a DELETE with a WHERE", async () => {
    const base = BASE_FILES["migrations/001_sessions.sql"]!;
    const change = await changeOf({
      "migrations/001_sessions.sql": `${base}DELETE FROM sessions WHERE expires_at < now();\n`,
      "src/session.js": SESSION_FIX,
    });
    expect(check(plan(change), "no-destructive-operations").passed).toBe(true);
  });

  it("flags a destructive test command the agent ran", async () => {
    const change = { ...(await changeOf({ "src/session.js": SESSION_FIX })), tests: { ...passingTests, command: "rm -rf node_modules" } };
    expect(check(plan(change), "no-destructive-operations").evidence).toBe("rm -rf node_modules");
  });
});

describe("changes-allowed-files", () => {
  it.each([
    ["vendored code", { "vendor/shared/merge.js": "export const merge = (a, b) => Object.assign({}, a, b);\n" }, "vendor/shared/merge.js: vendored code"],
    ["a node_modules file", { "node_modules/lodash/index.js": "module.exports = {};\n" }, "node_modules/lodash/index.js: vendored code"],
    ["a CI pipeline", { ".github/workflows/ci.yml": "on: push\njobs: {}\n" }, ".github/workflows/ci.yml: a CI pipeline definition"],
  ])("flags a change to %s", async (_case, edits, evidence) => {
    const result = check(plan(await changeOf(edits)), "changes-allowed-files");
    expect(result).toMatchObject({ passed: false });
    expect(result.evidence).toContain(evidence);
  });

  it.each([
    ["an absolute path", "/etc/passwd", "an absolute path, outside the repository"],
    ["a path that climbs out", "../other-repo/src/index.js", "climbs out of the repository"],
    ["git's own directory", ".git/hooks/pre-commit", "git's own directory"],
  ])("flags %s named by the change", async (_case, path, evidence) => {
    const change = await changeOf({ "src/session.js": SESSION_FIX });
    const result = check(plan({ ...change, files: [...change.files, path] }), "changes-allowed-files");
    expect(result).toMatchObject({ passed: false, reason: expect.stringContaining("outside orders-api") });
    expect(result.evidence).toBe(`${path}: ${evidence}`);
  });

  it("reads the paths in the diff itself, not only the file list", async () => {
    const change = await changeOf({ "src/session.js": SESSION_FIX });
    const tampered = { ...change, diff: change.diff.replaceAll("src/session.js", "../billing/src/session.js") };
    expect(check(plan(tampered), "changes-allowed-files").evidence).toContain("../billing/src/session.js: climbs out");
  });

  it("lets a change touch source, tests and a file named like a protected directory", async () => {
    const change = await changeOf({
      "src/session.js": SESSION_FIX,
      "src/vendor-list.js": "export const vendors = [];\n",
      "docs/github-workflows.md": "# CI\n",
    });
    expect(check(plan(change), "changes-allowed-files").passed).toBe(true);
  });
});

describe("adds-no-credentials", () => {
  const awsKeyId = ["AKIA", "Q3EXAMPLE7ABCDEF"].join("");
  const githubToken = ["ghp_", "a".repeat(18), "B".repeat(18)].join("");
  const slackToken = ["xoxb", "123456789012", "abcdefABCDEF"].join("-");
  it.each([
    [
      "a private key block",
      "keys/deploy.pem",
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
      "a private key in keys/deploy.pem:1",
    ],
    [
      "an RSA private key in code",
      "src/config.js",
      "export const key = `-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA`;\n",
      "a private key in src/config.js:1",
    ],
    ["an AWS access key id", "src/config.js", `export const config = { accessKeyId: "${awsKeyId}" };\n`, "an AWS access key id in src/config.js:1"],
    ["a GitHub token", ".env", `GITHUB_TOKEN=${githubToken}\n`, "a GitHub token in .env:1"],
    ["a Slack token", "src/notify.js", `const slack = new WebClient("${slackToken}");\n`, "a Slack token in src/notify.js:1"],
    ["a password literal", "src/db.js", 'export const db = connect({ user: "app", password: "hunter2-prod" });\n', "a password literal in src/db.js:1"],
    ["a password assignment in Python", "settings.py", 'DB_PASSWORD = "s3cr3t-value"\n', "a password literal in settings.py:1"],
  ])("flags %s, masking the secret in the evidence", async (_case, path, content, evidence) => {
    const result = check(plan(await changeOf({ [path]: content })), "adds-no-credentials");
    expect(result).toMatchObject({ passed: false, reason: "The change adds credentials or keys." });
    expect(result.evidence).toContain(evidence);
    for (const secret of [awsKeyId, githubToken, slackToken, "hunter2-prod", "s3cr3t-value"]) expect(result.evidence).not.toContain(secret);
  });

  it.each([
    ["a password read from the environment", "export const db = connect({ password: process.env.DB_PASSWORD });\n"],
    ["an empty or placeholder password", 'const defaults = { password: "", apiKey: "${API_KEY}", secret: "<set me>" };\n'],
    ["a redaction of secret-looking names", "const SECRET_NAME = /token|secret|password|key/i;\n"],
    ["words about keys", "// rotate the private key and the AWS access key after the incident\n"],
  ])("does not flag %s", async (_case, content) => {
    expect(check(plan(await changeOf({ "src/config.js": content })), "adds-no-credentials").passed).toBe(true);
  });

  it("does not flag a credential the change removes", async () => {
    const leaky = { ...BASE_FILES, "src/config.js": 'export const config = { password: "hunter2-prod" };\n' };
    const removal = await changeOf({ "src/config.js": "export const config = { password: process.env.DB_PASSWORD };\n" }, leaky);
    expect(removal.diff).toContain('-export const config = { password: "hunter2-prod" };');
    expect(check(plan(removal), "adds-no-credentials").passed).toBe(true);
  });
});

describe("keeps-tests", () => {
  const tests = BASE_FILES["test/session.test.js"]!;
  it.each([
    ["a deleted test file", { "test/session.test.js": null }, "test/session.test.js: test file deleted"],
    ["a skipped test", { "test/session.test.js": tests.replace('test("finds', 'test.skip("finds') }, 'test/session.test.js:2: +test.skip("finds a session"'],
    [
      "a test narrowed with .only",
      { "test/session.test.js": tests.replace('test("an unknown', 'test.only("an unknown') },
      "test/session.test.js:3: +test.only(",
    ],
    ["an xit", { "test/cart.spec.js": 'xit("adds up", () => {});\n' }, 'test/cart.spec.js:1: +xit("adds up"'],
    [
      "node:test's skip option",
      { "test/session.test.js": tests.replace('test("finds a session", () =>', 'test("finds a session", { skip: true }, () =>') },
      "{ skip: true }",
    ],
    [
      "a JUnit @Ignore",
      { "src/test/java/SessionTest.java": "class SessionTest {\n  @Ignore\n  @Test void finds() {}\n}\n" },
      "src/test/java/SessionTest.java:2: +@Ignore",
    ],
    [
      "a pytest skip mark",
      { "tests/test_session.py": '@pytest.mark.skip(reason="flaky")\ndef test_finds():\n    pass\n' },
      "tests/test_session.py:1: +@pytest.mark.skip",
    ],
  ])("flags %s", async (_case, edits, evidence) => {
    const result = check(plan(await changeOf(edits)), "keeps-tests");
    expect(result).toMatchObject({ passed: false, reason: "The change deletes or disables tests." });
    expect(result.evidence).toContain(evidence);
  });

  it.each([
    ["a new test", { "test/session.test.js": `${tests}test("a third", () => {});\n` }],
    ["a deleted source file", { "src/config.js": null }],
    ["code that mentions skipping", { "src/session.js": `${SESSION_FIX}export const skip = (rows, n) => rows.slice(n);\n` }],
  ])("does not flag %s", async (_case, edits) => {
    expect(check(plan(await changeOf(edits)), "keeps-tests").passed).toBe(true);
  });
});

describe("tests-pass and change-not-empty", () => {
  it("flags a change whose test run failed, with the command, exit code and the output's end", async () => {
    const change = {
      ...(await changeOf({ "src/session.js": SESSION_FIX })),
      tests: { command: "node --test", exitCode: 1, passed: false, output: "# tests 2\n# pass 1\n# fail 1\n" },
    };
    expect(check(plan(change), "tests-pass")).toEqual({
      name: "tests-pass",
      passed: false,
      reason: "The repository's tests fail with the change.",
      evidence: "node --test: exit code 1\n# tests 2\n# pass 1\n# fail 1",
    });
  });

  it("flags a test run stopped at its time limit", async () => {
    const change = { ...(await changeOf({ "src/session.js": SESSION_FIX })), tests: { command: "node --test", exitCode: null, passed: false, output: "" } };
    expect(check(plan(change), "tests-pass").evidence).toBe("node --test: exit code none (stopped)");
  });

  it("flags a change with no diff, and passes a plan without a change or without a workspace", async () => {
    const nothing = await changeOf({});
    expect(nothing.diff).toBe("");
    expect(check(plan({ ...nothing, tests: passingTests }), "change-not-empty")).toMatchObject({ passed: false, evidence: "an empty diff" });
    expect(failedChecks(plan())).toEqual([]);
    expect(check(plan(undefined, { noWorkspace: "no code host has the repository" }), "change-not-empty")).toMatchObject({
      passed: true,
      reason: "No workspace: no code host has the repository",
    });
  });
});
