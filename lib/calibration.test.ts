import { describe, expect, it } from "vitest";
import type { Approval, Attempt, Verdict } from "@/restate/contracts/schemas";
import { agreementRate, calibrationReport, calibrationRun, cohensKappa, labelledRuns, type AgreementTable, type CalibrationRun } from "./calibration";
import { formatFigure } from "./calibration-figures";

const table = (acceptAccept: number, acceptReject: number, rejectAccept: number, rejectReject: number): AgreementTable => ({
  acceptAccept,
  acceptReject,
  rejectAccept,
  rejectReject,
});

describe("agreement and Cohen's kappa over the judge × human table", () => {
  // Each row computed by hand: pₒ = (aa + rr) / n, pₑ = pJudgeAccept·pHumanAccept + pJudgeReject·pHumanReject.
  it.each([
    ["a mixed table: pₒ 0.7, pₑ 0.5", table(20, 5, 10, 15), 0.7, 0.4],
    ["perfect agreement with both labels: pₒ 1, pₑ 0.52", table(3, 0, 0, 2), 1, 1],
    ["total disagreement: pₒ 0, pₑ 0.5", table(0, 2, 2, 0), 0, -1],
    ["the gate's shape, the judge accepting only, one human rejection: pₒ 2/3 = pₑ", table(2, 1, 0, 0), 2 / 3, 0],
  ])("%s", (_, counts, rate, kappa) => {
    expect(agreementRate(counts)).toBeCloseTo(rate, 10);
    expect(cohensKappa(counts)).toBeCloseTo(kappa, 10);
  });

  it.each([
    ["no decided run", table(0, 0, 0, 0), null],
    ["every human accepted what the judge accepted (one class only, pₑ = 1)", table(4, 0, 0, 0), 1],
    ["both rejected everything (one class only)", table(0, 0, 0, 3), 1],
  ])("kappa is undefined, shown —, for %s", (_, counts, rate) => {
    expect(agreementRate(counts)).toBe(rate);
    expect(cohensKappa(counts)).toBeNull();
    expect(formatFigure(cohensKappa(counts), "decimal")).toBe("—");
  });

  it("formats rates and kappa, never as NaN", () => {
    expect(formatFigure(2 / 3, "percent")).toBe("66.7%");
    expect(formatFigure(0.4, "decimal")).toBe("0.40");
    expect(formatFigure(Number.NaN, "decimal")).toBe("—");
    expect(formatFigure(null, "percent")).toBe("—");
  });
});

const at = (minute: number) => `2026-11-29T02:${String(minute).padStart(2, "0")}:00.000Z`;

function verdict(agent: string, approved: boolean, overrides: Partial<Verdict> = {}): Verdict {
  return {
    agent,
    approved,
    score: approved ? 0.9 : 0.2,
    reason: approved ? "all checks passed" : "destructive step",
    checks: approved
      ? [{ name: "no-destructive-steps", passed: true, reason: "ok" }]
      : [
          { name: "no-destructive-steps", passed: false, reason: "drops a table" },
          { name: "has-rollback", passed: true, reason: "ok" },
        ],
    judgeModel: "stub-judge",
    commentary: "",
    judgedAt: at(1),
    ...overrides,
  };
}

function attempt(rung: number, agent: string): Attempt {
  return { rung, agent, subAgentInvocationId: `inv_${rung}`, outcome: "x", result: "accepted", startedAt: at(0), endedAt: at(1), durationMs: 1 };
}

const approval = (approved: boolean, approver: string, minute: number, comment?: string): Approval => ({
  approved,
  approver,
  decidedAt: at(minute),
  ...(comment ? { comment } : {}),
});

function run(findingId: string, parts: Partial<CalibrationRun>): CalibrationRun {
  return {
    findingId,
    finding: { id: findingId, source: "snyk", severity: "high", description: "d", repo: "web" },
    identity: {
      service: "RemediationWorkflow",
      findingId,
      invocationId: "inv_x",
      deploymentId: null,
      codeRevision: "c",
      promptVersion: "p1",
      recordedAt: at(0),
    },
    attempts: [attempt(1, "fastExecutor"), attempt(2, "conservativeExecutor")],
    verdicts: [],
    signoff: null,
    approvals: [],
    ...parts,
  };
}

