// The embedded code host's pull-request records, as the services keep them and the console lists them.
import { z } from "zod";

export const PULL_REQUEST_STATES = ["open", "closed"] as const;

export const PullRequestRecordSchema = z.object({
  /** Numbered from 1 across the embedded host's repositories. */
  number: z.number().int().min(1),
  repo: z.string(),
  findingId: z.string(),
  /** The branch holding the approved change; null when the plan carried no change (nothing was pushed). */
  branch: z.string().nullable(),
  /** The commit on the branch (the approved diff on the base revision), null without a branch. */
  commit: z.string().nullable(),
  baseRevision: z.string().nullable(),
  /** Why there is no branch, when there is none. */
  noBranchReason: z.string().optional(),
  title: z.string(),
  /** The plan's description followed by the run's provenance (restate/adapters/provenance.ts). */
  body: z.string(),
  status: z.enum(PULL_REQUEST_STATES),
  /** Where the console shows it. */
  link: z.string(),
  openedAt: z.string(),
  closedAt: z.string().optional(),
  closeReason: z.string().optional(),
});
export type PullRequestRecord = z.infer<typeof PullRequestRecordSchema>;

/** What the `PullRequests` service answers: which code host the services use, and the embedded host's records. */
export const PullRequestListSchema = z.object({
  codeHost: z.string(),
  pullRequests: z.array(PullRequestRecordSchema),
});
export type PullRequestList = z.infer<typeof PullRequestListSchema>;

export const PullRequestQuerySchema = z.object({ findingId: z.string().optional() });
export type PullRequestQuery = z.infer<typeof PullRequestQuerySchema>;
