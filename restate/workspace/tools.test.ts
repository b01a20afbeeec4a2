import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asSchema, type Tool } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseIsolation } from "./sandbox";
import { runTool, WORKSPACE_TOOL_NAMES, WORKSPACE_TOOLS } from "./tools";
import { seededFixture, type WorkspaceFixture } from "./workspace-fixture";
import { diffOf, discardWorkspace, openWorkspace, sweepLeftovers, type Workspace } from "./workspaces";

let fixture: WorkspaceFixture;
beforeAll(async () => {
  fixture = await seededFixture();
});
afterAll(() => fixture.remove());

let keys = 0;
const fresh = (repo = "prod-db") => openWorkspace({ repo, runKey: `inv_test/${++keys}` }, fixture.settings);
const call = (workspace: Workspace, name: string, input: unknown, settings = fixture.settings) => runTool(workspace, name, input, settings);

describe("the tool declarations", () => {
  it("declare every tool once, with a description and a JSON schema a model can read, and no execute", async () => {
    expect(Object.keys(WORKSPACE_TOOLS)).toEqual(WORKSPACE_TOOL_NAMES);
    for (const [name, declared] of Object.entries(WORKSPACE_TOOLS) as [string, Tool][]) {
      expect(declared.description, name).toBeTruthy();
      expect("execute" in declared && declared.execute, name).toBeFalsy();
      const jsonSchema = await asSchema(declared.inputSchema).jsonSchema;
      expect(jsonSchema, name).toMatchObject({ type: "object" });
    }
    expect(await asSchema(WORKSPACE_TOOLS.write_file.inputSchema).jsonSchema).toMatchObject({ required: ["path", "content"] });
  });
});

