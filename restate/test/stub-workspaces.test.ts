// The stub provider in real workspaces: for a repository the code host has (the demo repositories
// seeded under the tests' REPOS_DIR), the stub agents read, change and test real files, so the plans
// carry real diffs and test results; for one it does not have, the scenario still plays, without one.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { effects, finding, startTestStack, TEST_REPOS_DIR, type TestStack } from "./harness";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

/** What is left in the stack's WORKSPACES_DIR: nothing, once every rung has ended. */
const workspacesLeft = () => {
  const dir = join(stack.dir, "workspaces");
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe("the stub provider in a hosted repository", () => {
  it("auto-clears web-storefront with the lodash bump as a real diff whose tests passed, and removes the workspace", async () => {
    const low = finding({ severity: "low", repo: "web-storefront", description: "outdated lodash with prototype pollution" });
    await stack.workflow(low.id).workflowSubmit(low);
    const status = await stack.waitForStage(low.id, "completed");

    expect(status.attempts).toMatchObject([{ agent: "fastExecutor", result: "accepted" }]);
    const change = status.plans[0]?.plan.change;
    expect(change?.files.sort()).toEqual(["package-lock.json", "package.json"]);
    expect(change?.diff).toContain('-    "lodash": "4.17.15"\n+    "lodash": "4.17.21"');
    expect(change?.baseRevision).toMatch(/^[0-9a-f]{40}$/);
    expect(change?.tests).toMatchObject({ command: "node --test", exitCode: 0, passed: true });
    expect(change?.tests?.output).toMatch(/\bfail 0\b/);
    expect(status.verdict?.checks.find((check) => check.name === "tests-pass")).toMatchObject({ passed: true });
    expect(status.verdict?.checks.every((check) => check.passed)).toBe(true);

    // The rung's workspace was a clone that is gone now: opened and discarded once, nothing left on disk.
    const ledger = stack.ledger(low.id);
    expect(effects(ledger, "open-workspace").map((entry) => entry.system)).toEqual(["code-host"]);
    expect(effects(ledger, "discard-workspace")).toHaveLength(1);
    expect(workspacesLeft()).toEqual([]);

    // The diff applies to the repository at its base revision, and the tests pass there.
    const checkout = mkdtempSync(join(tmpdir(), "stub-diff-"));
    try {
      execFileSync("git", ["clone", "-q", join(TEST_REPOS_DIR, "web-storefront.git"), checkout]);
      execFileSync("git", ["checkout", "-q", change!.baseRevision], { cwd: checkout });
      execFileSync("git", ["apply", "-"], { cwd: checkout, input: change!.diff });
      expect(execFileSync(process.execPath, ["--test"], { cwd: checkout, encoding: "utf8" })).toMatch(/\bfail 0\b/);
    } finally {
      rmSync(checkout, { recursive: true, force: true });
    }
  });

  it("rejects the fast agent's real table rebuild on prod-db, quoting the diff line, and accepts the conservative agent's parameterized query", async () => {
    const cve006 = finding({ severity: "low", description: "SQL injection in session store", repo: "prod-db" });
    await stack.submitAs("submitter@corp.com", cve006);
    const waiting = await stack.waitForStage(cve006.id, "awaiting-approval");

    expect(waiting.attempts.map((attempt) => attempt.outcome)).toEqual(["rejected: Plan contains destructive operations.", "accepted"]);
    const [fast, conservative] = waiting.plans.map((record) => record.plan);
    expect(fast?.change?.files).toContain("migrations/002_rebuild_sessions.sql");
    expect(waiting.verdicts[0]?.checks.find((check) => check.name === "no-destructive-operations")?.evidence).toContain(
      "migrations/002_rebuild_sessions.sql:2: +DROP TABLE IF EXISTS sessions CASCADE;",
    );
    expect(conservative?.change?.files).toEqual(["src/session-store.js"]);
    expect(conservative?.change?.diff).toContain('+  const rows = await db.query("SELECT token, user_id FROM sessions WHERE token = $1", [token]);');
    expect(conservative?.change?.tests).toMatchObject({ exitCode: 0, passed: true });
    expect(workspacesLeft()).toEqual([]);
  });
});

describe("the stub provider and a repository no code host has", () => {
  it("plays the scenario with a plan that says why it has no workspace, and carries no change", async () => {
    const nowhere = finding({ severity: "low", repo: "team/not-hosted-anywhere" });
    await stack.workflow(nowhere.id).workflowSubmit(nowhere);
    const status = await stack.waitForStage(nowhere.id, "completed");

    expect(status.attempts).toMatchObject([{ agent: "fastExecutor", result: "accepted" }]);
    const plan = status.plans[0]?.plan;
    expect(plan?.noWorkspace).toBe(`no code host has the repository "team/not-hosted-anywhere" (looked under REPOS_DIR, ${TEST_REPOS_DIR})`);
    expect(plan?.change).toBeUndefined();
    expect(status.verdict?.checks.find((check) => check.name === "change-not-empty")?.reason).toMatch(/^No workspace: no code host has/);
  });
});
