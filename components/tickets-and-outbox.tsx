"use client";
// The embedded tracker's tickets and the embedded chat's outbox, newest first, each linked to its run.
// A port on a real system (ISSUE_TRACKER=jira, CHAT=slack...) lists nothing here: its records are there.
import { useQuery } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import type { ReactNode } from "react";
import { ticketsAndOutboxQueries } from "@/lib/query/ticket-queries";
import { recordAnchor } from "@/restate/contracts/local-records";
import { ApiErrorNotice } from "./api-error-notice";
import { formatTimestamp } from "./time-format";
import { Badge } from "./ui/badge";
import { Card } from "./ui/card";
import { CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { Skeleton } from "./ui/skeleton";

function RunLink({ findingId }: { findingId: string }) {
  return (
    <ConsoleLink href={`/findings/${encodeURIComponent(findingId)}`} className="font-mono text-xs break-all text-indigo-700 hover:underline">
      {findingId}
    </ConsoleLink>
  );
}

function Section({ id, title, description, children }: { id: string; title: string; description: string; children: ReactNode }) {
  return (
    <Card aria-labelledby={`${id}-title`} data-testid={id}>
      <CardHeader>
        <div>
          <CardTitle id={`${id}-title`}>{title}</CardTitle>
          <CardDescription>{description}</CardDescription>
        </div>
      </CardHeader>
      {children}
    </Card>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="px-4 py-6 text-center text-sm text-slate-600">{children}</p>;
}

// A row the run page linked to (#ticket-LOCAL-1) is highlighted.
const ROW = "scroll-mt-20 space-y-1 px-4 py-3 target:bg-amber-50";

export function TicketsAndOutboxView() {
  const records = useQuery(ticketsAndOutboxQueries.list());
  const data = records.data;
  return (
    <div className="space-y-4">
      {records.isError && !data ? <ApiErrorNotice error={records.error} what="the tickets and the outbox" onRetry={() => void records.refetch()} /> : null}
      {records.isPending ? <Skeleton className="h-32 w-full" /> : null}
      {data ? (
        <>
          <Section id="tickets" title="Tickets" description={`Issue tracker: ${data.tracker.adapter}`}>
            {data.tracker.adapter !== "local" ? (
              <Empty>Tickets go to the {data.tracker.adapter} tracker (ISSUE_TRACKER): see them there.</Empty>
            ) : data.tracker.tickets.length === 0 ? (
              <Empty>No ticket yet: a run opens one once its plan is cleared.</Empty>
            ) : (
              <ul className="divide-y divide-slate-100">
                {data.tracker.tickets.map((ticket) => (
                  <li key={ticket.id} id={recordAnchor("ticket", ticket.id)} className={ROW} data-ticket-id={ticket.id}>
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-mono text-sm font-semibold text-slate-900">{ticket.id}</span>
                      {ticket.closed ? <Badge tone="muted">closed</Badge> : <Badge tone="success">open</Badge>}
                      <RunLink findingId={ticket.findingId} />
                    </div>
                    <p className="text-sm break-words text-slate-800">{ticket.title}</p>
                    <p className="text-xs text-slate-500">
                      opened {formatTimestamp(ticket.openedAt)}
                      {ticket.closed ? ` · closed ${formatTimestamp(ticket.closed.at)}: ${ticket.closed.reason}` : ""}
                    </p>
                  </li>
                ))}
              </ul>
            )}
          </Section>
          <Section id="outbox" title="Outbox" description={`Chat: ${data.chat.adapter}`}>
            {data.chat.adapter !== "local" ? (
              <Empty>Messages go to {data.chat.adapter} (CHAT): see them there.</Empty>
            ) : data.chat.messages.length === 0 ? (
              <Empty>No message yet: a run sends one when its pull request is open.</Empty>
            ) : (
              <ul className="divide-y divide-slate-100">
                {data.chat.messages.map((message) => (
                  <li key={message.id} id={recordAnchor("message", message.id)} className={ROW} data-message-id={message.id}>
                    <div className="flex flex-wrap items-center gap-2">
                      <span className="font-mono text-sm font-semibold text-slate-900">{message.id}</span>
                      <span className="font-mono text-xs text-slate-600">{message.channel}</span>
                      <RunLink findingId={message.findingId} />
                    </div>
                    <p className="text-sm break-words text-slate-800">{message.text}</p>
                    <p className="text-xs text-slate-500">sent {formatTimestamp(message.sentAt)}</p>
                  </li>
                ))}
              </ul>
            )}
          </Section>
        </>
      ) : null}
    </div>
  );
}
