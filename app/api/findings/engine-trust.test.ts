// What the console shows as the truth of a run, when someone else reaches the engine: a signed
// sign-off body is not shown to those who do not need it, a refused one cannot be replayed, state
// rewritten through Restate's admin API is flagged, and a finding id held by another finding is not
// silently attached to. Real restate-server, services and route handlers.
import { describe, expect, it } from "vitest";
import { ApiErrorSchema, FindingDetailSchema, JournalEntryDetailSchema, JournalTimelineSchema } from "@/lib/api/contracts";
import { callRoute, eventually, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";
import { rewriteStateKey } from "@/scripts/stack";

const ctx = consoleStackPerFile();
const findings = routeModule(() => import("./route"));
const detail = routeModule(() => import("./[id]/route"));
const approval = routeModule(() => import("./[id]/approval/route"));
const journal = routeModule(() => import("@/app/api/invocations/[invocationId]/journal/route"));
const entry = routeModule(() => import("@/app/api/invocations/[invocationId]/journal/[index]/route"));

const runPage = async (id: string, as = "vic") => {
  const answer = await callRoute(detail.GET, `/api/findings/${id}`, { params: { id }, as });
  expect(answer.status).toBe(200);
  return FindingDetailSchema.parse(answer.body);
};
const gatedFinding = () => finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });

/** The `approve` calls made to a run, with the full journal entry of each call's input as `as` sees it. */
async function approveInputs(findingId: string, as: string) {
  const rows = await ctx.stack.sql<{ id: string }>(`SELECT id FROM sys_invocation WHERE target = 'RemediationWorkflow/${findingId}/approve'`);
  const inputs = [];
  for (const { id } of rows) {
    const timeline = JournalTimelineSchema.parse((await callRoute(journal.GET, `/api/invocations/${id}/journal`, { params: { invocationId: id }, as })).body);
    const input = timeline.entries.find((item) => item.entryType.includes("Input"));
    if (!input) continue;
    const answer = await callRoute(entry.GET, `/api/invocations/${id}/journal/${input.index}`, {
      params: { invocationId: id, index: String(input.index) },
      as,
    });
    inputs.push(JSON.stringify(JournalEntryDetailSchema.parse(answer.body).entry));
  }
  return inputs;
}

