import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_REPOS, demoRepoFix, repositoryPath, seedDemoRepos } from "./demo-repos";
import { git } from "./git";
import { runTool } from "./tools";
import { seededFixture, type WorkspaceFixture } from "./workspace-fixture";
import { diffOf, openWorkspace } from "./workspaces";

let fixture: WorkspaceFixture;
beforeAll(async () => {
  fixture = await seededFixture();
});
afterAll(() => fixture.remove());

/** A test of each vulnerability, as an attacker would try it: it fails while the bug is there. */
const EXPLOITS: Record<string, string> = {
  "web-storefront": `import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
test("lodash is past the prototype pollution fixed in 4.17.21", () => {
  const [major, minor, patch] = JSON.parse(readFileSync("package.json", "utf8")).dependencies.lodash.split(".").map(Number);
  assert.ok(major > 4 || (major === 4 && (minor > 17 || (minor === 17 && patch >= 21))));
});`,
  "ci-infra": `import assert from "node:assert/strict";
import { test } from "node:test";
import { describePublish, publishSettings } from "../src/publish.js";
test("the CI log never shows the registry token", () => {
  assert.doesNotMatch(describePublish(publishSettings({ PACKAGE: "p", VERSION: "1", REGISTRY_URL: "r", REGISTRY_TOKEN: "npm_live_secret" })), /npm_live_secret/);
});`,
  "prod-db": `import assert from "node:assert/strict";
import { test } from "node:test";
import { findSession } from "../src/session-store.js";
import { memoryDb } from "../support/memory-db.js";
test("a crafted token finds no one's session", async () => {
  assert.equal(await findSession(memoryDb([{ token: "t-alice", user_id: 1 }]), "x' OR 'a'='a"), null);
});`,
  "web-monorepo": `import assert from "node:assert/strict";
import { test } from "node:test";
import { renderResults } from "../src/index.js";
test("a query cannot inject markup", () => {
  assert.doesNotMatch(renderResults("<script>alert(1)</script>", []), /<script>/);
});`,
  "billing-api": `import assert from "node:assert/strict";
import { test } from "node:test";
import { invoiceOptions } from "../src/invoice.js";
test("a request body cannot pollute every object", () => {
  invoiceOptions('{"__proto__":{"polluted":true}}');
  assert.equal({}.polluted, undefined);
});`,
};

const EXPLOIT_FILE: Record<string, string> = { "web-monorepo": "packages/search/test/exploit.test.js" };
const exploitFile = (repo: string) => EXPLOIT_FILE[repo] ?? "test/exploit.test.js";

describe("the demo repositories", () => {
  it("are seeded once, as bare repositories with the same revisions on every seed", async () => {
    const revisions = await Promise.all(
      DEMO_REPOS.map(async ({ name }) => {
        const path = repositoryPath(fixture.settings.reposDir, name);
        expect(path, name).toBe(`${fixture.settings.reposDir}/${name}.git`);
        return git(["rev-parse", "HEAD"], { cwd: path! });
      }),
    );
    expect(await seedDemoRepos(fixture.settings.reposDir)).toEqual({ created: [], existing: DEMO_REPOS.map(({ name }) => name) });

    const again = await seededFixture();
    try {
      const seededAgain = await Promise.all(DEMO_REPOS.map(({ name }) => git(["rev-parse", "HEAD"], { cwd: repositoryPath(again.settings.reposDir, name)! })));
      expect(seededAgain).toEqual(revisions);
    } finally {
      again.remove();
    }
  });

  it("are found by the names the preset findings carry, and nothing outside REPOS_DIR is", () => {
    expect(repositoryPath(fixture.settings.reposDir, "no-such-repo")).toBeUndefined();
    expect(repositoryPath(fixture.settings.reposDir, "../repos/prod-db")).toBeUndefined();
    expect(repositoryPath(fixture.settings.reposDir, "team/../prod-db")).toBeUndefined();
  });

  it.each(DEMO_REPOS.map((demo) => [demo.name, demo] as const))("%s: its tests pass as shipped, in the sandbox, with plain node --test", async (name) => {
    const workspace = await openWorkspace({ repo: name, runKey: `shipped/${name}` }, fixture.settings);
    const result = await runTool(workspace, "run_tests", {}, fixture.settings);
    expect(result.text).toMatch(/isolation: (bubblewrap|unshare)/);
    expect(result.testRun, result.text).toMatchObject({ command: "node --test", passed: true, exitCode: 0 });
    expect(result.text).toMatch(/pass [1-9]/);
    expect(result.text).toMatch(/fail 0/);
  });

  it.each(DEMO_REPOS.map((demo) => [demo.name, demo] as const))(
    "%s: the vulnerability is real, and the reference fix (if any) closes it with the tests still green",
    async (name, demo) => {
      const workspace = await openWorkspace({ repo: name, runKey: `exploit/${name}` }, fixture.settings);
      await runTool(workspace, "write_file", { path: exploitFile(name), content: EXPLOITS[name] }, fixture.settings);
      const before = await runTool(workspace, "run_tests", {}, fixture.settings);
      expect(before.testRun?.passed, before.text).toBe(false);
      expect(before.text).toMatch(/fail 1/);

      const fix = await demoRepoFix(name);
      expect(Object.keys(fix).length > 0).toBe(demo.fixableInRepo);
      if (!demo.fixableInRepo) return;
      for (const [path, content] of Object.entries(fix))
        expect((await runTool(workspace, "write_file", { path, content }, fixture.settings)).outcome).toBe("ok");
      const after = await runTool(workspace, "run_tests", {}, fixture.settings);
      expect(after.testRun, after.text).toMatchObject({ passed: true });
      const { files } = await diffOf(workspace);
      expect(files.map((file) => file.path).sort()).toEqual([...Object.keys(fix), exploitFile(name)].sort());
    },
  );
});