describe("reading and searching", () => {
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = await fresh();
  });

  it("lists the repository's files and reads one", async () => {
    const listing = await call(workspace, "list_files", {});
    expect(listing.outcome).toBe("ok");
    expect(listing.text.split("\n")).toEqual(expect.arrayContaining(["src/", "src/session-store.js", "migrations/001_sessions.sql"]));
    expect(listing.text).not.toMatch(/\.git\//);
    expect((await call(workspace, "read_file", { path: "src/session-store.js" })).text).toContain("WHERE token = '${token}'");
  });

  it("finds the lines that contain a text, literally", async () => {
    const hits = await call(workspace, "search_code", { text: "FROM sessions" });
    expect(hits.text.split("\n")).toEqual(expect.arrayContaining([expect.stringMatching(/^src\/session-store\.js:3: .*SELECT token, user_id FROM sessions/)]));
    expect((await call(workspace, "search_code", { text: "(.*)" })).text).toContain("support/memory-db.js");
    expect((await call(workspace, "search_code", { text: "no such text anywhere" })).text).toBe("no matches");
  });

  it.each([
    ["a traversal", "read_file", { path: "../../etc/passwd" }, /outside the workspace/],
    ["a traversal that comes back in", "read_file", { path: "src/../../../../../../etc/passwd" }, /outside the workspace/],
    ["an absolute path", "read_file", { path: "/etc/passwd" }, /is absolute/],
    ["git's own directory", "read_file", { path: ".git/config" }, /git's own directory/],
    ["a listing outside", "list_files", { path: ".." }, /outside the workspace/],
    ["a search outside", "search_code", { text: "root", path: "/etc" }, /is absolute/],
    ["a write outside", "write_file", { path: "../escaped.js", content: "x" }, /outside the workspace/],
    ["a write into git's hooks", "write_file", { path: ".git/hooks/pre-commit", content: "x" }, /git's own directory/],
    ["an input of the wrong shape", "read_file", { file: "src/session-store.js" }, /invalid input for read_file/],
    ["a tool that does not exist", "delete_repo", {}, /there is no tool "delete_repo"/],
    ["a tool name that is an object's own property", "constructor", {}, /there is no tool "constructor"/],
  ])("refuses %s, as the tool's result", async (_what, name, input, reason) => {
    const result = await call(workspace, name, input);
    expect(result).toMatchObject({ outcome: "refused", text: expect.stringMatching(/^Refused: /) });
    expect(result.text).toMatch(reason);
  });

  it("refuses to follow a symbolic link out of the workspace, or into git's directory, and reads one that stays inside", async () => {
    symlinkSync("/etc", join(workspace.dir, "etc-link"));
    symlinkSync("/etc/passwd", join(workspace.dir, "passwd-link"));
    symlinkSync(".git", join(workspace.dir, "git-link"));
    symlinkSync("src/session-store.js", join(workspace.dir, "store-link.js"));
    for (const [name, input] of [
      ["read_file", { path: "etc-link/passwd" }],
      ["read_file", { path: "passwd-link" }],
      ["list_files", { path: "etc-link" }],
      ["write_file", { path: "etc-link/evil.conf", content: "x" }],
      ["write_file", { path: "passwd-link", content: "x" }],
    ] as const)
      expect((await call(workspace, name, input)).text, `${name} ${JSON.stringify(input)}`).toMatch(
        /^Refused: .*outside the workspace through a symbolic link/,
      );
    expect((await call(workspace, "read_file", { path: "git-link/config" })).text).toMatch(/^Refused: .*git's own directory through a symbolic link/);
    expect((await call(workspace, "read_file", { path: "store-link.js" })).text).toContain("findSession");
    expect(existsSync("/etc/evil.conf")).toBe(false);
  });
});

describe("changing files", () => {
  it("a written file shows in the diff against the base revision as a unified diff", async () => {
    const workspace = await fresh();
    const fixed = (await call(workspace, "read_file", { path: "src/session-store.js" })).text.replace(
      "`SELECT token, user_id FROM sessions WHERE token = '${token}'`",
      '"SELECT token, user_id FROM sessions WHERE token = $1", [token]',
    );
    expect((await call(workspace, "write_file", { path: "src/session-store.js", content: fixed })).outcome).toBe("ok");
    expect((await call(workspace, "write_file", { path: "docs/SECURITY.md", content: "Bind, never build.\n" })).outcome).toBe("ok");

    const { diff, files } = await diffOf(workspace);
    expect(files).toEqual([
      { path: "docs/SECURITY.md", change: "added" },
      { path: "src/session-store.js", change: "modified" },
    ]);
    expect(diff).toContain(
      [
        "--- a/src/session-store.js",
        "+++ b/src/session-store.js",
        "@@ -1,6 +1,6 @@",
        " // Sessions are looked up by their token on every request. `db.query(sql, params)` is node-postgres' shape.",
        " export async function findSession(db, token) {",
        "-  const rows = await db.query(`SELECT token, user_id FROM sessions WHERE token = '${token}'`);",
        '+  const rows = await db.query("SELECT token, user_id FROM sessions WHERE token = $1", [token]);',
        "   return rows[0] ?? null;",
        " }",
        " ",
      ].join("\n"),
    );
    expect(diff).toMatch(/^diff --git a\/src\/session-store\.js b\/src\/session-store\.js\nindex [0-9a-f]+\.\.[0-9a-f]+ 100644\n--- a/m);
    expect(diff).toMatch(/^diff --git a\/docs\/SECURITY\.md b\/docs\/SECURITY\.md\nnew file mode 100644\n/m);
    expect(diff).toContain("+Bind, never build.\n");
    expect(workspace.baseRevision).toMatch(/^[0-9a-f]{40}$/);
  });

  it("the diff shows what a .gitignore or .gitattributes written into the workspace would hide", async () => {
    const workspace = await fresh();
    await call(workspace, "write_file", { path: ".gitignore", content: "helper.js\n" });
    await call(workspace, "write_file", { path: ".gitattributes", content: "*.js -diff\n" });
    await call(workspace, "write_file", { path: "helper.js", content: "export const hidden = true;\n" });
    await call(workspace, "write_file", { path: "src/session-store.js", content: "export const replaced = true;\n" });
    const { diff, files } = await diffOf(workspace);
    expect(files.map((file) => file.path)).toEqual([".gitattributes", ".gitignore", "helper.js", "src/session-store.js"]);
    expect(diff).toContain("+export const hidden = true;");
    expect(diff).toContain("+export const replaced = true;");
    expect(diff).not.toMatch(/Binary files/);
  });

  it("a write the file system cannot do is answered with its reason, not a crash, and names no host path", async () => {
    const workspace = await fresh();
    const result = await call(workspace, "write_file", { path: "package.json/inner.js", content: "x" });
    expect(result.outcome).not.toBe("ok");
    expect(result.text).toMatch(/"package\.json\/inner\.js" cannot be resolved \(ENOTDIR\)/);
    expect(result.text).not.toContain(workspace.dir);
  });

  it("applies a patch whole or not at all, and refuses one that reaches outside or makes a link", async () => {
    const workspace = await fresh();
    const patch = [
      "--- a/src/session-store.js",
      "+++ b/src/session-store.js",
      "@@ -2,3 +2,3 @@",
      " export async function findSession(db, token) {",
      "-  const rows = await db.query(`SELECT token, user_id FROM sessions WHERE token = '${token}'`);",
      '+  const rows = await db.query("SELECT token, user_id FROM sessions WHERE token = $1", [token]);',
      "   return rows[0] ?? null;",
      "",
    ].join("\n");
    expect(await call(workspace, "apply_patch", { patch })).toMatchObject({ outcome: "ok" });
    expect((await diffOf(workspace)).files).toEqual([{ path: "src/session-store.js", change: "modified" }]);

    const again = await call(workspace, "apply_patch", { patch });
    expect(again.outcome).toBe("failed");
    expect(again.text).toMatch(/did not apply, nothing changed/);

    const outside = patch.replaceAll("a/src/session-store.js", "a/../../etc/passwd").replaceAll("b/src/session-store.js", "b/../../etc/passwd");
    expect((await call(workspace, "apply_patch", { patch: outside })).text).toMatch(/^Refused: .*outside the workspace/);
    const link =
      "diff --git a/l b/l\nnew file mode 120000\nindex 0000000..1111111\n--- /dev/null\n+++ b/l\n@@ -0,0 +1 @@\n+/etc\n\\ No newline at end of file\n";
    expect((await call(workspace, "apply_patch", { patch: link })).text).toMatch(/^Refused: the patch makes a symbolic link/);
    expect((await call(workspace, "apply_patch", { patch: "just some text" })).text).toMatch(/^Refused: the patch names no file/);
  });
});

describe("workspaces", () => {
  it("one per rung key: opening it again gives the same clone with its changes, discarding it twice is harmless", async () => {
    const first = await openWorkspace({ repo: "web-monorepo", runKey: "inv_same/fastExecutor" }, fixture.settings);
    await call(first, "write_file", { path: "NOTE.md", content: "kept\n" });
    const again = await openWorkspace({ repo: "web-monorepo", runKey: "inv_same/fastExecutor" }, fixture.settings);
    expect(again).toEqual(first);
    expect((await call(again, "read_file", { path: "NOTE.md" })).text).toBe("kept\n");
    const other = await openWorkspace({ repo: "web-monorepo", runKey: "inv_same/conservativeExecutor" }, fixture.settings);
    expect(other.dir).not.toBe(first.dir);

    expect(await discardWorkspace(first)).toBe(true);
    expect(existsSync(first.dir)).toBe(false);
    expect(await discardWorkspace(first)).toBe(false);
    expect(existsSync(other.dir)).toBe(true);
  });

  it("discarding never removes a directory that is not the workspace it names", async () => {
    const elsewhere = join(fixture.root, "not-a-workspace");
    mkdirSync(elsewhere);
    await expect(discardWorkspace({ dir: elsewhere, runKey: "inv_x/fast" })).rejects.toThrow(/is not the workspace of inv_x\/fast/);
    const workspace = await fresh();
    await expect(discardWorkspace({ dir: workspace.dir, runKey: "inv_other/fast" })).rejects.toThrow(/is not the workspace/);
    expect(existsSync(elsewhere) && existsSync(workspace.dir)).toBe(true);
  });

  it("leftovers of crashed processes are swept: removals always, clones only once they are old", async () => {
    const dir = fixture.settings.workspacesDir;
    const live = await fresh();
    for (const name of [".discarding-x-1", ".opening-old", ".opening-new"]) mkdirSync(join(dir, name, "tree"), { recursive: true });
    const later = Date.now() + 60_000;
    expect((await sweepLeftovers(dir, 30_000, later)).sort()).toEqual([".discarding-x-1", ".opening-new", ".opening-old"]);
    for (const name of [".opening-young"]) mkdirSync(join(dir, name), { recursive: true });
    expect(await sweepLeftovers(dir, 30_000)).toEqual([]);
    expect(existsSync(join(dir, ".opening-young")) && existsSync(live.dir)).toBe(true);
  });

  it("a repository no code host has is an error before anything is made", async () => {
    await expect(openWorkspace({ repo: "nobody-has-this", runKey: "inv_x/fast" }, fixture.settings)).rejects.toThrow(/no repository "nobody-has-this"/);
    await expect(openWorkspace({ repo: "../repos/prod-db", runKey: "inv_x/fast" }, fixture.settings)).rejects.toThrow(/no repository/);
  });
});

describe("commands", () => {
  it.each([
    ["a command off the allowlist", "node -e process.exit(0)"],
    ["an option after the allowed command", "node --test --require=/etc/passwd"],
    ["a path outside after the allowed command", "node --test ../../etc"],
    ["a shell", "sh -c id"],
    ["an empty command", "   "],
  ])("refuses %s", async (_what, command) => {
    const result = await call(await fresh(), "run_tests", { command });
    expect(result.outcome).toBe("refused");
    expect(result.text).toMatch(/^Refused: /);
    expect(result.testRun).toBeUndefined();
  });

  it("runs an allowed command with a test file of the repository after it", async () => {
    const result = await call(await fresh(), "run_tests", { command: "node --test test/session-store.test.js" });
    expect(result.testRun, result.text).toMatchObject({ passed: true, command: "node --test test/session-store.test.js" });
  });

  it("cuts output past the cap and says how much was cut", async () => {
    const settings = { ...fixture.settings, outputCapBytes: 4096 };
    const workspace = await fresh();
    await call(workspace, "write_file", { path: "test/loud.test.js", content: 'process.stdout.write("x".repeat(2_000_000));\n' });
    const result = await call(workspace, "run_tests", {}, settings);
    expect(result.testRun?.exitCode).toBe(0);
    const cut = /\[truncated: (\d+) more bytes past the 4096-byte cap\]/.exec(result.text);
    expect(cut, result.text.slice(-300)).not.toBeNull();
    expect(Number(cut![1])).toBeGreaterThan(1_900_000);
    expect(result.text.length).toBeLessThan(4096 + 1000);
  });

  it("refuses a command past its time limit, killing everything it started", async () => {
    // Under unshare the sandbox shares /tmp, so a process left behind would be seen writing its heartbeat there.
    // 10 s: long enough for the detached process to start even on a loaded machine (the test shows it was running).
    const settings = { ...fixture.settings, commandTimeoutMs: 10_000, sandbox: "unshare" as const };
    const heartbeat = join(tmpdir(), `heartbeat-${process.pid}-${Date.now()}`);
    const workspace = await fresh();
    const beat = `setInterval(() => require("fs").writeFileSync(${JSON.stringify(heartbeat)}, String(Date.now())), 100)`;
    await call(workspace, "write_file", {
      path: "test/forever.test.js",
      content: `import { spawn } from "node:child_process";\nspawn(process.execPath, ["-e", ${JSON.stringify(beat)}], { detached: true, stdio: "ignore" });\nsetInterval(() => {}, 1000);\n`,
    });
    try {
      const started = performance.now();
      const result = await call(workspace, "run_tests", {}, settings);
      expect(performance.now() - started).toBeLessThan(40_000);
      expect(result.outcome).toBe("refused");
      expect(result.text).toMatch(/^Refused: the command ran past its time limit/);
      expect(result.testRun).toMatchObject({ timedOut: true, passed: false });
      expect(existsSync(heartbeat)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const last = readFileSync(heartbeat, "utf8");
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(readFileSync(heartbeat, "utf8")).toBe(last);
    } finally {
      rmSync(heartbeat, { force: true });
    }
  });

  describe("without network", () => {
    let server: Server;
    let requests = 0;
    let url = "";
    beforeAll(async () => {
      server = createServer((_request, response) => {
        requests++;
        response.end("reached");
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const networkTest = () =>
      `import assert from "node:assert/strict";\nimport { test } from "node:test";\ntest("reaches the network", async () => {\n  assert.equal(await (await fetch(${JSON.stringify(url)})).text(), "reached");\n});\n`;

    it.each(["auto", "bwrap", "unshare"] as const)("WORKSPACE_SANDBOX=%s: a test that calls a server on this machine cannot reach it", async (sandbox) => {
      const settings = { ...fixture.settings, sandbox };
      const workspace = await fresh();
      await call(workspace, "write_file", { path: "test/network.test.js", content: networkTest() });
      const before = requests;
      const result = await call(workspace, "run_tests", {}, settings);
      const choice = await chooseIsolation(sandbox);
      if (!choice.ok) {
        // This machine lacks the sandbox asked for: then no command runs at all.
        expect(result.text).toMatch(/^Refused: commands are refused: no sandbox works/);
        return;
      }
      expect(result.text).toContain(`isolation: ${choice.isolation.description}`);
      expect(result.testRun?.passed, result.text).toBe(false);
      expect(result.text).toMatch(/fetch failed|ECONNREFUSED|ENETUNREACH/);
      expect(requests).toBe(before);
    });

    it("WORKSPACE_SANDBOX=none runs the same test unisolated, and says so", async () => {
      const settings = { ...fixture.settings, sandbox: "none" as const };
      const workspace = await fresh();
      await call(workspace, "write_file", { path: "test/network.test.js", content: networkTest() });
      const before = requests;
      const result = await call(workspace, "run_tests", {}, settings);
      expect(result.text).toMatch(/isolation: no isolation \(WORKSPACE_SANDBOX=none\)/);
      expect(result.testRun?.passed, result.text).toBe(true);
      expect(requests).toBe(before + 1);
    });
  });

  it("a command cannot change the workspace it runs in", async () => {
    const workspace = await fresh();
    await call(workspace, "write_file", {
      path: "test/writer.test.js",
      content: 'import { writeFileSync } from "node:fs";\nimport { test } from "node:test";\ntest("writes", () => writeFileSync("src/planted.js", "x"));\n',
    });
    const result = await call(workspace, "run_tests", {});
    expect(result.testRun?.passed).toBe(false);
    expect(result.text).toMatch(/EACCES|EROFS/);
    expect(existsSync(join(workspace.dir, "src/planted.js"))).toBe(false);
  });
});

describe("where the sandbox's user cannot go", () => {
  it("refuses to run in a workspace the user nobody cannot reach, rather than run it as root", async () => {
    const hidden = join(fixture.root, "hidden");
    mkdirSync(hidden, { mode: 0o700 });
    const settings = { ...fixture.settings, workspacesDir: join(hidden, "workspaces"), sandbox: "unshare" as const };
    const workspace = await openWorkspace({ repo: "prod-db", runKey: "inv_hidden/fast" }, settings);
    const result = await call(workspace, "run_tests", {}, settings);
    if (process.getuid?.() !== 0 || !(await chooseIsolation("unshare")).ok) return expect(result.outcome).toBe(process.getuid?.() === 0 ? "refused" : "ok");
    expect(result.text).toMatch(/^Refused: the sandbox's user cannot reach the workspace: .*hidden is not searchable by others/);
  });
});