const gated = { required: true, reasons: ["high"], approvalsRequired: 1 };
const critical = { required: true, reasons: ["critical"], approvalsRequired: 2 };
const RUNS: CalibrationRun[] = [
  run("auto", { verdicts: [verdict("fastExecutor", true)], signoff: { required: false, reasons: [], approvalsRequired: 0 } }),
  run("approved", { verdicts: [verdict("fastExecutor", true)], signoff: gated, approvals: [approval(true, "ana", 10)] }),
  run("recalibrated-rejected", {
    verdicts: [verdict("fastExecutor", false), verdict("conservativeExecutor", true)],
    signoff: gated,
    approvals: [approval(false, "ana", 20, "wrong table")],
  }),
  run("never", { verdicts: [verdict("fastExecutor", false), verdict("conservativeExecutor", false, { checks: [], reason: "confidence too low" })] }),
  run("waiting", { verdicts: [verdict("fastExecutor", true)], signoff: gated }),
  // Four eyes: one approval is not a decision yet.
  run("half-signed", { verdicts: [verdict("fastExecutor", true)], signoff: critical, approvals: [approval(true, "ana", 30)] }),
  run("other-model", {
    verdicts: [verdict("fastExecutor", true, { judgeModel: "gpt-judge" })],
    signoff: critical,
    approvals: [approval(true, "ana", 40), approval(true, "bo", 41)],
  }),
  run("other-prompt", {
    identity: null,
    verdicts: [verdict("fastExecutor", true)],
    signoff: gated,
    approvals: [approval(false, "bo", 50, "no")],
  }),
  run("unjudged", {}),
];

describe("the calibration report", () => {
  it("groups runs by prompt version and judge model, with acceptance and rejection reasons per rung", () => {
    const report = calibrationReport(RUNS);
    expect(report.promptVersions).toEqual(["p1", "unknown"]);
    expect(report.judgeModels).toEqual(["gpt-judge", "stub-judge"]);
    expect(report.groups.map((group) => [group.promptVersion, group.judgeModel])).toEqual([
      ["p1", "gpt-judge"],
      ["p1", "stub-judge"],
      ["unknown", "stub-judge"],
    ]);
    const stub = report.groups[1]!;
    expect(stub.rungs).toEqual([
      {
        rung: 1,
        agent: "fastExecutor",
        verdicts: 6,
        accepted: 4,
        acceptanceRate: 4 / 6,
        rejections: [{ name: "no-destructive-steps", count: 2, example: "drops a table" }],
      },
      {
        rung: 2,
        agent: "conservativeExecutor",
        verdicts: 2,
        accepted: 1,
        acceptanceRate: 0.5,
        rejections: [{ name: "confidence too low", count: 1, example: "confidence too low" }],
      },
    ]);
    expect(stub.runs).toEqual({ judged: 6, rejectedOnEveryRung: 1, autoCleared: 1, undecidedAtGate: 2, decidedAtGate: 2 });
  });

  it("counts agreement only over decided gates; a human rejection is a listed disagreement and kappa is 0", () => {
    const stub = calibrationReport(RUNS).groups[1]!;
    expect(stub.agreement).toEqual({ table: table(1, 1, 0, 0), rate: 0.5, kappa: 0 });
    expect(stub.disagreements.map((entry) => [entry.findingId, entry.rung, entry.human.label, entry.human.approvals[0]?.comment])).toEqual([
      ["recalibrated-rejected", 2, "reject", "wrong table"],
    ]);
    const gpt = calibrationReport(RUNS).groups[0]!;
    expect(gpt.agreement).toEqual({ table: table(1, 0, 0, 0), rate: 1, kappa: null });
  });

  it("filters by prompt version and judge model, keeping every option for the filters", () => {
    const report = calibrationReport(RUNS, { judgeModel: "stub-judge", promptVersion: "unknown" });
    expect(report.groups.map((group) => group.runs.judged)).toEqual([1]);
    expect(report.groups[0]?.agreement.table).toEqual(table(0, 1, 0, 0));
    expect(report.judgeModels).toEqual(["gpt-judge", "stub-judge"]);
    expect(calibrationReport(RUNS, { judgeModel: "nobody" }).groups).toEqual([]);
  });

  it("labels each decided run for the export, newest decision first, without the approvals' signatures", () => {
    const labelled = labelledRuns(RUNS);
    expect(labelled.map((entry) => [entry.findingId, entry.judge, entry.human.label, entry.agree])).toEqual([
      ["other-prompt", "accept", "reject", false],
      ["other-model", "accept", "accept", true],
      ["recalibrated-rejected", "accept", "reject", false],
      ["approved", "accept", "accept", true],
    ]);
    expect(labelled[1]?.human.approvals.map((entry) => entry.approver)).toEqual(["ana", "bo"]);
  });

  it("reads a run from its state values, and skips one whose state does not parse", () => {
    const values = new Map([
      ["finding", JSON.stringify(RUNS[1]!.finding)],
      ["verdicts", JSON.stringify(RUNS[1]!.verdicts)],
      ["approvals", JSON.stringify([{ ...approval(true, "ana", 10), signature: "s", nonce: "n" }])],
      ["signoff", JSON.stringify(gated)],
    ]);
    const parsed = calibrationRun("approved", values);
    expect(parsed).toMatchObject({ findingId: "approved", identity: null, attempts: [], signoff: gated });
    expect(labelledRuns([parsed!])[0]?.human.approvals).toEqual([{ approved: true, approver: "ana", decidedAt: at(10) }]);
    expect(calibrationRun("x", new Map([["finding", "{not json"]]))).toBeNull();
    expect(calibrationRun("x", new Map([["verdicts", "[]"]]))).toBeNull();
  });
});
