// Scripted runs with usage: a fast executor that fixes a demo repository as a model would, each turn
// reporting its tokens, for the tests of what a run costs (restate/test/run-usage.test.ts, e2e/model-usage.spec.ts).
import { approve, handIn, writeFiles, type FindingScript } from "./real-agents-stack";
import { reply } from "./scripted-models";

/** Tokens a scripted turn reports, by the executor's turn (1-4) and for the judge. */
export const FIX_TURN_USAGE = {
  executor: [
    { input: 1000, output: 100 },
    { input: 1200, output: 300 },
    { input: 1500, output: 50 },
    { input: 2000, output: 200 },
  ],
  judge: { input: 3000, output: 40 },
} as const;

/**
 * The fast executor lists the files, writes the fix (`files`: path → content, e.g. demoRepoFix's), runs
 * the tests and hands in its plan; the judge approves. Each turn reports FIX_TURN_USAGE's tokens.
 */
export function fixingScript(files: Record<string, string>, summary: string): FindingScript {
  const [list, write, test, handInUsage] = FIX_TURN_USAGE.executor;
  return {
    fast: (turn) => {
      switch (turn) {
        case 1:
          return reply.toolCalls([{ name: "list_files", input: { path: "." } }], list);
        case 2:
          return { ...writeFiles(files), usage: write };
        case 3:
          return reply.toolCalls([{ name: "run_tests", input: {} }], test);
        default:
          return { ...handIn(summary), usage: handInUsage };
      }
    },
    judge: () => ({ ...approve(), usage: FIX_TURN_USAGE.judge }),
  };
}
