"use client";
// The approvals inbox: every run suspended at the policy gate, by time left to its deadline (overdue
// first), then the gates without a deadline, the longest-waiting first.
import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ConsoleLink } from "./ui/console-link";
import { useLiveUpdates } from "@/lib/query/live-stream";
import { approvalQueries } from "@/lib/query/approval-queries";
import { byTimeLeft } from "@/restate/contracts/gate-deadline";
import { ApiErrorNotice } from "./api-error-notice";
import { DeadlineCountdown } from "./gate-deadline";
import { LiveIndicator } from "./live-indicator";
import { SeverityBadge } from "./stage-badge";
import { formatDuration, formatTimestamp, millisSince } from "./time-format";
import { buttonVariants } from "./ui/button";
import { Card } from "./ui/card";
import { cn } from "./ui/class-names";
import { Skeleton } from "./ui/skeleton";
import { useNow } from "./use-now";

/** `intro`: the page's title, rendered on the server (PageIntro). */
export function ApprovalsInbox({ intro }: { intro: ReactNode }) {
  useLiveUpdates({});
  const inbox = useQuery(approvalQueries.inbox());
  const now = useNow();
  const items = inbox.data ? [...inbox.data.items].sort(byTimeLeft) : undefined;

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-4">
        {intro}
        <LiveIndicator live={Boolean(items?.length)} updatedAt={inbox.dataUpdatedAt} idleLabel="Nothing waiting" />
      </div>

      {inbox.isError && !items ? <ApiErrorNotice error={inbox.error} what="the approvals inbox" onRetry={() => void inbox.refetch()} /> : null}

      {inbox.isPending ? (
        <div className="space-y-2">
          <Skeleton className="h-20 w-full" />
          <Skeleton className="h-20 w-full" />
        </div>
      ) : null}

      {items && items.length === 0 ? (
        <Card className="px-4 py-12 text-center text-sm text-slate-600">
          Inbox zero: no run is waiting for a human.{" "}
          <ConsoleLink href="/" className="font-medium text-indigo-700 hover:underline">
            Back to the runs
          </ConsoleLink>
        </Card>
      ) : null}

      {items && items.length > 0 ? (
        <ul className="space-y-3" data-testid="approvals-list">
          {items.map((item) => (
            <li key={item.findingId} data-finding-id={item.findingId}>
              <Card
                className={cn(
                  "flex flex-col gap-3 px-4 py-3 sm:flex-row sm:items-start sm:justify-between sm:gap-4",
                  item.deadline && now >= Date.parse(item.deadline.dueAt) && "border-l-4 border-l-rose-600",
                )}
                data-overdue={item.deadline ? now >= Date.parse(item.deadline.dueAt) : undefined}
              >
                <div className="min-w-0 flex-1 space-y-1">
                  <div className="flex flex-wrap items-center gap-2">
                    <ConsoleLink
                      href={`/findings/${encodeURIComponent(item.findingId)}#approval`}
                      className="font-mono text-sm font-semibold break-all text-indigo-700 hover:underline"
                    >
                      {item.findingId}
                    </ConsoleLink>
                    <SeverityBadge severity={item.severity} />
                    {item.repo ? <span className="font-mono text-xs break-all text-slate-600">{item.repo}</span> : null}
                  </div>
                  <p className="text-sm text-slate-800">{item.description ?? "—"}</p>
                  <ul className="list-disc pl-5 text-xs text-slate-600">
                    {item.reasons.map((reason) => (
                      <li key={reason}>{reason}</li>
                    ))}
                  </ul>
                </div>
                <div className="flex shrink-0 items-center justify-between gap-2 sm:flex-col sm:items-end sm:text-right">
                  <div className="space-y-0.5 sm:text-right">
                    {item.deadline ? (
                      <p className="text-sm">
                        <DeadlineCountdown deadline={item.deadline} escalateTo={item.deadline.escalateTo} />
                      </p>
                    ) : null}
                    <p className="text-sm text-amber-900" title={formatTimestamp(item.waitingSince)}>
                      waiting <span className="font-mono font-semibold">{now ? formatDuration(millisSince(item.waitingSince, now)) : "…"}</span>
                    </p>
                  </div>
                  <ConsoleLink href={`/findings/${encodeURIComponent(item.findingId)}#approval`} className={buttonVariants({ variant: "primary", size: "sm" })}>
                    Review and sign off
                  </ConsoleLink>
                </div>
              </Card>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
