// POST /api/findings and GET /api/findings against a real restate-server and the real services.
import { beforeAll, describe, expect, it } from "vitest";
import {
  ApiErrorSchema,
  FindingListResponseSchema,
  SubmitFindingResponseSchema,
  type FindingListResponse,
  type SubmitFindingResponse,
} from "@/lib/api/contracts";
import { callRoute, eventually, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
const routes = routeModule(() => import("./route"));

const submit = (body: unknown) => callRoute<SubmitFindingResponse>(routes.POST, "/api/findings", { method: "POST", body });
const list = (query = "") => callRoute<FindingListResponse>(routes.GET, `/api/findings${query}`);
/** Every invocation the engine holds for a workflow key: proof of what was (not) started. */
const invocationsOf = (findingId: string) =>
  ctx.stack.sql<{ id: string; target: string }>(
    `SELECT id, target FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND target_service_key = '${findingId}'`,
  );

describe("POST /api/findings", () => {
  it("starts a run and answers 202 with its invocation id; the run completes", async () => {
    const low = finding();
    const answer = await submit(low);
    expect(answer.status).toBe(202);
    expect(SubmitFindingResponseSchema.parse(answer.body)).toEqual({
      findingId: low.id,
      invocationId: expect.stringMatching(/^inv_/),
      submission: "started",
    });
    const status = await ctx.stack.waitForStage(low.id, "completed");
    expect(status.identity?.invocationId).toBe(answer.body.invocationId);
  });

  it("records the submitting operator, answers 401 to nobody and 403 to a viewer, and starts nothing for them", async () => {
    const mine = finding();
    expect((await callRoute(routes.POST, "/api/findings", { method: "POST", body: mine, as: "sam" })).status).toBe(202);
    expect((await ctx.stack.waitForStage(mine.id, "completed")).submittedBy).toBe("sam");

    const refused = finding();
    const nobody = await callRoute(routes.POST, "/api/findings", { method: "POST", body: refused, as: null });
    expect(nobody.status).toBe(401);
    expect(nobody.headers.get("www-authenticate")).toMatch(/^Bearer/);
    const viewer = await callRoute(routes.POST, "/api/findings", { method: "POST", body: refused, as: "vic" });
    expect(viewer.status).toBe(403);
    expect(ApiErrorSchema.parse(viewer.body).error.code).toBe("forbidden");
    expect(await invocationsOf(refused.id)).toEqual([]);

    expect((await callRoute(routes.GET, "/api/findings", { as: null })).status).toBe(401);
    expect((await callRoute(routes.GET, "/api/findings", { as: "vic" })).status).toBe(200);
  });

  it("answers a resubmission with the existing run (200, same invocation), never a second run", async () => {
    const low = finding();
    const first = await submit(low);
    // At once, before the run has recorded anything: the same finding attaches, a different one is refused.
    const again = await submit(low);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ findingId: low.id, invocationId: first.body.invocationId, submission: "existing" });
    const different = await submit({ ...low, description: "another finding under the same id" });
    expect(different.status).toBe(409);
    await ctx.stack.waitForStage(low.id, "completed");
    const third = await submit(low);
    expect(third.body).toMatchObject({ invocationId: first.body.invocationId, submission: "existing" });
    const runs = (await invocationsOf(low.id)).filter((row) => row.target.endsWith("/run"));
    expect(runs.map((row) => row.id)).toEqual([first.body.invocationId]);
  });

  it.each([
    ["a bad id and severity", { ...finding(), id: "no spaces allowed", severity: "urgent" }, ["id", "severity"]],
    ["a missing description", { ...finding(), description: undefined }, ["description"]],
    ["an empty source", { ...finding(), source: "   " }, ["source"]],
    ["an unknown field", { ...finding(), priority: "p1" }, ["priority"]],
    ["a repo with shell characters", { ...finding(), repo: "web;rm -rf /" }, ["repo"]],
  ])("answers 422 with field messages for %s and starts nothing", async (_, body, fields) => {
    const answer = await submit(body);
    expect(answer.status).toBe(422);
    const error = ApiErrorSchema.parse(answer.body).error;
    expect(error.code).toBe("invalid_input");
    expect(Object.keys(error.fields ?? {}).sort()).toEqual([...fields].sort());
    for (const field of fields) expect(error.fields?.[field]).toMatch(/\w/);
    const key = typeof body.id === "string" ? body.id.replaceAll("'", "") : "";
    if (/^[A-Za-z0-9._-]+$/.test(key)) expect(await invocationsOf(key)).toEqual([]);
  });

  it("answers 422 for a body that is not JSON, or no body at all", async () => {
    const garbage = await submit("{not json");
    expect(garbage.status).toBe(422);
    expect(ApiErrorSchema.parse(garbage.body).error.message).toMatch(/not valid JSON/);
    const empty = await callRoute(routes.POST, "/api/findings", { method: "POST" });
    expect(empty.status).toBe(422);
    expect(Object.keys(ApiErrorSchema.parse(empty.body).error.fields ?? {})).toEqual(
      expect.arrayContaining(["id", "source", "severity", "description", "repo"]),
    );
  });
});

