// The executor's tools, declared in one place: each a zod input schema and a description the model reads
// (AI SDK tool definitions without `execute`: the agent loop journals each call and runs it with `runTool`).
// A refusal (a path outside the workspace, a command off the allowlist, …) is the tool's result, never a throw.
import { tool } from "ai";
import { mkdir, readdir, readFile, stat, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { git } from "./git";
import { resolveInWorkspace } from "./paths";
import { chooseIsolation, runCommand, unreachableByNobody, type CommandResult } from "./sandbox";
import type { Workspace } from "./workspaces";
import { commandWords, type WorkspaceSettings } from "./workspace-settings";

const MAX_WRITE_BYTES = 512 * 1024;
const MAX_READ_BYTES = 16 * 1024 * 1024;
const MAX_LISTED = 1000;
const MAX_SEARCH_HITS = 200;
const SKIPPED_DIRS = new Set([".git", "node_modules"]);

const relativePath = (what: string) => z.string().min(1).max(1000).describe(`${what}, relative to the repository's root`);

export const TOOL_INPUT_SCHEMAS = {
  list_files: z.object({ path: relativePath("The directory to list").default(".") }).strict(),
  read_file: z.object({ path: relativePath("The file to read") }).strict(),
  search_code: z
    .object({
      text: z.string().min(1).max(200).describe("The text to look for, literally (not a pattern)"),
      path: relativePath("The directory to search in").default("."),
      ignoreCase: z.boolean().default(false),
    })
    .strict(),
  write_file: z
    .object({
      path: relativePath("The file to create or replace"),
      content: z.string().max(MAX_WRITE_BYTES).describe("The file's whole new content"),
    })
    .strict(),
  apply_patch: z.object({ patch: z.string().min(1).max(MAX_WRITE_BYTES).describe("A unified diff (git diff format, paths a/… b/…)") }).strict(),
  run_tests: z
    .object({
      command: z.string().max(1000).optional().describe("The command line to run; leave out to run the repository's test command"),
    })
    .strict(),
} as const;

export type WorkspaceToolName = keyof typeof TOOL_INPUT_SCHEMAS;
export const WORKSPACE_TOOL_NAMES = Object.keys(TOOL_INPUT_SCHEMAS) as WorkspaceToolName[];

export const WORKSPACE_TOOLS = {
  list_files: tool({
    description: "List the files under a directory of the repository, recursively (git's directory and node_modules left out).",
    inputSchema: TOOL_INPUT_SCHEMAS.list_files,
  }),
  read_file: tool({ description: "Read a text file of the repository.", inputSchema: TOOL_INPUT_SCHEMAS.read_file }),
  search_code: tool({
    description: "Find the lines of the repository's text files that contain a piece of text; answers path:line: text.",
    inputSchema: TOOL_INPUT_SCHEMAS.search_code,
  }),
  write_file: tool({
    description: "Create a file of the repository or replace its whole content (directories are created as needed).",
    inputSchema: TOOL_INPUT_SCHEMAS.write_file,
  }),
  apply_patch: tool({
    description: "Apply a unified diff to the repository's files; either every hunk applies or nothing changes.",
    inputSchema: TOOL_INPUT_SCHEMAS.apply_patch,
  }),
  run_tests: tool({
    description: "Run the repository's tests (or another allowed command) without network access, and get its exit code and output.",
    inputSchema: TOOL_INPUT_SCHEMAS.run_tests,
  }),
};

export interface TestRun {
  command: string;
  exitCode: number | null;
  timedOut: boolean;
  passed: boolean;
  durationMs: number;
  isolation: string;
}

export interface ToolResult {
  /** `refused`: the call broke a rule and nothing happened; `failed`: it was allowed but did not work. */
  outcome: "ok" | "refused" | "failed";
  /** What goes back to the model as the tool's result. */
  text: string;
  /** run_tests only, when the command ran. */
  testRun?: TestRun;
}

const ok = (text: string): ToolResult => ({ outcome: "ok", text });
const refused = (reason: string): ToolResult => ({ outcome: "refused", text: `Refused: ${reason}.` });
const failed = (text: string): ToolResult => ({ outcome: "failed", text });

function capped(text: string, capBytes: number): string {
  const bytes = Buffer.byteLength(text);
  if (bytes <= capBytes) return text;
  const kept = Buffer.from(text).subarray(0, capBytes).toString("utf8");
  return `${kept}\n[truncated: ${bytes - capBytes} more bytes past the ${capBytes}-byte cap]`;
}

const isBinary = (content: Buffer) => content.subarray(0, 8000).includes(0);

/** Every file under `dir` (relative to the workspace root), directories first met first; no symlink is followed. */
async function walk(root: string, dir: string, visit: (relative: string, isDir: boolean) => Promise<boolean>): Promise<void> {
  const entries = (await readdir(join(root, dir), { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.isDirectory() && SKIPPED_DIRS.has(entry.name)) continue;
    const relative = dir === "." ? entry.name : `${dir}/${entry.name}`;
    if (!(await visit(relative, entry.isDirectory()))) return;
    if (entry.isDirectory()) await walk(root, relative, visit);
  }
}

async function listFiles(workspace: Workspace, input: z.infer<typeof TOOL_INPUT_SCHEMAS.list_files>, settings: WorkspaceSettings) {
  const target = resolveInWorkspace(workspace.dir, input.path);
  if (!target.ok) return refused(target.reason);
  if (!(await stat(target.path).catch(() => undefined))?.isDirectory()) return failed(`"${input.path}" is not a directory.`);
  const lines: string[] = [];
  let more = false;
  await walk(workspace.dir, target.relativePath, async (relative, isDir) => {
    if (lines.length >= MAX_LISTED) return !(more = true);
    lines.push(isDir ? `${relative}/` : relative);
    return true;
  });
  if (more) lines.push(`[listing stopped at ${MAX_LISTED} entries: list a subdirectory]`);
  return ok(capped(lines.join("\n") || "(empty)", settings.outputCapBytes));
}

async function readWorkspaceFile(workspace: Workspace, input: z.infer<typeof TOOL_INPUT_SCHEMAS.read_file>, settings: WorkspaceSettings) {
  const target = resolveInWorkspace(workspace.dir, input.path);
  if (!target.ok) return refused(target.reason);
  const info = await stat(target.path).catch(() => undefined);
  if (!info?.isFile()) return failed(`"${input.path}" is not a file.`);
  if (info.size > MAX_READ_BYTES) return failed(`"${input.path}" is ${info.size} bytes, too large to read whole: search it instead.`);
  const content = await readFile(target.path);
  if (isBinary(content)) return failed(`"${input.path}" is a binary file.`);
  return ok(capped(content.toString("utf8"), settings.outputCapBytes));
}

async function searchCode(workspace: Workspace, input: z.infer<typeof TOOL_INPUT_SCHEMAS.search_code>, settings: WorkspaceSettings) {
  const target = resolveInWorkspace(workspace.dir, input.path);
  if (!target.ok) return refused(target.reason);
  if (!(await stat(target.path).catch(() => undefined))?.isDirectory()) return failed(`"${input.path}" is not a directory.`);
  const needle = input.ignoreCase ? input.text.toLowerCase() : input.text;
  const hits: string[] = [];
  await walk(workspace.dir, target.relativePath, async (relative, isDir) => {
    if (isDir) return true;
    const path = join(workspace.dir, relative);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile() || info.size > 1024 * 1024 || !resolveInWorkspace(workspace.dir, relative).ok) return true;
    const content = await readFile(path);
    if (isBinary(content)) return true;
    const lines = content.toString("utf8").split("\n");
    for (const [index, line] of lines.entries()) {
      if ((input.ignoreCase ? line.toLowerCase() : line).includes(needle)) hits.push(`${relative}:${index + 1}: ${line}`);
      if (hits.length >= MAX_SEARCH_HITS) return false;
    }
    return true;
  });
  if (hits.length >= MAX_SEARCH_HITS) hits.push(`[search stopped at ${MAX_SEARCH_HITS} matching lines: narrow it]`);
  return ok(capped(hits.join("\n") || "no matches", settings.outputCapBytes));
}

async function writeWorkspaceFile(workspace: Workspace, input: z.infer<typeof TOOL_INPUT_SCHEMAS.write_file>) {
  const target = resolveInWorkspace(workspace.dir, input.path);
  if (!target.ok) return refused(target.reason);
  if ((await stat(target.path).catch(() => undefined))?.isDirectory()) return failed(`"${input.path}" is a directory.`);
  await mkdir(dirname(target.path), { recursive: true });
  await writeFile(target.path, input.content);
  return ok(`wrote ${target.relativePath} (${Buffer.byteLength(input.content)} bytes)`);
}

/** The paths a unified diff names (a/ and b/ prefixes taken off), and whether it makes a symbolic link. */
function patchTargets(patch: string): { paths: string[]; makesSymlink: boolean } {
  const paths = new Set<string>();
  const strip = (name: string) => name.replace(/^"|"$/g, "").replace(/^[ab]\//, "");
  for (const line of patch.split("\n")) {
    const header = /^diff --git (\S+) (\S+)/.exec(line);
    if (header) [header[1]!, header[2]!].forEach((name) => paths.add(strip(name)));
    const file = /^(?:---|\+\+\+) (\S+)/.exec(line);
    if (file && file[1] !== "/dev/null") paths.add(strip(file[1]!));
    const renamed = /^(?:rename|copy) (?:from|to) (.+)$/.exec(line);
    if (renamed) paths.add(renamed[1]!);
  }
  return { paths: [...paths], makesSymlink: /^(?:new file mode|new mode|old mode) 120000/m.test(patch) };
}

async function applyPatch(workspace: Workspace, input: z.infer<typeof TOOL_INPUT_SCHEMAS.apply_patch>) {
  const { paths, makesSymlink } = patchTargets(input.patch);
  if (paths.length === 0) return refused("the patch names no file (expected a unified diff with ---/+++ or diff --git lines)");
  if (makesSymlink) return refused("the patch makes a symbolic link");
  for (const path of paths) {
    const target = resolveInWorkspace(workspace.dir, path);
    if (!target.ok) return refused(target.reason);
  }
  try {
    await git(["apply", "--recount", "--whitespace=nowarn", "-"], { cwd: workspace.dir, input: input.patch.endsWith("\n") ? input.patch : `${input.patch}\n` });
  } catch (error) {
    return failed(`The patch did not apply, nothing changed: ${(error as Error).message}`);
  }
  return ok(`applied the patch to ${paths.join(", ")}`);
}

/** Allowed: an allowlisted command exactly, or followed by paths inside the workspace (e.g. one test file). */
function allowedCommand(words: string[], workspace: Workspace, settings: WorkspaceSettings): string | undefined {
  const match = settings.commands.find((allowed) => allowed.length <= words.length && allowed.every((word, i) => words[i] === word));
  if (!match) return `"${words.join(" ")}" is not an allowed command (allowed: ${settings.commands.map((c) => c.join(" ")).join("; ")})`;
  for (const extra of words.slice(match.length)) {
    if (extra.startsWith("-")) return `"${extra}": only paths inside the repository may follow "${match.join(" ")}"`;
    const target = resolveInWorkspace(workspace.dir, extra);
    if (!target.ok) return target.reason;
  }
  return undefined;
}

function describeRun(command: string, result: CommandResult, isolation: string, capBytes: number): string {
  const ending = result.timedOut
    ? `stopped after the ${Math.round(result.durationMs / 1000)} s time limit (its processes were killed)`
    : result.exitCode === null
      ? `killed by ${result.signal}`
      : `exit code ${result.exitCode}`;
  const dropped = result.droppedBytes > 0 ? `\n[truncated: ${result.droppedBytes} more bytes past the ${capBytes}-byte cap]` : "";
  const report = `$ ${command}\n${ending}, ${result.durationMs} ms, isolation: ${isolation}\n${result.output}${dropped}`;
  return result.timedOut ? `Refused: the command ran past its time limit.\n${report}` : report;
}

async function runTests(workspace: Workspace, input: z.infer<typeof TOOL_INPUT_SCHEMAS.run_tests>, settings: WorkspaceSettings) {
  const words = input.command === undefined ? settings.commands[0]! : commandWords(input.command);
  if (words.length === 0) return refused("the command is empty");
  const notAllowed = allowedCommand(words, workspace, settings);
  if (notAllowed) return refused(notAllowed);
  const choice = await chooseIsolation(settings.sandbox);
  if (!choice.ok) return refused(choice.reason);
  const { isolation } = choice;
  const blocked = unreachableByNobody(isolation, workspace.dir);
  if (blocked) return refused(`the sandbox's user cannot reach the workspace: ${blocked} is not searchable by others (set WORKSPACES_DIR elsewhere)`);
  const command = words.join(" ");
  const result = await runCommand(isolation.wrap(words, workspace.dir), {
    cwd: workspace.dir,
    timeoutMs: settings.commandTimeoutMs,
    outputCapBytes: settings.outputCapBytes,
  });
  const testRun: TestRun = {
    command,
    exitCode: result.exitCode,
    timedOut: result.timedOut,
    passed: !result.timedOut && result.exitCode === 0,
    durationMs: result.durationMs,
    isolation: isolation.description,
  };
  return {
    outcome: testRun.timedOut ? "refused" : "ok",
    text: describeRun(command, result, isolation.description, settings.outputCapBytes),
    testRun,
  } satisfies ToolResult;
}

function dispatch(workspace: Workspace, toolName: WorkspaceToolName, input: unknown, settings: WorkspaceSettings): Promise<ToolResult> {
  switch (toolName) {
    case "list_files":
      return listFiles(workspace, input as z.infer<typeof TOOL_INPUT_SCHEMAS.list_files>, settings);
    case "read_file":
      return readWorkspaceFile(workspace, input as z.infer<typeof TOOL_INPUT_SCHEMAS.read_file>, settings);
    case "search_code":
      return searchCode(workspace, input as z.infer<typeof TOOL_INPUT_SCHEMAS.search_code>, settings);
    case "write_file":
      return writeWorkspaceFile(workspace, input as z.infer<typeof TOOL_INPUT_SCHEMAS.write_file>);
    case "apply_patch":
      return applyPatch(workspace, input as z.infer<typeof TOOL_INPUT_SCHEMAS.apply_patch>);
    case "run_tests":
      return runTests(workspace, input as z.infer<typeof TOOL_INPUT_SCHEMAS.run_tests>, settings);
  }
}

/**
 * Runs one tool call. The input is checked against the tool's schema first; a bad input or a broken rule
 * comes back as a refusal for the model, a file-system error as a failure; only a fault in this code throws.
 */
export async function runTool(workspace: Workspace, name: string, input: unknown, settings: WorkspaceSettings): Promise<ToolResult> {
  if (!Object.hasOwn(TOOL_INPUT_SCHEMAS, name)) return refused(`there is no tool "${name}" (tools: ${WORKSPACE_TOOL_NAMES.join(", ")})`);
  const toolName = name as WorkspaceToolName;
  const parsed = TOOL_INPUT_SCHEMAS[toolName].safeParse(input);
  if (!parsed.success) return refused(`invalid input for ${toolName}: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`);
  try {
    return await dispatch(workspace, toolName, parsed.data, settings);
  } catch (error) {
    // The file system said no (a path through a file, a name too long): the model can try otherwise.
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return failed(`${toolName} failed: ${(error as Error).message.replaceAll(workspace.dir, ".")}`);
    throw error;
  }
}