describe("a sign-off refused for being early", () => {
  it("shows viewers no signed body, and its body replayed at the ingress once the gate opens changes nothing", async () => {
    // Runaway first rung: a few seconds of planning before the gate.
    const early = finding({ severity: "high", description: "SSRF in the image proxy", repo: "web-monorepo" });
    expect((await callRoute(findings.POST, "/api/findings", { method: "POST", body: early, as: "sam" })).status).toBe(202);
    await ctx.stack.waitForStage(early.id, "planning");
    const tooEarly = await callRoute(approval.POST, `/api/findings/${early.id}/approval`, {
      method: "POST",
      body: { approved: true },
      params: { id: early.id },
      as: "ana",
    });
    expect(tooEarly.status).toBe(409);

    // A viewer drilling into that call's journal sees the decision, never the signature or nonce.
    const seenByViewer = await eventually(async () => {
      const inputs = await approveInputs(early.id, "vic");
      expect(inputs).toHaveLength(1);
      return inputs[0]!;
    });
    expect(seenByViewer).toContain('"approver":"ana"');
    expect(seenByViewer).toMatch(/"signature":"\[redacted/);
    expect(seenByViewer).toMatch(/"nonce":"\[redacted/);

    // An admin sees the whole claim; posting it to the ingress after the gate opened is refused.
    const [seenByAdmin] = await approveInputs(early.id, "ada");
    const body = JSON.parse(seenByAdmin!) as { message?: { parameter?: unknown }; [key: string]: unknown };
    const claim = findClaim(body);
    expect(claim?.signature).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    await ctx.stack.waitForStage(early.id, "awaiting-approval");
    const replayed = await ctx.stack.post(`/RemediationWorkflow/${early.id}/approve`, claim);
    expect(replayed.status).toBe(409);
    const status = await ctx.stack.status(early.id);
    expect(status.stage).toBe("awaiting-approval");
    expect(status.approvals).toEqual([]);
  });
});

/** The decoded approval claim inside a journal Input entry. */
function findClaim(value: unknown): Record<string, unknown> | undefined {
  if (!value || typeof value !== "object") return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.signature === "string" && typeof record.approver === "string") return record;
  for (const field of Object.values(record)) {
    const found = findClaim(field);
    if (found) return found;
  }
  return undefined;
}

const rewriteState = (service: string, key: string, stateKey: string, value: unknown) =>
  rewriteStateKey(ctx.stack.server.adminUrl, service, key, stateKey, value);

describe("state rewritten through the admin API", () => {
  it("verifies a run the services wrote, and flags approvals, submitters and trail entries written by anyone else", async () => {
    const run = gatedFinding();
    expect((await callRoute(findings.POST, "/api/findings", { method: "POST", body: run, as: "sam" })).status).toBe(202);
    await ctx.stack.waitForStage(run.id, "awaiting-approval");
    expect(
      (
        await callRoute(approval.POST, `/api/findings/${run.id}/approval`, {
          method: "POST",
          body: { approved: true, comment: "ok" },
          params: { id: run.id },
          as: "ana",
        })
      ).status,
    ).toBe(200);
    await ctx.stack.waitForStage(run.id, "completed");
    const genuine = await eventually(async () => {
      const page = await runPage(run.id);
      expect(page.status.signoffAttempts).toHaveLength(1);
      return page;
    });
    expect(genuine.integrity).toMatchObject({ state: "verified", problems: [] });
    expect(genuine.integrity.checked).toBeGreaterThanOrEqual(4);

    // An invented approver, a different submitter, an invented "accepted" trail entry.
    const approvals = genuine.status.approvals.map((decided) => ({ ...decided, approver: "mallory" }));
    await rewriteState("RemediationWorkflow", run.id, "approvals", approvals);
    await rewriteState("RemediationWorkflow", run.id, "submittedBy", "someone-else");
    const invented = { at: new Date().toISOString(), approver: "mallory", approved: true, accepted: true, reason: "approval 1 of 1", signed: true, seq: 2 };
    await rewriteState("SignoffAttempts", run.id, "attempts", [...genuine.status.signoffAttempts, invented]);

    const tampered = await eventually(async () => {
      const page = await runPage(run.id);
      expect(page.integrity.state).toBe("tampered");
      expect(page.integrity.problems.length).toBeGreaterThanOrEqual(3);
      return page;
    });
    const problems = tampered.integrity.problems.join("\n");
    expect(problems).toMatch(/Approval 1 \("approved" by mallory\) is not signed by the services/);
    expect(problems).toMatch(/submitter "someone-else" is not signed/);
    expect(problems).toMatch(/Sign-off trail entry 2 \(mallory, accepted\) is not signed/);
  });

  it("flags a trail entry removed from the middle", async () => {
    const run = gatedFinding();
    expect((await callRoute(findings.POST, "/api/findings", { method: "POST", body: run, as: "sam" })).status).toBe(202);
    await ctx.stack.waitForStage(run.id, "awaiting-approval");
    for (const as of ["vic", "sam", "ana"]) {
      await callRoute(approval.POST, `/api/findings/${run.id}/approval`, { method: "POST", body: { approved: true }, params: { id: run.id }, as });
    }
    const page = await eventually(async () => {
      const current = await runPage(run.id);
      expect(current.status.signoffAttempts).toHaveLength(3);
      return current;
    });
    const [first, , third] = page.status.signoffAttempts;
    await rewriteState("SignoffAttempts", run.id, "attempts", [first, third]);
    const cut = await eventually(async () => {
      const current = await runPage(run.id);
      expect(current.integrity.state).toBe("tampered");
      return current;
    });
    expect(cut.integrity.problems.join("\n")).toMatch(/entries 2–2 are missing/);
  });

  it("calls a run whose records all lost their signatures unsigned, not verified", async () => {
    const run = gatedFinding();
    expect((await callRoute(findings.POST, "/api/findings", { method: "POST", body: run, as: "sam" })).status).toBe(202);
    await ctx.stack.waitForStage(run.id, "awaiting-approval");
    await rewriteState("RemediationWorkflow", run.id, "submittedByAttestation", null);
    const page = await eventually(async () => {
      const current = await runPage(run.id);
      expect(current.integrity.state).toBe("unsigned");
      return current;
    });
    expect(page.integrity.problems.join(" ")).toMatch(/None of this run's records carries the services' signature/);
  });
});

describe("who is shown the way into Restate's own UI", () => {
  it("admins get the deep link; viewers and approvers do not", async () => {
    const low = finding();
    expect((await callRoute(findings.POST, "/api/findings", { method: "POST", body: low, as: "sam" })).status).toBe(202);
    await ctx.stack.waitForStage(low.id, "completed");
    expect((await runPage(low.id, "ada")).restateUiUrl).toMatch(/\/ui\/invocations\/inv_/);
    expect((await runPage(low.id, "vic")).restateUiUrl).toBeNull();
    expect((await runPage(low.id, "ana")).restateUiUrl).toBeNull();
  });
});

describe("a finding id held by another finding", () => {
  it("refuses a different finding under that id with 409 and starts nothing; the same finding again is 'existing'", async () => {
    const real = finding({ severity: "critical", description: "RCE in the upload handler", repo: "payments-api" });
    // Someone who reaches the ingress squats on the id first, with a harmless low-severity body.
    const squatter = { ...real, severity: "low", description: "typo in README" };
    expect((await ctx.stack.post(`/RemediationWorkflow/${real.id}/run/send`, squatter)).status).toBe(202);

    // At once, whether or not the squatter's run has recorded its finding yet.
    const refused = await callRoute(findings.POST, "/api/findings", { method: "POST", body: real, as: "sam" });
    expect(refused.status).toBe(409);
    expect(ApiErrorSchema.parse(refused.body).error.message).toMatch(/already held by a run of a different finding \(severity, description differ\)/);
    const runs = await ctx.stack.sql<{ n: number }>(`SELECT count(*) AS n FROM sys_invocation WHERE target = 'RemediationWorkflow/${real.id}/run'`);
    expect(Number(runs[0]?.n)).toBe(1);

    const again = await callRoute(findings.POST, "/api/findings", { method: "POST", body: squatter, as: "sam" });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ submission: "existing" });
  });

  it("refuses a finding whose id is held by a submission the workflow refused as bad input", async () => {
    const real = finding({ severity: "high" });
    const bad = await ctx.stack.post(`/RemediationWorkflow/${real.id}/run`, { id: real.id, severity: "urgent" });
    expect(bad.status).toBe(400);
    const refused = await callRoute(findings.POST, "/api/findings", { method: "POST", body: real, as: "sam" });
    expect(refused.status).toBe(409);
    expect(ApiErrorSchema.parse(refused.body).error.message).toMatch(/already held by a run of a different finding/);
  });
});
