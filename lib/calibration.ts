// Judge calibration: how often the judge accepts plans, why it rejects them, and how its accepted plans
// fare with the human at the gate (agreement, Cohen's kappa). Pure functions over run states.
import { z } from "zod";
import { gateDecided } from "@/restate/contracts/gate";
import { LADDER_AGENTS } from "@/restate/contracts/rungs";
import { ApprovalSchema, FindingSchema, RunStateSchema, VerdictSchema, type Verdict } from "@/restate/contracts/schemas";

/** The run state keys calibration reads. */
export const CALIBRATION_STATE_KEYS = ["finding", "identity", "attempts", "verdicts", "signoff", "approvals"] as const;

/** What calibration needs of one run (parsed from its state keys). */
const CalibrationRunSchema = RunStateSchema.pick({ finding: true, identity: true, attempts: true, verdicts: true, signoff: true, approvals: true });
export type CalibrationRun = z.infer<typeof CalibrationRunSchema> & { findingId: string };

/** A label on a plan: accepted or rejected. */
export type Label = "accept" | "reject";

/** Judge (rows) × human (columns), over the runs whose gate a human decided. */
export interface AgreementTable {
  acceptAccept: number;
  acceptReject: number;
  rejectAccept: number;
  rejectReject: number;
}

/** Share of decided runs where judge and human gave the same label; null when there is none. */
export function agreementRate(table: AgreementTable): number | null {
  const n = table.acceptAccept + table.acceptReject + table.rejectAccept + table.rejectReject;
  return n === 0 ? null : (table.acceptAccept + table.rejectReject) / n;
}

/**
 * Cohen's kappa: (pₒ − pₑ) / (1 − pₑ), pₑ the agreement expected from each side's own label shares.
 * Null (shown "—") when it is undefined: no runs, or both sides used one and the same label only (pₑ = 1).
 */
export function cohensKappa(table: AgreementTable): number | null {
  const n = table.acceptAccept + table.acceptReject + table.rejectAccept + table.rejectReject;
  if (n === 0) return null;
  const observed = (table.acceptAccept + table.rejectReject) / n;
  const judgeAccepts = (table.acceptAccept + table.acceptReject) / n;
  const humanAccepts = (table.acceptAccept + table.rejectAccept) / n;
  const expected = judgeAccepts * humanAccepts + (1 - judgeAccepts) * (1 - humanAccepts);
  if (expected === 1) return null;
  return (observed - expected) / (1 - expected);
}

const RejectionSchema = z.object({
  /** The failed check's name; a rejection without a failed check is counted under its verdict's reason. */
  name: z.string(),
  count: z.number().int(),
  /** The latest reason given for it. */
  example: z.string(),
});

const RungCalibrationSchema = z.object({
  rung: z.number().int(),
  agent: z.string(),
  verdicts: z.number().int(),
  accepted: z.number().int(),
  /** accepted / verdicts; null without verdicts. */
  acceptanceRate: z.number().nullable(),
  rejections: z.array(RejectionSchema),
});

const HumanDecisionSchema = z.object({
  label: z.enum(["accept", "reject"]),
  approvals: z.array(ApprovalSchema.pick({ approved: true, approver: true, comment: true, decidedAt: true })),
});

/** One run whose gate a human decided: the labelled set, and the export's line (`GET /api/calibration/export`). */
export const LabelledRunSchema = z.object({
  findingId: z.string(),
  finding: FindingSchema,
  promptVersion: z.string(),
  judgeModel: z.string(),
  rung: z.number().int(),
  /** The judge's verdict on the plan that reached the gate: always an acceptance. */
  verdict: VerdictSchema.omit({ usage: true }),
  judge: z.literal("accept"),
  human: HumanDecisionSchema,
  agree: z.boolean(),
});
export type LabelledRun = z.infer<typeof LabelledRunSchema>;

export const CalibrationGroupSchema = z.object({
  promptVersion: z.string(),
  judgeModel: z.string(),
  rungs: z.array(RungCalibrationSchema),
  runs: z.object({
    /** Runs with at least one verdict. */
    judged: z.number().int(),
    /** Runs where the judge rejected the plan of every rung that was judged: no human saw them. */
    rejectedOnEveryRung: z.number().int(),
    /** Accepted plans the policy let run without a human. */
    autoCleared: z.number().int(),
    /** Accepted plans no human has decided: waiting at the gate, cancelled there, or not past the policy yet. */
    undecidedAtGate: z.number().int(),
    /** Accepted plans a human decided at the gate: the labelled set. */
    decidedAtGate: z.number().int(),
  }),
  agreement: z.object({
    table: z.object({ acceptAccept: z.number().int(), acceptReject: z.number().int(), rejectAccept: z.number().int(), rejectReject: z.number().int() }),
    rate: z.number().nullable(),
    kappa: z.number().nullable(),
  }),
  disagreements: z.array(LabelledRunSchema),
});
export type CalibrationGroup = z.infer<typeof CalibrationGroupSchema>;

