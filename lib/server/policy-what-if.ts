// The sign-off policy for the console: the effective one (as the services report it: SIGNOFF_POLICY_FILE
// or the built-in rules) and the what-if, which applies a candidate policy to a finding typed in and to
// the latest runs, each with its recorded finding, accepted verdict and plan, and its recorded gate.
import "server-only";
import { pivotState, stateValue } from "@/lib/finding-summary";
import { outcomeChanges, type EffectivePolicy, type GateOutcome, type RunDifference, type WhatIfResult, WhatIfInputSchema } from "@/lib/policy-what-if";
import { z } from "zod";
import {
  FindingSchema,
  PlanRecordSchema,
  SignoffDecisionSchema,
  UNAUTHENTICATED_SUBMITTER,
  VerdictSchema,
  type Finding,
  type Plan,
  type SignoffDecision,
} from "@/restate/contracts/schemas";
import { parsePolicyText, type LoadedPolicy, type PolicyProblem } from "@/restate/policy/policy-file";
import { SlowRepoPatternError } from "@/restate/policy/repo-patterns";
import { changeFacts, policyDecision, withUnsignedSubmissionRule, type ChangeFacts } from "@/restate/policy/signoff-policy";
import type { UnsignedSubmissions } from "@/restate/policy/policy-service";
import { runStateRows } from "./admin-sql";
import { engineKeysOf, readRunIndex } from "./run-index";
import type { RunIndexEntry, RunIndexPosition } from "@/restate/contracts/run-index";
import { signoffPolicy } from "./restate-ingress";
import type { ApiError } from "@/lib/api/contracts";
import { ApiRouteError } from "./errors";

/**
 * The policy the services gate with and their rule for unsigned submissions, as they report them (never
 * a file or a setting of the console's own).
 */
async function servicesPolicy(): Promise<{ loaded: LoadedPolicy; unsignedSubmissions: UnsignedSubmissions }> {
  const { source, version, text, unsignedSubmissions } = await signoffPolicy().effective();
  const parsed = parsePolicyText(text, source, version);
  if (!parsed.ok) throw new Error(`the services' sign-off policy does not parse here: ${parsed.problems[0]?.message}`);
  return { loaded: parsed.loaded, unsignedSubmissions: unsignedSubmissions ?? "second-approver" };
}

export async function effectivePolicy(): Promise<LoadedPolicy> {
  return (await servicesPolicy()).loaded;
}

export async function describeEffectivePolicy(): Promise<EffectivePolicy> {
  const loaded = await effectivePolicy();
  return { source: loaded.source, version: loaded.version, rules: loaded.policy.rules.length, text: loaded.text };
}

/** A candidate policy text that does not parse or validate: answered 422 with every problem at its place. */
export class InvalidPolicyText extends ApiRouteError {
  constructor(readonly problems: PolicyProblem[]) {
    super(
      "invalid_input",
      `The policy is invalid: ${problems.map((problem) => `${problem.line}:${problem.column}: ${problem.path ? `${problem.path}: ` : ""}${problem.message}`).join("; ")}`,
      { policy: problems.map((problem) => `line ${problem.line}, column ${problem.column}: ${problem.message}`).join("; ") },
    );
  }
  /** The envelope, and every problem with its path, line and column for the editor to point at. */
  override toBody(): ApiError {
    const body: ApiError & { problems: PolicyProblem[] } = { ...super.toBody(), problems: this.problems };
    return body;
  }
}

const outcomeOf = (decision: SignoffDecision): GateOutcome => ({
  required: decision.required,
  approvalsRequired: decision.required ? decision.approvalsRequired : 0,
  approverGroups: decision.required && decision.approverGroups?.length ? decision.approverGroups : null,
  rule: decision.rule?.name ?? null,
});

/** The state a run's gate was decided from: read for the what-if's comparison. */
const RUN_KEYS = ["finding", "verdict", "verdicts", "plans", "signoff", "submittedBy", "startedAt"] as const;

interface RecordedRun {
  findingId: string;
  startedAt: string | null;
  finding: Finding;
  score: number;
  plan: Pick<Plan, "change"> | undefined;
  signoff: SignoffDecision;
  unsigned: boolean;
}

/**
 * The latest `count` runs, newest first as the run list orders them (the run index: no scan of the
 * history), with what their gate was decided from; runs that never reached the gate have no signoff.
 */
