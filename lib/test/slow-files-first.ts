// The integration tier's order: the files that take longest start first, so that none of them starts last
// and runs on alone while the other workers sit idle. vitest orders by the durations it cached on the last
// run; a fresh clone has none (it orders by file size), and the small files that wait longest (a crash and
// a restart, a rung timing out) then ran at the very end.
import { BaseSequencer, type TestSpecification } from "vitest/node";

/**
 * The integration files that took 15 s or more on a fresh clone beside the other tiers (2026-11-30,
 * test-results/vitest-integration.json), longest first, as paths relative to the project. A file missing
 * here keeps vitest's own order, after these.
 */
export const SLOW_INTEGRATION_FILES = [
  "restate/test/signoff-security.test.ts",
  "restate/test/run-index.test.ts",
  "restate/test/remediation-workflow.test.ts",
  "restate/test/faults/services-crash.test.ts",
  "restate/test/real-agents-faults.test.ts",
  "restate/test/faults/cluster.test.ts",
  "restate/test/faults/engine-crash.test.ts",
  "app/api/events/route.test.ts",
  "app/api/findings/[id]/route.test.ts",
  "app/api/findings/[id]/cancel/route.test.ts",
  "restate/test/crash-safety.test.ts",
  "app/api/findings/engine-trust.test.ts",
  "restate/test/faults/deadline-restarts.test.ts",
  "restate/test/real-agents-timeout.test.ts",
  "restate/test/faults/model-errors.test.ts",
  "app/api/findings/[id]/approval/route.test.ts",
  "restate/test/gate-deadline.test.ts",
  "restate/test/real-agents.test.ts",
];

/** `files` with the listed slow ones first, longest first; the others after them, in the order given. */
export function slowFilesFirst<File extends { moduleId: string }>(files: readonly File[]): File[] {
  const rank = (file: File) => {
    const at = SLOW_INTEGRATION_FILES.findIndex((slow) => file.moduleId.endsWith(`/${slow}`));
    return at < 0 ? SLOW_INTEGRATION_FILES.length : at;
  };
  return files
    .map((file, index) => ({ file, index, rank: rank(file) }))
    .sort((a, b) => a.rank - b.rank || a.index - b.index)
    .map(({ file }) => file);
}

export class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return slowFilesFirst(await super.sort(files));
  }
}