export const CalibrationReportSchema = z.object({
  /** Every prompt version and judge model seen, for the filters. */
  promptVersions: z.array(z.string()),
  judgeModels: z.array(z.string()),
  groups: z.array(CalibrationGroupSchema),
});
export type CalibrationReport = z.infer<typeof CalibrationReportSchema>;

export interface CalibrationFilters {
  promptVersion?: string | undefined;
  judgeModel?: string | undefined;
}

/** Names a run without an identity record (its first moments) carries. */
export const UNKNOWN_PROMPT_VERSION = "unknown";

/** One run from its state values (JSON text by key); null when it has no finding or its state does not parse. */
export function calibrationRun(findingId: string, values: ReadonlyMap<string, string | null>): CalibrationRun | null {
  const state: Record<string, unknown> = {};
  for (const key of CALIBRATION_STATE_KEYS) {
    const text = values.get(key);
    if (text == null) continue;
    try {
      state[key] = JSON.parse(text);
    } catch {
      return null;
    }
  }
  const parsed = CalibrationRunSchema.safeParse(state);
  return parsed.success ? { findingId, ...parsed.data } : null;
}

function rungOf(run: CalibrationRun, verdict: Verdict): number {
  return run.attempts.find((attempt) => attempt.agent === verdict.agent)?.rung ?? LADDER_AGENTS.indexOf(verdict.agent as never) + 1;
}

const promptVersionOf = (run: CalibrationRun) => run.identity?.promptVersion ?? UNKNOWN_PROMPT_VERSION;

/** The human's label for a run whose gate is decided: the first rejection decides it, else all approvals accepted. Null while undecided. */
export function humanLabel(run: Pick<CalibrationRun, "signoff" | "approvals">): Label | null {
  if (!run.signoff?.required || !gateDecided(run.approvals, run.signoff.approvalsRequired)) return null;
  return run.approvals.some((approval) => !approval.approved) ? "reject" : "accept";
}

/** The labelled set: every run whose accepted plan a human decided at the gate, newest decision first. */
export function labelledRuns(runs: readonly CalibrationRun[]): LabelledRun[] {
  const labelled: LabelledRun[] = [];
  for (const run of runs) {
    const accepted = run.verdicts.findLast((verdict) => verdict.approved);
    const human = humanLabel(run);
    if (!accepted || !human) continue;
    const { usage: _usage, ...verdict } = accepted;
    labelled.push({
      findingId: run.findingId,
      finding: run.finding,
      promptVersion: promptVersionOf(run),
      judgeModel: accepted.judgeModel,
      rung: rungOf(run, accepted),
      verdict,
      judge: "accept",
      human: {
        label: human,
        approvals: run.approvals.map(({ approved, approver, comment, decidedAt }) => ({ approved, approver, decidedAt, ...(comment ? { comment } : {}) })),
      },
      agree: human === "accept",
    });
  }
  const decidedAt = (run: LabelledRun) => run.human.approvals.at(-1)?.decidedAt ?? "";
  return labelled.sort((a, b) => decidedAt(b).localeCompare(decidedAt(a)) || a.findingId.localeCompare(b.findingId));
}

const groupKey = (promptVersion: string, judgeModel: string) => JSON.stringify([promptVersion, judgeModel]);

/** Whether a run's own prompt version and judge model (those of its last verdict) pass the filters. */
function runMatches(run: CalibrationRun, filters: CalibrationFilters): boolean {
  const judgeModel = run.verdicts.at(-1)?.judgeModel;
  return (!filters.promptVersion || promptVersionOf(run) === filters.promptVersion) && (!filters.judgeModel || judgeModel === filters.judgeModel);
}

/** The runs the judge saw that pass the filters. */
export function selectRuns(runs: readonly CalibrationRun[], filters: CalibrationFilters = {}): CalibrationRun[] {
  return runs.filter((run) => run.verdicts.length > 0 && runMatches(run, filters));
}

