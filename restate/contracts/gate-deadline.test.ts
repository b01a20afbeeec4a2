import { describe, expect, it } from "vitest";
import { byTimeLeft, deadlineEvents, formatTimeLeft, openDeadline, readDeadline } from "./gate-deadline";

const HOUR = 3_600_000;

describe("deadlineEvents", () => {
  it("fires the reminders in order, escalates at the deadline and expires after the grace", () => {
    expect(deadlineEvents({ withinMs: 4 * HOUR, remindAt: [0.9, 0.5], escalateTo: ["security-leads"], graceMs: 2 * HOUR })).toEqual([
      { kind: "reminder", index: 0, afterMs: 2 * HOUR },
      { kind: "reminder", index: 1, afterMs: 3.6 * HOUR },
      { kind: "escalation", afterMs: 4 * HOUR },
      { kind: "expiry", afterMs: 6 * HOUR },
    ]);
  });

  it("expires at the deadline when there is nobody to escalate to, whatever the grace", () => {
    expect(deadlineEvents({ withinMs: 1000, remindAt: [], escalateTo: [], graceMs: 5000 })).toEqual([{ kind: "expiry", afterMs: 1000 }]);
    expect(openDeadline({ withinMs: 1000, remindAt: [], escalateTo: [], graceMs: 5000 }, Date.parse("2026-01-01T00:00:00Z"))).toEqual({
      dueAt: "2026-01-01T00:00:01.000Z",
      finalDueAt: "2026-01-01T00:00:01.000Z",
      remindersSent: [],
    });
  });
});

describe("formatTimeLeft", () => {
  it.each([
    [0, "0s"],
    [45_000, "45s"],
    [5 * 60_000 + 59_000, "5m"],
    [2 * HOUR + 13 * 60_000, "2h 13m"],
    [3 * HOUR, "3h"],
    [28 * HOUR, "1d 4h"],
    [-5000, "0s"],
  ])("%i ms reads %s", (ms, text) => {
    expect(formatTimeLeft(ms)).toBe(text);
  });
});

describe("readDeadline", () => {
  const dueAt = "2026-01-01T12:00:00.000Z";
  const finalDueAt = "2026-01-01T14:00:00.000Z";
  const at = (iso: string) => Date.parse(iso);

  it.each([
    ["before the deadline", {}, "2026-01-01T09:47:00Z", false, "2h 13m left"],
    ["overdue, escalated", { escalatedAt: dueAt }, "2026-01-01T12:05:00Z", true, "overdue 5m, escalated to security-leads, expires in 1h 55m"],
    ["overdue, the escalation not yet recorded", {}, "2026-01-01T12:05:00Z", true, "overdue 5m, expires in 1h 55m"],
    ["past the final deadline", { escalatedAt: dueAt }, "2026-01-01T14:01:00Z", true, "overdue 2h 1m, escalated to security-leads"],
  ])("%s", (_case, extra, now, overdue, text) => {
    expect(readDeadline({ dueAt, finalDueAt, ...extra }, ["security-leads"], at(now))).toEqual({ overdue, text });
  });
});

describe("byTimeLeft", () => {
  it("puts overdue gates first, then the soonest deadline, then gates without one by age", () => {
    const items = [
      { id: "no-deadline-new", deadline: null, waitingSince: "2026-01-01T11:00:00Z" },
      { id: "due-later", deadline: { dueAt: "2026-01-01T18:00:00Z" }, waitingSince: "2026-01-01T10:00:00Z" },
      { id: "no-deadline-old", deadline: null, waitingSince: "2026-01-01T08:00:00Z" },
      { id: "overdue", deadline: { dueAt: "2026-01-01T09:00:00Z" }, waitingSince: "2026-01-01T07:00:00Z" },
      { id: "due-soon", deadline: { dueAt: "2026-01-01T13:00:00Z" }, waitingSince: "2026-01-01T11:30:00Z" },
    ];
    expect([...items].sort(byTimeLeft).map((item) => item.id)).toEqual(["overdue", "due-soon", "due-later", "no-deadline-old", "no-deadline-new"]);
  });
});
