// A policy's repository patterns tried on a repository name under a time limit. The policy file's check
// (slowPatternReason in contracts/policy.ts) refuses the patterns known to backtrack exponentially, but
// no structural check catches every slow one (`\w*\w*\w*…$` is polynomial and still hangs on a long
// name): here a pattern that runs too long is stopped and named, instead of stalling the services' gate
// or the console's what-if for everyone.
import { createContext, Script } from "node:vm";

/** The first try, all patterns together: far above what sane patterns need on a name of 200 characters. */
export const REPO_PATTERN_LIMIT_MS = 250;
/**
 * A pattern is called slow only past this, tried alone: the limit is wall-clock time, and on a loaded
 * machine a trivial pattern can miss the first one while its process waits for a core.
 */
export const REPO_PATTERN_SLOW_MS = 2_000;

export class SlowRepoPatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly repo: string,
  ) {
    super(`the repository pattern /${pattern}/ ran longer than ${REPO_PATTERN_SLOW_MS} ms on "${repo}"`);
    this.name = "SlowRepoPatternError";
  }
}

const sandbox = createContext({ patterns: [] as string[], repo: "" });
const tryAll = new Script(`patterns.map((pattern) => new RegExp(pattern, "i").test(repo))`);

function run(patterns: readonly string[], repo: string, limitMs: number): boolean[] {
  sandbox.patterns = [...patterns];
  sandbox.repo = repo;
  return Array.from(tryAll.runInContext(sandbox, { timeout: limitMs }) as boolean[]);
}

const timedOut = (error: unknown) => (error as { code?: unknown } | null)?.code === "ERR_SCRIPT_EXECUTION_TIMEOUT";

/**
 * Whether each pattern matches `repo` (case-insensitive), in order. Throws SlowRepoPatternError naming
 * the pattern that ran past the limit.
 */
export function matchRepoPatterns(patterns: readonly string[], repo: string): boolean[] {
  if (patterns.length === 0) return [];
  try {
    return run(patterns, repo, REPO_PATTERN_LIMIT_MS);
  } catch (error) {
    if (!timedOut(error)) throw error;
  }
  // One of them may be slow, or the machine was busy: try each alone under the longer limit, which
  // names the slow one (the fast ones answer at once).
  return patterns.map((pattern) => {
    try {
      return run([pattern], repo, REPO_PATTERN_SLOW_MS)[0]!;
    } catch (error) {
      if (timedOut(error)) throw new SlowRepoPatternError(pattern, repo);
      throw error;
    }
  });
}
