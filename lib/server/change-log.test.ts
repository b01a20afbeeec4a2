import { describe, expect, it } from "vitest";
import type { LiveEvent } from "@/lib/api/live-events";
import { diffInvocations, EventLog, formatEventId, parseEventId, planResume, topicOf, type Topic, type WatchedInvocationRow } from "./change-log";

// Rows as restate-server 1.7.12 answers sys_invocation_status for a run at the gate, then woken by a sign-off.
const atGate: WatchedInvocationRow = { id: "inv_1", status: "suspended", journal_size: 41, modified_at: "2026-11-28T10:00:00.000Z" };
const woken: WatchedInvocationRow = { ...atGate, status: "invoked", modified_at: "2026-11-28T10:00:05.000Z" };
const other: WatchedInvocationRow = { id: "inv_2", status: "completed", journal_size: 60, modified_at: "2026-11-28T09:59:00.000Z" };

const runs = (n: number): LiveEvent => ({ kind: "runs", payload: { runs: [], waitingForSignoff: n } });

describe("diffInvocations", () => {
  it("takes the first read as the baseline: nothing has changed yet", () => {
    const { changed, next } = diffInvocations(null, [atGate, other]);
    expect(changed).toEqual([]);
    expect([...next.keys()]).toEqual(["inv_1", "inv_2"]);
  });

  it.each([
    ["a new status", { ...atGate, status: "invoked" }],
    ["a longer journal (a stage, rung or gate written)", { ...atGate, journal_size: 42 }],
    ["a later modification", { ...atGate, modified_at: "2026-11-28T10:00:00.001Z" }],
  ])("reports an invocation with %s", (_, row) => {
    const { next } = diffInvocations(null, [atGate, other]);
    expect(diffInvocations(next, [row, other]).changed).toEqual([row]);
  });

  it("reports a new invocation and not the unchanged ones", () => {
    const { next } = diffInvocations(null, [other]);
    expect(diffInvocations(next, [woken, other]).changed).toEqual([woken]);
  });

  it("forgets invocations that are no longer read, and reports them when they come back", () => {
    const first = diffInvocations(null, [atGate, other]).next;
    const second = diffInvocations(first, [other]).next;
    expect(diffInvocations(second, [atGate, other]).changed).toEqual([atGate]);
  });
});

describe("event ids", () => {
  it.each([
    ["abc123.42", { feed: "abc123", seq: 42 }],
    ["Zx_-9.0", { feed: "Zx_-9", seq: 0 }],
  ])("reads %s", (id, parsed) => {
    expect(parseEventId(id)).toEqual(parsed);
    expect(formatEventId(parsed.feed, parsed.seq)).toBe(id);
  });

  it.each([[""], ["42"], ["feed."], ["feed.-1"], ["fe ed.1"], ["a.1.2"], [null], [undefined]])("refuses %s", (id) => {
    expect(parseEventId(id)).toBeNull();
  });
});

describe("EventLog", () => {
  it("gives the events after a number, none when nothing happened since", () => {
    const log = new EventLog(10, 60_000);
    log.append(runs(1), 0);
    log.append(runs(2), 0);
    log.append(runs(3), 0);
    expect(log.after(1, 0)?.map((logged) => logged.seq)).toEqual([2, 3]);
    expect(log.after(3, 0)).toEqual([]);
  });

  it("cannot replay past its capacity or its age, nor a number it never gave", () => {
    const log = new EventLog(2, 1_000);
    for (let n = 1; n <= 4; n++) log.append(runs(n), 0);
    expect(log.after(1, 0)).toBeNull(); // event 2 was dropped (capacity)
    expect(log.after(2, 0)?.map((logged) => logged.seq)).toEqual([3, 4]);
    expect(log.after(2, 1_001)).toBeNull(); // too old
    expect(log.after(99, 0)).toBeNull();
  });

  it("cannot replay across a time it was not reading", () => {
    const log = new EventLog(10, 60_000);
    log.append(runs(1), 0);
    log.breakContinuity();
    log.append(runs(2), 0);
    expect(log.after(0, 0)).toBeNull();
    expect(log.after(1, 0)?.map((logged) => logged.seq)).toEqual([2]);
  });
});

describe("planResume", () => {
  const feedWith = (watched: Partial<Record<Topic, number>>) => {
    const log = new EventLog(10, 60_000);
    log.append(runs(1), 0);
    log.append({ kind: "approvals", payload: { items: [] } }, 0);
    log.append(runs(3), 0);
    return { id: "feedA", log, watchedSince: (topic: Topic) => watched[topic] };
  };

  it("starts afresh without a last event id", () => {
    expect(planResume(undefined, feedWith({}), [], 0)).toEqual({ kind: "fresh" });
  });

  it.each([
    ["another process's (or a restarted console's) id", "feedB.2"],
    ["an id that is no id", "garbage"],
    ["an id the log no longer holds", "feedA.99"],
  ])("resets for %s", (_, since) => {
    expect(planResume(since, feedWith({}), [], 0)).toEqual({ kind: "reset" });
  });

  it("replays what was missed; a topic watched all along is complete, one watched only later is stale", () => {
    const plan = planResume("feedA.1", feedWith({ "finding:cve-1": 0, "journal:inv_9": 2 }), ["finding:cve-1", "journal:inv_9", "finding:cve-2"], 0);
    expect(plan.kind).toBe("replay");
    if (plan.kind !== "replay") return;
    expect(plan.events.map((logged) => logged.seq)).toEqual([2, 3]);
    expect(plan.stale).toEqual(["journal:inv_9", "finding:cve-2"]);
  });
});

describe("topicOf", () => {
  it("names the run or journal an event is about, and none for everyone's events", () => {
    expect(topicOf(runs(0))).toBeNull();
    expect(topicOf({ kind: "journal", payload: { invocationId: "inv_7", timeline: { invocation: {} as never, entries: [], events: [] } } })).toBe(
      "journal:inv_7",
    );
  });
});
