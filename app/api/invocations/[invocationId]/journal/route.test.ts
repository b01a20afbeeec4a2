// GET /api/invocations/{invocationId}/journal and …/journal/{index} against a real restate-server.
import { beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema, JournalEntryDetailSchema, JournalTimelineSchema, type JournalTimeline } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding, TEST_FAST_RUNG_TIMEOUT_MS } from "@/restate/test/harness";
import type { Status } from "@/restate/contracts/schemas";

const ctx = consoleStackPerFile();
const timeline = routeModule(() => import("./route"));
const entry = routeModule(() => import("./[index]/route"));
let run: Status;
beforeAll(async () => {
  // A runaway fast executor (timed out, cancelled) and an accepted conservative plan, then the gate.
  const runaway = finding({ description: "prototype pollution across the monorepo", repo: "live-checkout" });
  await ctx.stack.submitAs("sam", runaway);
  run = await ctx.stack.waitForStage(runaway.id, "awaiting-approval");
});

const journalOf = (invocationId: string) => callRoute<JournalTimeline>(timeline.GET, `/api/invocations/${invocationId}/journal`, { params: { invocationId } });
const entryOf = (invocationId: string, index: string) =>
  callRoute(entry.GET, `/api/invocations/${invocationId}/journal/${index}`, { params: { invocationId, index } });

describe("GET /api/invocations/{invocationId}/journal", () => {
  it("shows the supervisor's journal: calls linked to sub-agents, the timeout, the cancel, the gate", async () => {
    const workflowId = run.identity!.invocationId;
    const answer = await journalOf(workflowId);
    expect(answer.status).toBe(200);
    const journal = JournalTimelineSchema.parse(answer.body);
    expect(journal.invocation).toMatchObject({ id: workflowId, target: `RemediationWorkflow/${run.findingId}/run` });
    expect(journal.entries.map((e) => e.index)).toEqual([...journal.entries.map((e) => e.index)].sort((a, b) => a - b));
    expect(journal.entries[0]).toMatchObject({ kind: "input", offsetMs: 0 });

    const [fast, conservative] = run.attempts;
    const calls = journal.entries.filter((e) => e.kind === "call");
    expect(calls.map((call) => [call.childInvocationId, call.childTarget, call.result])).toEqual([
      [fast!.subAgentInvocationId, "subAgents/fastExecutor", "failure"],
      [conservative!.subAgentInvocationId, "subAgents/conservativeExecutor", "success"],
    ]);
    // The fast executor's call lasted until its cancellation: at least the rung's timeout.
    expect(calls[0]!.durationMs).toBeGreaterThanOrEqual(TEST_FAST_RUNG_TIMEOUT_MS);
    const timer = journal.entries.find((e) => e.kind === "sleep" && e.completed);
    expect(timer?.durationMs).toBeGreaterThanOrEqual(TEST_FAST_RUNG_TIMEOUT_MS - 100);
    expect(journal.entries.find((e) => e.kind === "cancel")).toMatchObject({ childInvocationId: fast!.subAgentInvocationId });
    expect(journal.entries.find((e) => e.kind === "run" && e.name === "judge plan of conservativeExecutor")).toMatchObject({
      completed: true,
      result: "success",
    });
    expect(journal.entries.at(-1)).toMatchObject({ kind: "promise", promiseName: "approval", completed: false, durationMs: null });
  });

  it("shows a sub-agent's own journal: its turns, the cancellation it received, its compensation", async () => {
    const fastId = run.attempts[0]!.subAgentInvocationId;
    const journal = JournalTimelineSchema.parse((await journalOf(fastId)).body);
    expect(journal.invocation).toMatchObject({ id: fastId, target: "subAgents/fastExecutor", completionFailure: expect.stringContaining("[409]") });
    const names = journal.entries.map((e) => e.name);
    expect(names).toContain("open scratch workspace");
    expect(names).toContain("agent turn 1");
    const cancelled = journal.entries.findIndex((e) => e.kind === "cancel" && e.name === "cancellation received");
    const discarded = journal.entries.findIndex((e) => e.name === "discard scratch workspace");
    expect(cancelled).toBeGreaterThan(0);
    expect(discarded).toBeGreaterThan(cancelled);
    expect(journal.entries.at(-1)).toMatchObject({ kind: "output", result: "failure" });
  });

  it("shows the engine's transient errors when the services crash mid-run", async () => {
    const crashing = finding({ description: "prototype pollution across all services" });
    await ctx.stack.submitAs("sam", crashing);
    await ctx.stack.waitFor(crashing.id, (status) => status.currentRung === "fastExecutor");
    await ctx.stack.restartServices("kill");
    const done = await ctx.stack.waitForStage(crashing.id, "completed");
    const journals = await Promise.all([done.identity!.invocationId, done.attempts[0]!.subAgentInvocationId].map(journalOf));
    const events = journals.flatMap((answer) => JournalTimelineSchema.parse(answer.body).events);
    expect(events.length).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ type: "TransientError", message: expect.stringMatching(/^\[\d{3}\] /) });
  });

  it.each([
    ["an id of the right shape that Restate never issued", "inv_1aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 404],
    ["an id that is not an invocation id", "inv_1'; DROP TABLE state; --", 422],
    ["a finding id", "cve-001", 422],
  ])("answers for %s", async (_, invocationId, status) => {
    const answer = await journalOf(invocationId);
    expect(answer.status).toBe(status);
    ApiErrorSchema.parse(answer.body);
  });

  it("answers 404 for a well-formed id of an invocation that does not exist", async () => {
    // A real id with its last character changed: decodable, but no such invocation.
    const real = run.identity!.invocationId;
    const missing = real.slice(0, -1) + (real.endsWith("A") ? "B" : "A");
    const answer = await journalOf(missing);
    expect(answer.status).toBe(404);
    expect(ApiErrorSchema.parse(answer.body).error.code).toBe("not_found");
  });
});

