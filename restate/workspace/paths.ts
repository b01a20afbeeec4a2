// Where a tool may reach: a path given by the model, relative to the workspace, that stays inside it
// after `..` and after every symlink is resolved, and never into git's own directory.
import { realpathSync } from "node:fs";
import { dirname, isAbsolute, relative, resolve, sep } from "node:path";

export type PathCheck = { ok: true; path: string; relativePath: string } | { ok: false; reason: string };

function inside(root: string, candidate: string): boolean {
  const rel = relative(root, candidate);
  return rel === "" || (!rel.startsWith(`..${sep}`) && rel !== ".." && !isAbsolute(rel));
}

/** The deepest part of `path` that exists, resolved through symlinks. */
function realpathOfExistingPart(path: string): string {
  let current = path;
  for (;;) {
    try {
      return realpathSync(current);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
      const parent = dirname(current);
      if (parent === current) throw error;
      current = parent;
    }
  }
}

export function resolveInWorkspace(workspaceDir: string, requested: string): PathCheck {
  if (requested.includes("\0")) return { ok: false, reason: "the path contains a NUL character" };
  if (isAbsolute(requested)) return { ok: false, reason: `"${requested}" is absolute: give a path relative to the repository's root` };
  const root = resolve(workspaceDir);
  const path = resolve(root, requested);
  if (!inside(root, path)) return { ok: false, reason: `"${requested}" is outside the workspace` };
  const relativePath = relative(root, path).split(sep).join("/") || ".";
  if (relativePath.split("/").some((segment) => segment.toLowerCase() === ".git"))
    return { ok: false, reason: `"${requested}" is inside git's own directory, which tools do not touch` };
  const realRoot = realpathSync(root);
  let real: string;
  try {
    real = realpathOfExistingPart(path);
  } catch (error) {
    return { ok: false, reason: `"${requested}" cannot be resolved (${(error as NodeJS.ErrnoException).code ?? "error"})` };
  }
  if (!inside(realRoot, real)) return { ok: false, reason: `"${requested}" leads outside the workspace through a symbolic link` };
  if (
    relative(realRoot, real)
      .split(sep)
      .some((segment) => segment.toLowerCase() === ".git")
  )
    return { ok: false, reason: `"${requested}" leads into git's own directory through a symbolic link` };
  return { ok: true, path, relativePath };
}
