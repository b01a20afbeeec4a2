// A gate's deadline as plain values: when each of its timers fires (the workflow), and how much time a
// gate has left, in words and in the inbox's order (the console). No zod: the inbox's first load imports it.
import type { GateDeadlinePolicy } from "./policy";

/** What the run records as its gate opens (GateDeadlineSchema in ./schemas.ts). */
export interface GateDeadlineTimes {
  dueAt: string;
  finalDueAt: string;
  escalatedAt?: string;
  remindersSent: string[];
}

/** One of the gate's durable timers, in milliseconds after the gate opened. */
export type DeadlineEvent =
  { kind: "reminder"; index: number; afterMs: number } | { kind: "escalation"; afterMs: number } | { kind: "expiry"; afterMs: number };

/** The escalation group's time after the deadline: none when there is no group to ask. */
const graceOf = (policy: GateDeadlinePolicy) => (policy.escalateTo.length > 0 ? policy.graceMs : 0);

/** The gate's timers in the order they fire: reminders, the escalation at the deadline, the expiry last. */
export function deadlineEvents(policy: GateDeadlinePolicy): DeadlineEvent[] {
  const shares = [...new Set(policy.remindAt)].sort((a, b) => a - b);
  const events: DeadlineEvent[] = shares.map((share, index) => ({ kind: "reminder", index, afterMs: Math.round(share * policy.withinMs) }));
  if (policy.escalateTo.length > 0) events.push({ kind: "escalation", afterMs: policy.withinMs });
  events.push({ kind: "expiry", afterMs: policy.withinMs + graceOf(policy) });
  return events;
}

/** The deadline of a gate opened at `openedAt` (epoch ms). */
export function openDeadline(policy: GateDeadlinePolicy, openedAt: number): GateDeadlineTimes {
  return {
    dueAt: new Date(openedAt + policy.withinMs).toISOString(),
    finalDueAt: new Date(openedAt + policy.withinMs + graceOf(policy)).toISOString(),
    remindersSent: [],
  };
}

/** "1d 4h", "2h 13m", "5m", "40s": the coarse time a person reads at a glance. */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3_600);
  const minutes = Math.floor((seconds % 3_600) / 60);
  if (days > 0) return hours > 0 ? `${days}d ${hours}h` : `${days}d`;
  if (hours > 0) return minutes > 0 ? `${hours}h ${minutes}m` : `${hours}h`;
  if (minutes > 0) return `${minutes}m`;
  return `${seconds}s`;
}

/** A deadline as the console has it: the run's state, or the inbox's item. */
export interface ShownDeadline {
  dueAt: string;
  finalDueAt: string;
  escalatedAt?: string | null;
}

export interface DeadlineReading {
  /** Past the deadline (dueAt), waiting on the escalation group or about to expire. */
  overdue: boolean;
  /** "2h 13m left", "overdue 5m, escalated to security-leads". */
  text: string;
}

/** A gate's deadline as the console shows it at `now`. */
export function readDeadline(deadline: ShownDeadline, escalateTo: readonly string[], now: number): DeadlineReading {
  const due = Date.parse(deadline.dueAt);
  if (now < due) return { overdue: false, text: `${formatTimeLeft(due - now)} left` };
  const overdue = `overdue ${formatTimeLeft(now - due)}`;
  const expiresIn = Date.parse(deadline.finalDueAt) - now;
  if (deadline.escalatedAt && escalateTo.length > 0) {
    const group = `escalated to ${escalateTo.join(", ")}`;
    return { overdue: true, text: expiresIn > 0 ? `${overdue}, ${group}, expires in ${formatTimeLeft(expiresIn)}` : `${overdue}, ${group}` };
  }
  return { overdue: true, text: expiresIn > 0 ? `${overdue}, expires in ${formatTimeLeft(expiresIn)}` : overdue };
}

/** The inbox's order: the earliest deadline first (so overdue gates lead), then gates without one, the longest waiting first. */
export function byTimeLeft(
  a: { deadline: { dueAt: string } | null; waitingSince: string },
  b: { deadline: { dueAt: string } | null; waitingSince: string },
): number {
  if (a.deadline && b.deadline) return Date.parse(a.deadline.dueAt) - Date.parse(b.deadline.dueAt) || Date.parse(a.waitingSince) - Date.parse(b.waitingSince);
  if (a.deadline) return -1;
  if (b.deadline) return 1;
  return Date.parse(a.waitingSince) - Date.parse(b.waitingSince);
}