/** The report: one group per prompt version and judge model (of each run's last verdict), sorted by both. */
export function calibrationReport(allRuns: readonly CalibrationRun[], filters: CalibrationFilters = {}): CalibrationReport {
  const judgedRuns = selectRuns(allRuns);
  const runs = selectRuns(judgedRuns, filters);
  const labelled = new Map(labelledRuns(runs).map((run) => [run.findingId, run]));
  const groups = new Map<
    string,
    { group: CalibrationGroup; rungs: Map<number, { row: z.infer<typeof RungCalibrationSchema>; rejections: Map<string, { count: number; example: string }> }> }
  >();

  for (const run of runs) {
    const last = run.verdicts.at(-1)!;
    const key = groupKey(promptVersionOf(run), last.judgeModel);
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        group: {
          promptVersion: promptVersionOf(run),
          judgeModel: last.judgeModel,
          rungs: [],
          runs: { judged: 0, rejectedOnEveryRung: 0, autoCleared: 0, undecidedAtGate: 0, decidedAtGate: 0 },
          agreement: { table: { acceptAccept: 0, acceptReject: 0, rejectAccept: 0, rejectReject: 0 }, rate: null, kappa: null },
          disagreements: [],
        },
        rungs: new Map(),
      };
      groups.set(key, entry);
    }
    const { group } = entry;
    for (const verdict of run.verdicts) {
      const rung = rungOf(run, verdict);
      const stats = entry.rungs.get(rung) ?? {
        row: { rung, agent: verdict.agent, verdicts: 0, accepted: 0, acceptanceRate: null, rejections: [] },
        rejections: new Map(),
      };
      entry.rungs.set(rung, stats);
      stats.row.verdicts += 1;
      if (verdict.approved) {
        stats.row.accepted += 1;
        continue;
      }
      const failed = verdict.checks.filter((check) => !check.passed);
      const reasons =
        failed.length > 0 ? failed.map((check) => ({ name: check.name, reason: check.reason })) : [{ name: verdict.reason, reason: verdict.reason }];
      for (const { name, reason } of reasons) {
        const counted = stats.rejections.get(name) ?? { count: 0, example: reason };
        stats.rejections.set(name, { count: counted.count + 1, example: reason });
      }
    }

    group.runs.judged += 1;
    const accepted = run.verdicts.some((verdict) => verdict.approved);
    const decided = labelled.get(run.findingId);
    if (!accepted) group.runs.rejectedOnEveryRung += 1;
    else if (decided) {
      group.runs.decidedAtGate += 1;
      if (decided.agree) group.agreement.table.acceptAccept += 1;
      else {
        group.agreement.table.acceptReject += 1;
        group.disagreements.push(decided);
      }
    } else if (run.signoff && !run.signoff.required) group.runs.autoCleared += 1;
    else group.runs.undecidedAtGate += 1;
  }

  const report = [...groups.values()].map(({ group, rungs }) => {
    group.rungs = [...rungs.values()]
      .map(({ row, rejections }) => ({
        ...row,
        acceptanceRate: row.verdicts === 0 ? null : row.accepted / row.verdicts,
        rejections: [...rejections.entries()]
          .map(([name, { count, example }]) => ({ name, count, example }))
          .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
      }))
      .sort((a, b) => a.rung - b.rung);
    group.agreement.rate = agreementRate(group.agreement.table);
    group.agreement.kappa = cohensKappa(group.agreement.table);
    group.disagreements.sort((a, b) => (b.human.approvals.at(-1)?.decidedAt ?? "").localeCompare(a.human.approvals.at(-1)?.decidedAt ?? ""));
    return group;
  });
  report.sort((a, b) => a.promptVersion.localeCompare(b.promptVersion) || a.judgeModel.localeCompare(b.judgeModel));

  const distinct = (values: string[]) => [...new Set(values)].sort();
  return {
    promptVersions: distinct(judgedRuns.map(promptVersionOf)),
    judgeModels: distinct(judgedRuns.flatMap((run) => run.verdicts.map((verdict) => verdict.judgeModel))),
    groups: report,
  };
}

/** A filter value: prompt versions and model names as providers spell them ("gpt-4o", "ollama/qwen2.5:7b"). */
const filterValue = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$/, "must be a prompt version or model name (letters, digits and . _ : / @ + -, at most 200)")
  .optional();

/** `GET /api/calibration` and `…/export`: optional filters. */
export const CalibrationQuerySchema = z.object({ promptVersion: filterValue, judgeModel: filterValue });
