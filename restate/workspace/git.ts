// Every git command of the workspace layer goes through here: no user or system configuration, no hooks,
// no prompts, so a machine's ~/.gitconfig cannot change what a workspace's diff says.
import { execFile } from "node:child_process";

const GIT_CONFIG = ["-c", "core.hooksPath=/dev/null", "-c", "commit.gpgsign=false", "-c", "core.fsmonitor=false", "-c", "core.autocrlf=false"];

export class GitError extends Error {
  override name = "GitError";
}

function gitEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/",
    LC_ALL: "C",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    ...extra,
  };
}

export interface GitOptions {
  cwd: string;
  input?: string;
  env?: Record<string, string>;
}

/** Runs `git args…` in `cwd`; resolves with stdout, rejects with a GitError carrying git's own message. */
export function git(args: readonly string[], options: GitOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "git",
      [...GIT_CONFIG, ...args],
      { cwd: options.cwd, env: gitEnv(options.env ?? {}) as NodeJS.ProcessEnv, maxBuffer: 64 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOENT") return reject(new GitError("git is not installed: install it (Debian: apt-get install git)."));
        reject(new GitError(`git ${args[0]} failed: ${(stderr || error.message).trim()}`));
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