async function latestRuns(count: number): Promise<{ considered: number; gated: RecordedRun[] }> {
  if (count === 0) return { considered: 0, gated: [] };
  const entries: RunIndexEntry[] = [];
  for (let after: RunIndexPosition | undefined; entries.length < count;) {
    const page = await readRunIndex({}, after, Math.min(200, count - entries.length));
    entries.push(...page.entries);
    if (!page.next) break;
    after = page.next;
  }
  const latest = engineKeysOf(entries);
  if (latest.length === 0) return { considered: 0, gated: [] };
  const values = pivotState(await runStateRows(latest, RUN_KEYS));
  const gated = latest.flatMap(({ finding_id: findingId }): RecordedRun[] => {
    const state = values.get(findingId);
    const startedAt = stateValue(state?.get("startedAt"), z.string()) ?? null;
    const finding = stateValue(state?.get("finding"), FindingSchema);
    const signoff = stateValue(state?.get("signoff"), SignoffDecisionSchema);
    if (!state || !finding || !signoff) return [];
    const accepted =
      stateValue(state.get("verdicts"), VerdictSchema.array())?.findLast((verdict) => verdict.approved) ?? stateValue(state.get("verdict"), VerdictSchema);
    if (!accepted) return [];
    const plan = stateValue(state.get("plans"), PlanRecordSchema.array())?.findLast((record) => record.plan.agent === accepted.agent)?.plan;
    const submittedBy = stateValue(state.get("submittedBy"), z.string());
    return [
      {
        findingId,
        startedAt,
        finding,
        score: accepted.score,
        plan,
        signoff,
        unsigned: (submittedBy ?? UNAUTHENTICATED_SUBMITTER) === UNAUTHENTICATED_SUBMITTER,
      },
    ];
  });
  return { considered: latest.length, gated };
}

/**
 * The candidate's decision; a repo pattern that runs too long is refused (422) rather than shown as a
 * closed gate on every run, so one bad pattern costs one time limit, not one per run.
 */
function decideOrRefuse(finding: Finding, verdict: { score: number }, change: ChangeFacts, loaded: LoadedPolicy): SignoffDecision {
  try {
    return policyDecision(finding, verdict, change, loaded);
  } catch (error) {
    if (!(error instanceof SlowRepoPatternError)) throw error;
    throw new ApiRouteError("invalid_input", `The policy is too slow to apply: ${error.message}. Simplify that pattern.`, {
      policy: error.message,
    });
  }
}

/** The what-if: the candidate policy (or the effective one) for the typed finding and over the latest runs. */
export async function policyWhatIf(input: z.output<typeof WhatIfInputSchema>): Promise<WhatIfResult> {
  const services = await servicesPolicy();
  let loaded = services.loaded;
  if (input.policy !== undefined) {
    const parsed = parsePolicyText(input.policy, "candidate");
    if (!parsed.ok) throw new InvalidPolicyText(parsed.problems);
    loaded = parsed.loaded;
  }

  let finding: WhatIfResult["finding"] = null;
  if (input.finding) {
    const typed: Finding = { id: "what-if", source: "what-if", severity: input.finding.severity, description: "what-if", repo: input.finding.repo };
    const decision = decideOrRefuse(typed, { score: input.finding.score }, { files: input.finding.files, linesChanged: input.finding.linesChanged }, loaded);
    finding = {
      ...outcomeOf(decision),
      rule: { name: decision.rule?.name ?? "", because: decision.rule?.because ?? [] },
      reasons: decision.reasons,
    };
  }

  const { considered, gated } = await latestRuns(input.runs);
  const differences: RunDifference[] = [];
  for (const run of gated) {
    // A finding without a signed submitter is gated as the services' UNSIGNED_SUBMISSIONS says.
    const candidate = outcomeOf(
      withUnsignedSubmissionRule(decideOrRefuse(run.finding, { score: run.score }, changeFacts(run.plan), loaded), run.unsigned, services.unsignedSubmissions),
    );
    const recorded = outcomeOf(run.signoff);
    const changes = outcomeChanges(recorded, candidate);
    if (changes.length) {
      differences.push({
        findingId: run.findingId,
        severity: run.finding.severity,
        repo: run.finding.repo,
        startedAt: run.startedAt,
        recorded,
        candidate,
        changes,
      });
    }
  }
  return {
    policy: { source: loaded.source, version: loaded.version, rules: loaded.policy.rules.length },
    finding,
    runs: { considered, compared: gated.length, differences },
  };
}
