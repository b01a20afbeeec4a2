import { describe, expect, it } from "vitest";
import { assembleFindingRows, stateValue, toApprovalInboxItem, toFindingSummary, type FindingListRow } from "./finding-summary";
import { z } from "zod";

// A row of the run-list query as restate-server 1.7.12 answered it for a "prod-db" finding at the gate:
// state values are the JSON text the workflow stored, absent keys are missing from the row.
const atTheGate: FindingListRow = {
  invocation_id: "inv_1az6PrkEdgLO1eJndDETxfyImJXnbkHDPk",
  finding_id: "cap-rogue",
  invocation_status: "suspended",
  created_at: "2026-11-27T23:47:24.680Z",
  finding: '{"id":"cap-rogue","source":"snyk","severity":"low","description":"outdated lodash with prototype pollution","repo":"prod-db"}',
  stage: '"awaiting-approval"',
  current_rung: "null",
  verdict:
    '{"agent":"conservativeExecutor","approved":true,"score":0.92,"reason":"All checks passed.","checks":[{"name":"no-destructive-operations","passed":true,"reason":"No destructive operations."}],"judgeModel":"judge-stub","commentary":"ok","judgedAt":"2026-11-27T23:47:24.895Z"}',
  awaiting_since: '"2026-11-27T23:47:24.908Z"',
};

describe("toFindingSummary", () => {
  it("reads the finding, stage, verdict and wait out of the stored state", () => {
    expect(toFindingSummary(atTheGate)).toEqual({
      id: "cap-rogue",
      invocationId: "inv_1az6PrkEdgLO1eJndDETxfyImJXnbkHDPk",
      severity: "low",
      repo: "prod-db",
      source: "snyk",
      description: "outdated lodash with prototype pollution",
      stage: "awaiting-approval",
      refusal: null,
      invocationStatus: "suspended",
      currentRung: null,
      lastVerdict: { agent: "conservativeExecutor", approved: true, reason: "All checks passed.", score: 0.92 },
      waitingSince: "2026-11-27T23:47:24.908Z",
      createdAt: "2026-11-27T23:47:24.680Z",
      endedAt: null,
    });
  });

  it("is placed by its submission time, as the run index orders it, when the workflow recorded one", () => {
    expect(toFindingSummary({ ...atTheGate, submitted_at: '"2026-11-27T23:47:24.501Z"' }).createdAt).toBe("2026-11-27T23:47:24.501Z");
    expect(toFindingSummary({ ...atTheGate, submitted_at: null }).createdAt).toBe("2026-11-27T23:47:24.680Z");
  });

  it.each([
    [
      "a run that just started",
      { stage: '"planning"', current_rung: '"fastExecutor"', verdict: null, awaiting_since: null },
      { stage: "planning", currentRung: "fastExecutor", lastVerdict: null, waitingSince: null },
    ],
    [
      "a run signed off: the old wait is not a wait",
      { stage: '"completed"', ended_at: '"2026-11-27T23:47:26.000Z"' },
      { stage: "completed", waitingSince: null, endedAt: "2026-11-27T23:47:26.000Z" },
    ],
    [
      "a run that ended before recording anything, without a failure",
      { finding: null, stage: null, verdict: null, awaiting_since: null, completed_at: "2026-11-27T23:47:25.000Z" },
      { stage: null, refusal: null, severity: null, repo: null, endedAt: "2026-11-27T23:47:25.000Z" },
    ],
    [
      "a run that failed in the workflow after recording its stage",
      { stage: '"failed"', completion_result: "failure", completion_failure: "[500] Escalated" },
      { stage: "failed", refusal: null },
    ],
    ["a stage this console does not know", { stage: '"exploding"' }, { stage: null }],
    ["state that is not JSON", { finding: "{oops", verdict: "[]" }, { severity: null, description: null, lastVerdict: null }],
  ] as const)("survives %s", (_, change, expected) => {
    expect(toFindingSummary({ ...atTheGate, ...change })).toMatchObject(expected);
  });
});

describe("a submission the workflow refused", () => {
  // As restate-server 1.7.12 holds it after `POST /RemediationWorkflow/bad-1/run {"id":"bad-1"}` (400):
  // the run invocation failed, and no state was written.
  const refused: FindingListRow = {
    invocation_id: "inv_1cWLTJSBwEJd12HXiwcLSQr8Ec3PkApaPL",
    finding_id: "bad-1",
    invocation_status: "completed",
    completion_result: "failure",
    completion_failure:
      "[400] Failed to deserialize input: Standard schema validation failed:\n* (at /source) source is required\n* (at /severity) severity is required\n* (at /description) description is required\n* (at /repo) repo is required",
    created_at: "2026-11-28T19:26:35.861Z",
    completed_at: "2026-11-28T19:26:35.906Z",
  };

  it("is listed as refused with the workflow's reason on one line", () => {
    expect(toFindingSummary(refused)).toMatchObject({
      id: "bad-1",
      stage: "refused",
      refusal:
        "Failed to deserialize input: Standard schema validation failed: (at /source) source is required; (at /severity) severity is required; (at /description) description is required; (at /repo) repo is required",
      severity: null,
      description: null,
      endedAt: "2026-11-28T19:26:35.906Z",
    });
  });

  it.each([
    ["a failure without a message", { completion_failure: null }, "refused by the workflow, without a reason"],
    ["a one-line failure", { completion_failure: "[400] Bad input" }, "Bad input"],
  ] as const)("reads %s", (_, change, reason) => {
    expect(toFindingSummary({ ...refused, ...change }).refusal).toBe(reason);
  });

  it("takes the engine's failure from the status rows when a page is put together", () => {
    const [row] = assembleFindingRows(
      [{ id: refused.invocation_id, partition_key: "1", finding_id: "bad-1", created_at: refused.created_at, completed_at: refused.completed_at }],
      [],
      [{ id: refused.invocation_id, status: "completed", completion_result: "failure", completion_failure: "[400] Bad input" }],
    );
    expect(toFindingSummary(row!)).toMatchObject({ stage: "refused", refusal: "Bad input" });
  });
});

