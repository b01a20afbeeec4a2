// Reads a unified diff (`git diff` output) the way the judge's checks need it: which files it touches,
// how, the lines it adds, each with its line number in the new file, and how many it removes.

export interface DiffLine {
  path: string;
  /** The line's number in the changed file. */
  lineNumber: number;
  text: string;
}

export interface DiffFile {
  /** The file's path after the change, or before it when the change deletes it. */
  path: string;
  /** Every path the diff names for this file (old and new, renames included). */
  paths: string[];
  status: "added" | "deleted" | "modified";
  added: DiffLine[];
  /** How many lines the change removes from the file. */
  removed: number;
}

/** `a/src/x.js`, `"b/with space.js"` or `/dev/null` as the path in the repository (null for /dev/null). */
function headerPath(raw: string): string | null {
  const unquoted = raw.trim().replace(/^"(.*)"$/, "$1");
  if (unquoted === "/dev/null") return null;
  return unquoted.replace(/^[ab]\//, "");
}

export function parseUnifiedDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let file: DiffFile | undefined;
  /** Whether the current file's `+++` line or a hunk has been read: a `---` after it starts another file. */
  let pastHeader = false;
  // Lines left in the current hunk, by its header's counts: a hunk's `--- x` is a removed line, not a header.
  let oldLeft = 0;
  let newLeft = 0;
  let newLine = 0;
  const start = (path: string) => {
    file = { path, paths: [], status: "modified", added: [], removed: 0 };
    files.push(file);
    pastHeader = false;
  };
  const name = (path: string | null) => {
    if (file && path !== null && !file.paths.includes(path)) file.paths.push(path);
  };

  for (const line of diff.split("\n")) {
    if (oldLeft > 0 || newLeft > 0) {
      if (line.startsWith("+")) {
        file!.added.push({ path: file!.path, lineNumber: newLine, text: line.slice(1) });
        newLine += 1;
        newLeft -= 1;
      } else if (line.startsWith("-")) {
        file!.removed += 1;
        oldLeft -= 1;
      } else if (line.startsWith(" ") || line === "") {
        newLine += 1;
        oldLeft -= 1;
        newLeft -= 1;
      }
      continue;
    }
    const gitHeader = /^diff --git ("?a\/.+?"?) ("?b\/.+"?)$/.exec(line);
    if (gitHeader) {
      start(headerPath(gitHeader[2]!)!);
      name(headerPath(gitHeader[1]!));
      name(file!.path);
      continue;
    }
    // A plain unified diff (no `diff --git` line) starts each file with its `---` line.
    if (line.startsWith("--- ") && (!file || pastHeader)) start("");
    if (!file) continue;
    const hunk = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      oldLeft = Number(hunk[1] ?? 1);
      newLine = Number(hunk[2]);
      newLeft = Number(hunk[3] ?? 1);
      pastHeader = true;
    } else if (line.startsWith("--- ")) {
      const before = headerPath(line.slice(4));
      name(before);
      if (before === null) file.status = "added";
      else if (!file.path) file.path = before;
    } else if (line.startsWith("+++ ")) {
      const after = headerPath(line.slice(4));
      name(after);
      pastHeader = true;
      if (after === null) file.status = "deleted";
      else file.path = after;
    } else if (line.startsWith("new file mode")) file.status = "added";
    else if (line.startsWith("deleted file mode")) file.status = "deleted";
    else if (/^(rename|copy) (from|to) /.test(line)) name(line.replace(/^(rename|copy) (from|to) /, ""));
  }
  return files.filter((entry) => entry.path !== "");
}

/** `path:line: +text`, shortened: how a check names the line it objects to. */
export function quoteLine(line: DiffLine, text = line.text): string {
  const shown = text.trim().length > 160 ? `${text.trim().slice(0, 160)}…` : text.trim();
  return `${line.path}:${line.lineNumber}: +${shown}`;
}
