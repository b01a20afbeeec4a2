"use client";
// Every pull request the embedded code host opened, newest first, with its provenance on demand.
import { useQuery } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import { pullRequestQueries } from "@/lib/query/pull-request-queries";
import { ApiErrorNotice } from "./api-error-notice";
import { PullRequestBranch, PullRequestStatus } from "./pull-request-card";
import { formatTimestamp } from "./time-format";
import { Card } from "./ui/card";
import { Skeleton } from "./ui/skeleton";

export function PullRequestsList() {
  const list = useQuery(pullRequestQueries.list());
  const records = list.data?.pullRequests;
  return (
    <div className="space-y-4">
      {list.isError && !records ? <ApiErrorNotice error={list.error} what="the pull requests" onRetry={() => void list.refetch()} /> : null}
      {list.isPending ? <Skeleton className="h-20 w-full" /> : null}
      {list.data && list.data.codeHost !== "local" ? (
        <Card className="px-4 py-6 text-sm text-slate-600">
          The services open pull requests on <span className="font-mono">{list.data.codeHost}</span>: each run page links to its own.
        </Card>
      ) : null}
      {list.data?.codeHost === "local" && records?.length === 0 ? (
        <Card className="px-4 py-12 text-center text-sm text-slate-600">No pull request yet.</Card>
      ) : null}
      {records && records.length > 0 ? (
        <ul className="space-y-3" data-testid="pull-requests-list">
          {records.map((record) => (
            <li key={record.number} id={`pr-${record.number}`} data-pull-request={record.number}>
              <Card className="space-y-1 px-4 py-3 text-sm">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="font-mono text-slate-600">
                    {record.repo}#{record.number}
                  </span>
                  <span className="font-medium text-slate-900">{record.title}</span>
                  <PullRequestStatus record={record} />
                </div>
                <PullRequestBranch record={record} />
                <p className="text-xs text-slate-600">
                  <ConsoleLink href={`/findings/${encodeURIComponent(record.findingId)}`} className="font-mono text-indigo-700 hover:underline">
                    {record.findingId}
                  </ConsoleLink>{" "}
                  · opened {formatTimestamp(record.openedAt)}
                  {record.closedAt ? ` · closed ${formatTimestamp(record.closedAt)}${record.closeReason ? `: ${record.closeReason}` : ""}` : ""}
                </p>
                <details>
                  <summary className="cursor-pointer text-xs text-slate-600">Description and provenance</summary>
                  <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs whitespace-pre-wrap text-slate-800">{record.body}</pre>
                </details>
              </Card>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