describe("stateValue", () => {
  it.each([
    ['"planning"', "planning"],
    ["null", null],
    [null, null],
    ["{not json", null],
    ["42", null],
  ])("parses %s as %s", (text, expected) => {
    expect(stateValue(text, z.string())).toBe(expected);
  });
});

describe("toApprovalInboxItem", () => {
  it("lists the finding with the gate's reasons and the time it started waiting", () => {
    expect(
      toApprovalInboxItem({
        finding_id: "cap-high",
        finding: '{"id":"cap-high","source":"snyk","severity":"high","description":"outdated lodash","repo":"web-storefront"}',
        awaiting_since: '"2026-11-27T23:47:24.873Z"',
        signoff: '{"required":true,"reasons":["Severity is high: high and critical findings always need a human sign-off."]}',
      }),
    ).toEqual({
      findingId: "cap-high",
      severity: "high",
      repo: "web-storefront",
      description: "outdated lodash",
      waitingSince: "2026-11-27T23:47:24.873Z",
      reasons: ["Severity is high: high and critical findings always need a human sign-off."],
      deadline: null,
    });
  });

  it("carries the gate's deadline, escalation and the group asked once it passes", () => {
    const item = toApprovalInboxItem({
      finding_id: "cap-high",
      awaiting_since: '"2026-11-27T20:00:00.000Z"',
      signoff: '{"required":true,"reasons":[],"deadline":{"withinMs":14400000,"remindAt":[0.5,0.9],"escalateTo":["security-leads"],"graceMs":7200000}}',
      deadline: '{"dueAt":"2026-11-28T00:00:00.000Z","finalDueAt":"2026-11-28T02:00:00.000Z","escalatedAt":"2026-11-28T00:00:01.000Z","remindersSent":[]}',
    });
    expect(item?.deadline).toEqual({
      dueAt: "2026-11-28T00:00:00.000Z",
      finalDueAt: "2026-11-28T02:00:00.000Z",
      escalatedAt: "2026-11-28T00:00:01.000Z",
      escalateTo: ["security-leads"],
    });
  });

  it("leaves out a run that set its stage but not yet the time it started waiting", () => {
    expect(toApprovalInboxItem({ finding_id: "cap-high", awaiting_since: null })).toBeNull();
  });
});

describe("assembleFindingRows", () => {
  const page = [
    {
      id: "inv_1eF4hSweT2NH5oLhWSUL8tshGHwBvRO2Af",
      partition_key: "4159547721901459626",
      finding_id: "seed-9999",
      created_at: "2026-11-27T23:53:31.940Z",
      completed_at: "2026-11-27T23:53:32.240Z",
    },
    { id: "inv_10oLsFpLYJq57m6agwflkxAFNsPKrRlhhs", partition_key: "3847007970203182852", finding_id: "seed-9998", created_at: "2026-11-27T23:53:31.938Z" },
  ];

  it("pivots each run's state rows by key and attaches the engine status, keeping the page order", () => {
    const rows = assembleFindingRows(
      page,
      [
        { service_key: "seed-9998", key: "stage", value_utf8: '"planning"' },
        { service_key: "seed-9999", key: "stage", value_utf8: '"failed"' },
        { service_key: "seed-9999", key: "endedAt", value_utf8: '"2026-11-27T23:53:32.236Z"' },
        { service_key: "seed-9998", key: "currentRung", value_utf8: '"fastExecutor"' },
      ],
      [
        { id: "inv_10oLsFpLYJq57m6agwflkxAFNsPKrRlhhs", status: "running" },
        { id: "inv_1eF4hSweT2NH5oLhWSUL8tshGHwBvRO2Af", status: "completed" },
      ],
    );
    expect(rows.map((row) => [row.finding_id, row.invocation_status, row.stage, row.current_rung, row.ended_at])).toEqual([
      ["seed-9999", "completed", '"failed"', null, '"2026-11-27T23:53:32.236Z"'],
      ["seed-9998", "running", '"planning"', '"fastExecutor"', null],
    ]);
  });

  it("keeps a run whose state and status could not be read", () => {
    const [row] = assembleFindingRows(page.slice(0, 1), [], []);
    expect(toFindingSummary(row!)).toMatchObject({ id: "seed-9999", invocationStatus: "unknown", stage: null, endedAt: "2026-11-27T23:53:32.240Z" });
  });
});