describe("GET /api/invocations/{invocationId}/journal/{index}", () => {
  it("returns one entry in full with its payload decoded: the sub-agent call carries the finding", async () => {
    const workflowId = run.identity!.invocationId;
    const call = JournalTimelineSchema.parse((await journalOf(workflowId)).body).entries.find((e) => e.kind === "call")!;
    const answer = await entryOf(workflowId, String(call.index));
    expect(answer.status).toBe(200);
    const detail = JournalEntryDetailSchema.parse(answer.body);
    expect(detail).toMatchObject({ index: call.index, entryType: "Command: Call" });
    expect(detail.entry).toMatchObject({ Command: { Call: { request: { parameter: { finding: { id: run.findingId }, priorRejections: [] } } } } });
  });

  it("returns a step together with its result: the judge's review", async () => {
    const workflowId = run.identity!.invocationId;
    const judged = JournalTimelineSchema.parse((await journalOf(workflowId)).body).entries.find((e) => e.name?.startsWith("judge plan"))!;
    const detail = JournalEntryDetailSchema.parse((await entryOf(workflowId, String(judged.index))).body);
    expect(detail.entryType).toBe("Command: Run");
    expect(detail.completion?.entryType).toBe("Notification: Run");
    expect(JSON.stringify(detail.completion?.entry)).toContain("The plan from conservativeExecutor stays in");
  });

  it("shows which headers a caller sent but only the values known to be harmless", async () => {
    const sent = finding();
    const response = await fetch(`${ctx.stack.server.ingressUrl}/RemediationWorkflow/${sent.id}/run/send`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "curl/8.5.0",
        "x-auth-token": "secret-1",
        "x-amz-security-token": "secret-2",
        "x-goog-iam-authorization-token": "secret-3",
        authorization: "Bearer secret-4",
      },
      body: JSON.stringify(sent),
    });
    const { invocationId } = (await response.json()) as { invocationId: string };
    const detail = JournalEntryDetailSchema.parse((await entryOf(invocationId, "0")).body);
    expect(detail.entryType).toBe("Command: Input");
    const text = JSON.stringify(detail.entry);
    for (const secret of ["secret-1", "secret-2", "secret-3", "secret-4"]) expect(text).not.toContain(secret);
    const headers = new Map(
      ((detail.entry as { Command: { Input: { headers: { name: string; value: string }[] } } }).Command.Input.headers ?? []).map((h) => [
        h.name.toLowerCase(),
        h.value,
      ]),
    );
    expect(headers.get("x-auth-token")).toBe("[redacted]");
    expect(headers.get("x-amz-security-token")).toBe("[redacted]");
    expect(headers.get("authorization")).toBe("[redacted]");
    expect(headers.get("user-agent")).toBe("curl/8.5.0");
    expect(headers.get("content-type")).toBe("application/json");
  });

  it.each([
    ["an index past the journal's end", "100000", 404],
    ["an index that is not a number", "first", 422],
    ["a negative index", "-1", 422],
  ])("answers for %s", async (_, index, status) => {
    const answer = await entryOf(run.identity!.invocationId, index);
    expect(answer.status).toBe(status);
    ApiErrorSchema.parse(answer.body);
  });
});
