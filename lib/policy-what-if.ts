// The what-if of the sign-off policy (POST /api/policy/what-if): what a policy text decides for a finding
// typed in, and which of the last runs it would have decided differently from their recorded gate.
import { z } from "zod";
import { REPO_PATTERN } from "@/restate/contracts/ids";
import { SEVERITIES } from "@/restate/contracts/vocabulary";
import { approversText, groupsText } from "@/lib/policy-words";

/** A finding and its plan as a rule sees them. */
export const WhatIfFindingSchema = z
  .object({
    severity: z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(", ")}` }),
    repo: z
      .string()
      .trim()
      .min(1, "repo must not be empty")
      .regex(REPO_PATTERN, "repo must be a repository name as findings carry it: letters, digits, '.', '_', '/' or '-', at most 100"),
    score: z.number({ error: "score must be a number from 0 to 1" }).min(0, "score must be from 0 to 1").max(1, "score must be from 0 to 1"),
    files: z.array(z.string().trim().min(1, "a path must not be empty").max(500)).max(1000, "at most 1000 files").default([]),
    linesChanged: z.number().int("linesChanged must be a whole number").min(0).max(1_000_000, "linesChanged must be at most 1000000").default(0),
  })
  .strict();
export type WhatIfFinding = z.infer<typeof WhatIfFindingSchema>;

export const WHAT_IF_MAX_RUNS = 500;
export const WHAT_IF_DEFAULT_RUNS = 100;

export const WhatIfInputSchema = z
  .object({
    /** A policy file's text (YAML or JSON); absent: the policy the services run with. */
    policy: z.string().max(64_000, "policy must be at most 64000 characters").optional(),
    finding: WhatIfFindingSchema.optional(),
    /** How many of the latest runs to compare against their recorded gate; 0 compares none. */
    runs: z
      .number()
      .int("runs must be a whole number")
      .min(0, "runs must be from 0 to 500")
      .max(WHAT_IF_MAX_RUNS, `runs must be from 0 to ${WHAT_IF_MAX_RUNS}`)
      .default(WHAT_IF_DEFAULT_RUNS),
  })
  .strict();
export type WhatIfInput = z.input<typeof WhatIfInputSchema>;

/** A gate's decision reduced to what the what-if compares. */
export const GateOutcomeSchema = z.object({
  required: z.boolean(),
  approvalsRequired: z.number(),
  /** null: any approver. */
  approverGroups: z.array(z.string()).nullable(),
  /** null: decided before policy files recorded their rule. */
  rule: z.string().nullable(),
});
export type GateOutcome = z.infer<typeof GateOutcomeSchema>;

export const RunDifferenceSchema = z.object({
  findingId: z.string(),
  severity: z.string(),
  repo: z.string(),
  startedAt: z.string().nullable(),
  recorded: GateOutcomeSchema,
  candidate: GateOutcomeSchema,
  /** What differs, in words ("human sign-off instead of auto-clear", "2 approvers instead of 1"). */
  changes: z.array(z.string()),
});
export type RunDifference = z.infer<typeof RunDifferenceSchema>;

export const PolicyProblemSchema = z.object({ path: z.string(), line: z.number(), column: z.number(), message: z.string() });

export const EffectivePolicySchema = z.object({
  /** The file's path, or "built-in". */
  source: z.string(),
  version: z.string(),
  rules: z.number(),
  text: z.string(),
});
export type EffectivePolicy = z.infer<typeof EffectivePolicySchema>;

export const WhatIfResultSchema = z.object({
  policy: z.object({ source: z.string(), version: z.string(), rules: z.number() }),
  finding: z
    .object({
      required: z.boolean(),
      approvalsRequired: z.number(),
      approverGroups: z.array(z.string()).nullable(),
      rule: z.object({ name: z.string(), because: z.array(z.string()) }),
      reasons: z.array(z.string()),
    })
    .nullable(),
  runs: z.object({
    /** The latest runs read (at most `runs`). */
    considered: z.number(),
    /** Those with a recorded gate decision: the others never reached the gate. */
    compared: z.number(),
    differences: z.array(RunDifferenceSchema),
  }),
});
export type WhatIfResult = z.infer<typeof WhatIfResultSchema>;

/** What differs between a run's recorded gate and the candidate policy's, in words; empty when they agree. */
export function outcomeChanges(recorded: GateOutcome, candidate: GateOutcome): string[] {
  if (recorded.required !== candidate.required) {
    return [
      candidate.required ? `human sign-off (${approversText(candidate.approvalsRequired)}) instead of auto-clear` : "auto-clear instead of human sign-off",
    ];
  }
  const changes: string[] = [];
  if (candidate.required && recorded.approvalsRequired !== candidate.approvalsRequired) {
    changes.push(`${approversText(candidate.approvalsRequired)} instead of ${recorded.approvalsRequired}`);
  }
  const sameGroups = JSON.stringify([...(recorded.approverGroups ?? [])].sort()) === JSON.stringify([...(candidate.approverGroups ?? [])].sort());
  if (candidate.required && !sameGroups) {
    changes.push(`from ${groupsText(candidate.approverGroups)} instead of ${groupsText(recorded.approverGroups)}`);
  }
  if (recorded.rule !== null && candidate.rule !== recorded.rule) changes.push(`rule ${candidate.rule} instead of ${recorded.rule}`);
  return changes;
}
