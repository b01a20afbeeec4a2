// Findings that arrive by themselves (a SARIF upload, a GitHub alert): each one starts its run through
// the same path as a console submission (startRun: signed submitter, idempotent on the finding id).
import "server-only";
import type { IntakeResponse, IntakeRun } from "@/lib/api/contracts";
import { GITHUB_WEBHOOK_SUBMITTER } from "@/lib/auth/roles";
import type { Finding } from "@/restate/contracts/schemas";
import { startRun } from "./findings";

/** Who runs started by GitHub's alert webhooks are recorded as submitted by. */
export const GITHUB_SUBMITTER = GITHUB_WEBHOOK_SUBMITTER;

/** Fields in which a run's finding must agree with an arriving one for it to be the same finding. */
const FOREIGN_FIELDS = ["source", "repo"];

/** Submissions in flight at once: enough to keep Restate busy, few enough not to swamp it with one upload. */
const CONCURRENT_SUBMISSIONS = 4;

export interface IntakeItem {
  finding: Finding;
  title: string;
}

/**
 * Starts a run for every finding, a few at a time, and sorts them into started, known and conflicts.
 * A failure (Restate unreachable) stops the rest and is thrown: what was started stays started, and
 * sending the same findings again starts only the others.
 */
export async function startIntakeRuns(items: readonly IntakeItem[], submittedBy: string): Promise<Omit<IntakeResponse, "skipped">> {
  const outcomes: { index: number; entry: IntakeRun; started: boolean; foreign: string[] }[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) {
      const item = items[index]!;
      const run = await startRun(item.finding, submittedBy);
      const entry: IntakeRun = { findingId: run.findingId, invocationId: run.invocationId, severity: item.finding.severity, title: item.title };
      // A scanner's wording or scoring may change between scans of the same result: only another
      // source or repository means the id is held by a different finding.
      const foreign = run.differing.filter((field) => FOREIGN_FIELDS.includes(field));
      outcomes.push({ index, entry, started: run.started, foreign });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_SUBMISSIONS, items.length) }, worker));
  // In the order the findings came, whichever submission answered first.
  outcomes.sort((a, b) => a.index - b.index);
  return {
    submittedBy,
    started: outcomes.filter((outcome) => outcome.started).map((outcome) => outcome.entry),
    known: outcomes.filter((outcome) => !outcome.started && outcome.foreign.length === 0).map((outcome) => outcome.entry),
    conflicts: outcomes
      .filter((outcome) => !outcome.started && outcome.foreign.length > 0)
      .map((outcome) => ({ ...outcome.entry, differing: outcome.foreign })),
  };
}