describe("GET /api/findings", () => {
  const prefix = `list-${Date.now().toString(36)}`;
  const ids: string[] = [];
  beforeAll(async () => {
    // Submitted one by one, so their creation order is known: newest is the last.
    for (const [i, overrides] of [
      { severity: "low" },
      { severity: "medium", repo: "orders-db" },
      { severity: "high" },
      { severity: "critical", description: "exposed credentials in CI logs" },
      { severity: "low" },
    ].entries()) {
      const next = finding({ id: `${prefix}-${i}`, ...overrides } as never);
      ids.push(next.id);
      expect((await submit(next)).status).toBe(202);
    }
    for (const id of ids) await ctx.stack.waitFor(id, (status) => ["completed", "awaiting-approval"].includes(status.stage));
  });

  it("lists runs newest first as finding summaries, with the count waiting for sign-off", async () => {
    // The run index hears of a run by a one-way send: on a busy machine, a moment after its stage.
    const { page, ours } = await eventually(async () => {
      const answer = await list();
      expect(answer.status).toBe(200);
      const page = FindingListResponseSchema.parse(answer.body);
      const ours = page.items.filter((item) => item.id.startsWith(prefix));
      expect(ours.map((item) => item.id)).toEqual([...ids].reverse());
      return { page, ours };
    });
    expect(page.waitingForSignoff).toBeGreaterThanOrEqual(2);
    const high = ours.find((item) => item.id === ids[2]);
    expect(high).toMatchObject({ severity: "high", stage: "awaiting-approval", invocationStatus: expect.any(String), waitingSince: expect.any(String) });
    expect(high?.lastVerdict).toMatchObject({ approved: true, agent: "fastExecutor" });
    const recalibrated = ours.find((item) => item.id === ids[1]);
    expect(recalibrated).toMatchObject({ stage: "completed", lastVerdict: { agent: "conservativeExecutor", approved: true }, endedAt: expect.any(String) });
  });

  it("pages with the cursor without gaps or repeats", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const answer: { status: number; body: FindingListResponse } = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ""}`);
      expect(answer.status).toBe(200);
      expect(answer.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...answer.body.items.map((item) => item.id));
      cursor = answer.body.nextCursor;
    } while (cursor);
    const everything = (await list("?limit=200")).body.items.map((item) => item.id);
    expect(seen).toEqual(everything);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => id.startsWith(prefix))).toEqual([...ids].reverse());
  });

  it.each([
    ["?stage=awaiting-approval", (item: { stage: string | null }) => item.stage === "awaiting-approval", [3, 2]],
    ["?severity=low", (item: { severity: string | null }) => item.severity === "low", [4, 0]],
    [
      "?stage=completed&severity=medium",
      (item: { stage: string | null; severity: string | null }) => item.stage === "completed" && item.severity === "medium",
      [1],
    ],
    ["?stage=rejected", (item: { stage: string | null }) => item.stage === "rejected", []],
    // A stage runs pass through has no list in the index: read from the engine's runs.
    ["?stage=planning", (item: { stage: string | null }) => item.stage === "planning", []],
  ] as const)("filters %s", async (query, matches, expected) => {
    // A stage's list follows the run a moment after its stage is set.
    await eventually(async () => {
      const answer = await list(`${query}&limit=200`);
      expect(answer.status).toBe(200);
      expect(answer.body.items.every(matches)).toBe(true);
      expect(answer.body.items.filter((item) => item.id.startsWith(prefix)).map((item) => item.id)).toEqual(expected.map((i) => ids[i]));
    });
  });

  it.each([
    ["?stage=exploding", "stage"],
    ["?severity=urgent", "severity"],
    ["?limit=0", "limit"],
    ["?limit=many", "limit"],
    ["?cursor=not-a-cursor", "cursor"],
    // Well-formed, but the 30th of February at 25:61: the SQL engine would fail on it (a 500 before).
    [`?cursor=${Buffer.from(JSON.stringify(["2026-02-30T25:61:00.000Z", "inv_10oLsFpLYJq57m6agwflkxAFNsPKrRlhhs"])).toString("base64url")}`, "cursor"],
  ])("answers 422 for %s", async (query, field) => {
    const answer = await list(query);
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.fields).toHaveProperty(field);
  });

  it("lists a submission the workflow refused at the ingress under ?stage=refused, with its reason, and nowhere else", async () => {
    // Bad input sent straight to Restate: the engine records a failed `run`, the workflow records nothing.
    const refusedId = `${prefix}-refused`;
    const refusedAnswer = await fetch(`${ctx.stack.server.ingressUrl}/RemediationWorkflow/${refusedId}/run`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: refusedId, severity: "low" }),
    });
    expect(refusedAnswer.status).toBe(400);
    // A run that failed inside the workflow (no rung could fix it) has a stage: failed, not refused.
    const exhausted = finding({ id: `${prefix}-exhausted`, description: "the fix lives in a vendored shared library" });
    expect((await submit(exhausted)).status).toBe(202);
    await ctx.stack.waitForStage(exhausted.id, "failed");

    const everything = (await list("?limit=200")).body.items;
    // The workflow never saw it, so it is not in the run index the list reads.
    expect(everything.map((item) => item.id)).not.toContain(refusedId);
    expect(everything.find((item) => item.id === exhausted.id)).toMatchObject({ stage: "failed", refusal: null, severity: "low" });

    const refused = FindingListResponseSchema.parse((await list("?stage=refused&limit=200")).body).items;
    expect(refused.find((item) => item.id === refusedId)).toMatchObject({
      stage: "refused",
      refusal: expect.stringMatching(/^Failed to deserialize input: .*repo is required/),
      severity: null,
      description: null,
      invocationStatus: "completed",
      endedAt: expect.any(String),
    });
    expect(refused.every((item) => item.stage === "refused" && item.refusal)).toBe(true);
    expect(refused.some((item) => item.id.startsWith(prefix) && item.id !== refusedId)).toBe(false);
    // A refused submission recorded no severity: a severity filter never matches it.
    expect((await list("?stage=refused&severity=low&limit=200")).body.items.map((item) => item.id)).not.toContain(refusedId);
    await eventually(async () =>
      expect((await list("?stage=failed&limit=200")).body.items.map((item) => item.id)).toEqual(expect.arrayContaining([exhausted.id])),
    );
    expect((await list("?stage=failed&limit=200")).body.items.map((item) => item.id)).not.toContain(refusedId);
  });

  it("counts a run at the gate in waitingForSignoff until it is signed off", async () => {
    const before = (await list("?limit=1")).body.waitingForSignoff;
    const gated = finding({ severity: "critical" });
    await submit(gated);
    await ctx.stack.waitForStage(gated.id, "awaiting-approval");
    await eventually(async () => expect((await list("?limit=1")).body.waitingForSignoff).toBe(before + 1));
    await ctx.stack.approve(gated.id, { approved: false, approver: "list-test", comment: "not now" });
    await ctx.stack.waitForStage(gated.id, "rejected");
    expect((await list("?limit=1")).body.waitingForSignoff).toBe(before);
  });
});
