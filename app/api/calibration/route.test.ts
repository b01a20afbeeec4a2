// GET /api/calibration and its JSONL export against a real restate-server and the real services.
import { beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { CalibrationReportSchema, LabelledRunSchema, type CalibrationReport } from "@/lib/calibration";
import { callRoute, consoleStackPerFile, routeModule, tokenOf } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";
import type { Status } from "@/restate/contracts/schemas";

const ctx = consoleStackPerFile();
const routes = routeModule(() => import("./route"));
const exportRoutes = routeModule(() => import("./export/route"));

const report = (query = "", as = "vic") => callRoute<CalibrationReport>(routes.GET, `/api/calibration${query}`, { as });

/** The export as a viewer downloads it (callRoute reads JSON, this is JSONL). */
async function exported(query = "") {
  const request = new Request(`http://console.test/api/calibration/export${query}`, { headers: { authorization: `Bearer ${tokenOf("vic")}` } });
  const response = await exportRoutes.GET(request, { params: Promise.resolve({}) });
  return { response, lines: (await response.text()).split("\n").filter(Boolean) };
}

// Three runs, each ending where the judge and the gate left it.
const autoCleared = finding();
const approved = finding({ severity: "high", description: "outdated lodash on a high-severity service" });
const rejected = finding({ repo: "prod-db", description: "SQL injection in session store" });
let rejectedStatus: Status;

beforeAll(async () => {
  await Promise.all([autoCleared, approved, rejected].map((run) => ctx.stack.submitAs("sam", run)));
  await ctx.stack.waitForStage(autoCleared.id, "completed");
  await ctx.stack.waitForStage(approved.id, "awaiting-approval");
  await ctx.stack.approve(approved.id, { approved: true, approver: "ana" });
  await ctx.stack.waitForStage(rejected.id, "awaiting-approval");
  await ctx.stack.approve(rejected.id, { approved: false, approver: "bo", comment: "rebuilds the wrong table" });
  await ctx.stack.waitForStage(approved.id, "completed");
  rejectedStatus = await ctx.stack.waitForStage(rejected.id, "rejected");
});

describe("GET /api/calibration", () => {
  it("counts the judge's acceptance per rung, its rejection reasons, and its agreement with the humans at the gate", async () => {
    const answer = await report();
    expect(answer.status).toBe(200);
    const body = CalibrationReportSchema.parse(answer.body);
    const promptVersion = rejectedStatus.identity?.promptVersion;
    const judgeModel = rejectedStatus.verdicts[0]?.judgeModel;
    expect(body.promptVersions).toEqual([promptVersion]);
    expect(body.judgeModels).toEqual([judgeModel]);
    expect(body.groups).toHaveLength(1);
    const [group] = body.groups;
    expect(group).toMatchObject({ promptVersion, judgeModel });
    // Rung 1: three plans, the rogue one rejected; rung 2: the conservative plan of the recalibrated run.
    expect(group?.rungs.map((rung) => [rung.rung, rung.agent, rung.verdicts, rung.accepted])).toEqual([
      [1, "fastExecutor", 3, 2],
      [2, "conservativeExecutor", 1, 1],
    ]);
    expect(group?.rungs[0]?.rejections).toEqual([{ name: "no-destructive-operations", count: 1, example: "Plan contains destructive operations." }]);
    expect(group?.runs).toEqual({ judged: 3, rejectedOnEveryRung: 0, autoCleared: 1, undecidedAtGate: 0, decidedAtGate: 2 });
    expect(group?.agreement).toEqual({ table: { acceptAccept: 1, acceptReject: 1, rejectAccept: 0, rejectReject: 0 }, rate: 0.5, kappa: 0 });
    expect(group?.disagreements.map((run) => [run.findingId, run.rung, run.human.label, run.human.approvals[0]?.comment])).toEqual([
      [rejected.id, 2, "reject", "rebuilds the wrong table"],
    ]);
  });

  it("narrows to a judge model and answers 422 to a filter that is not a name", async () => {
    expect((await report("?judgeModel=no-such-judge")).body.groups).toEqual([]);
    const bad = await report("?promptVersion=%27%3B%20drop");
    expect(bad.status).toBe(422);
    expect(ApiErrorSchema.parse(bad.body).error.fields).toHaveProperty("promptVersion");
    expect((await callRoute(routes.GET, "/api/calibration", { as: null })).status).toBe(401);
  });
});

describe("GET /api/calibration/export", () => {
  it("downloads one JSONL line per run a human decided at the gate, with its finding, verdict and decision", async () => {
    const { response, lines } = await exported();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe('attachment; filename="judge-calibration.jsonl"');
    const runs = lines.map((line) => LabelledRunSchema.parse(JSON.parse(line)));
    expect(runs.map((run) => [run.findingId, run.judge, run.human.label, run.agree]).sort()).toEqual(
      [
        [approved.id, "accept", "accept", true],
        [rejected.id, "accept", "reject", false],
      ].sort(),
    );
    const rejectedLine = runs.find((run) => run.findingId === rejected.id);
    expect(rejectedLine).toMatchObject({ finding: rejected, rung: 2, verdict: { agent: "conservativeExecutor", approved: true } });
    expect(rejectedLine?.human.approvals).toEqual([{ approved: false, approver: "bo", comment: "rebuilds the wrong table", decidedAt: expect.any(String) }]);
    expect(lines.join("\n")).not.toMatch(/signature|nonce|attestation/);
    expect((await exported("?judgeModel=no-such-judge")).lines).toEqual([]);
  });
});
