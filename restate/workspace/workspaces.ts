// One clone of the finding's repository per rung, named by the rung's key: opening it again gives the
// same workspace, discarding it twice is harmless. Its diff against the revision it was cloned at is the
// plan's change.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { repositoryPath, UnknownRepositoryError } from "./demo-repos";
import { git } from "./git";

export interface Workspace {
  runKey: string;
  repo: string;
  /** The clone's work tree. */
  dir: string;
  /** The commit the clone started from: the diff is taken against it. */
  baseRevision: string;
}

export interface WorkspaceLocations {
  reposDir: string;
  workspacesDir: string;
}

const RECORD = join(".git", "restate-workspace.json");

/** A directory name for a rung's key: readable, and unique by a hash of the whole key. */
export function workspaceDirName(runKey: string): string {
  const readable = runKey.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 60);
  return `${readable}-${createHash("sha256").update(runKey).digest("hex").slice(0, 12)}`;
}

export async function openWorkspace(request: { repo: string; runKey: string }, locations: WorkspaceLocations): Promise<Workspace> {
  if (request.runKey.length === 0) throw new Error("openWorkspace: the run key is empty");
  const dir = join(locations.workspacesDir, workspaceDirName(request.runKey));
  if (existsSync(join(dir, RECORD))) {
    const existing = JSON.parse(await readFile(join(dir, RECORD), "utf8")) as Workspace;
    if (existing.runKey !== request.runKey || existing.repo !== request.repo)
      throw new Error(`openWorkspace: ${dir} holds ${existing.repo} for key ${existing.runKey}, not ${request.repo} for ${request.runKey}`);
    return existing;
  }
  const source = repositoryPath(locations.reposDir, request.repo);
  if (!source) throw new UnknownRepositoryError(`no repository "${request.repo}" under ${locations.reposDir}`);
  await mkdir(locations.workspacesDir, { recursive: true });
  // Cloned beside its place and renamed: a crash mid-clone leaves no directory that looks like a workspace.
  const staging = await mkdtemp(join(locations.workspacesDir, ".opening-"));
  try {
    const tree = join(staging, "tree");
    await git(["clone", "-q", "--no-hardlinks", source, tree], { cwd: staging });
    const baseRevision = (await git(["rev-parse", "HEAD"], { cwd: tree })).trim();
    const workspace: Workspace = { runKey: request.runKey, repo: request.repo, dir, baseRevision };
    await writeFile(join(tree, RECORD), `${JSON.stringify(workspace)}\n`);
    await rm(dir, { recursive: true, force: true });
    await rename(tree, dir);
    return workspace;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

/** Removes the workspace; true if there was one. A directory that is not this workspace is never removed. */
export async function discardWorkspace(workspace: Pick<Workspace, "dir" | "runKey">): Promise<boolean> {
  if (!existsSync(workspace.dir)) return false;
  const record = await readFile(join(workspace.dir, RECORD), "utf8").then(
    (text) => JSON.parse(text) as Workspace,
    () => undefined,
  );
  if (record?.runKey !== workspace.runKey) throw new Error(`discardWorkspace: ${workspace.dir} is not the workspace of ${workspace.runKey}`);
  // Renamed out of its place first: a crash in the middle of removing it (its record gone, files left)
  // leaves no half-workspace at its name for the retry to refuse, only a leftover .discarding- directory.
  const doomed = join(dirname(workspace.dir), `.discarding-${basename(workspace.dir)}-${randomBytes(4).toString("hex")}`);
  await rename(workspace.dir, doomed);
  await rm(doomed, { recursive: true, force: true });
  return true;
}

/**
 * Removes what crashed processes left in the workspaces directory: workspaces renamed for removal
 * (`.discarding-`, nobody uses them again) and clones that never finished (`.opening-`) older than
 * `openingOlderThanMs`, so a sibling process's clone in progress is left alone. Returns the names removed.
 */
export async function sweepLeftovers(workspacesDir: string, openingOlderThanMs = 10 * 60_000, now = Date.now()): Promise<string[]> {
  const names = await readdir(workspacesDir).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    const path = join(workspacesDir, name);
    const leftover =
      name.startsWith(".discarding-") ||
      (name.startsWith(".opening-") &&
        (await stat(path).then(
          (info) => now - info.mtimeMs > openingOlderThanMs,
          () => false,
        )));
    if (!leftover) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

export type ChangeKind = "added" | "modified" | "deleted" | "type changed";
const CHANGE_KIND: Record<string, ChangeKind> = { A: "added", M: "modified", D: "deleted", T: "type changed" };

export interface WorkspaceDiff {
  /** `git diff` against the base revision: every file of the tree, new and ignored ones included, as text. */
  diff: string;
  files: { path: string; change: ChangeKind }[];
}

export async function diffOf(workspace: Workspace): Promise<WorkspaceDiff> {
  // Everything in the tree counts, new files too, even ones a .gitignore written into the workspace would hide;
  // and every change shows as text, even where a .gitattributes calls a file binary.
  await git(["add", "--all", "--force"], { cwd: workspace.dir });
  const common = ["diff", "--cached", "--text", "--no-ext-diff", "--no-textconv", "--no-renames", "--no-color", workspace.baseRevision];
  const diff = await git(common, { cwd: workspace.dir });
  const nameStatus = await git([...common, "--name-status", "-z"], { cwd: workspace.dir });
  const fields = nameStatus.split("\0").filter(Boolean);
  const files: WorkspaceDiff["files"] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) files.push({ path: fields[i + 1]!, change: CHANGE_KIND[fields[i]!] ?? "modified" });
  return { diff, files };
}
