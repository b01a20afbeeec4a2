"use client";
// A gate's deadline: the live countdown the inbox and the run page show, and on the run page what the
// gate's timers did (reminders, escalation) or that the run expired undecided.
import { readDeadline, type ShownDeadline } from "@/restate/contracts/gate-deadline";
import type { Status } from "@/restate/contracts/schemas";
import { formatTimestamp } from "./time-format";
import { cn } from "./ui/class-names";
import { useNow } from "./use-now";

/** "2h 13m left", or "overdue 5m, escalated to security-leads" in red; ticks every second. */
export function DeadlineCountdown({ deadline, escalateTo, className }: { deadline: ShownDeadline; escalateTo: readonly string[]; className?: string }) {
  const now = useNow();
  if (!now) return <span className={className}>…</span>;
  const reading = readDeadline(deadline, escalateTo, now);
  return (
    <span
      data-testid="deadline-countdown"
      data-overdue={reading.overdue}
      title={`deadline ${formatTimestamp(deadline.dueAt)}`}
      className={cn("font-mono", reading.overdue ? "font-semibold text-rose-700" : "text-slate-700", className)}
    >
      {reading.text}
    </span>
  );
}

/** The run page's view of the gate's deadline; nothing when its rule gave none. */
export function GateDeadlineNote({ status }: { status: Status }) {
  const { deadline, signoff, stage } = status;
  if (!deadline || !signoff?.deadline) return null;
  const escalateTo = signoff.deadline.escalateTo;
  const reminders = deadline.remindersSent;
  return (
    <div data-testid="gate-deadline" className="space-y-1 text-sm text-slate-700">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Deadline</h3>
      <p>
        Due {formatTimestamp(deadline.dueAt)}
        {escalateTo.length ? `, then ${escalateTo.join(", ")} until ${formatTimestamp(deadline.finalDueAt)}` : ""}
        {stage === "awaiting-approval" ? (
          <>
            {": "}
            <DeadlineCountdown deadline={deadline} escalateTo={escalateTo} />
          </>
        ) : null}
      </p>
      {reminders.length ? (
        <p data-testid="reminders-sent">
          {reminders.length} {reminders.length === 1 ? "reminder" : "reminders"} sent: {reminders.map(formatTimestamp).join(", ")}.
        </p>
      ) : null}
      {deadline.escalatedAt ? (
        <p data-testid="escalated">
          Escalated to {escalateTo.join(", ")} at {formatTimestamp(deadline.escalatedAt)}; their members may decide too.
        </p>
      ) : null}
      {stage === "expired" ? (
        <p data-testid="gate-expired" className="font-medium text-slate-900">
          Expired at {formatTimestamp(deadline.finalDueAt)} with no decision: neither approved nor rejected, and nothing was executed.
        </p>
      ) : null}
    </div>
  );
}
