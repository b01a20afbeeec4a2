"use client";
// The run's pull request: on the embedded code host its record (status, branch, commit), elsewhere the
// code host's link. The change itself is in the plans above.
import { useQuery } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import { pullRequestQueries } from "@/lib/query/pull-request-queries";
import type { PullRequestRecord } from "@/restate/contracts/pull-requests";
import type { ExternalRef } from "@/restate/contracts/schemas";
import { safeHttpUrl } from "./safe-url";
import { Badge } from "./ui/badge";
import { Card } from "./ui/card";
import { CardDescription, CardHeader, CardTitle } from "./ui/card-parts";

export function PullRequestStatus({ record }: { record: PullRequestRecord }) {
  return (
    <Badge tone={record.status === "open" ? "success" : "muted"} dot data-testid="pull-request-status">
      {record.status}
    </Badge>
  );
}

/** Where the change is: the branch and its commit, or why there is none. */
export function PullRequestBranch({ record }: { record: PullRequestRecord }) {
  if (!record.branch) return <span className="text-xs text-slate-500">no branch: {record.noBranchReason ?? "nothing was pushed"}</span>;
  return (
    <span className="font-mono text-xs break-all text-slate-700" data-testid="pull-request-branch">
      {record.branch}
      {record.commit ? <span className="text-slate-500"> @ {record.commit.slice(0, 12)}</span> : null}
      {record.status === "closed" ? <span className="font-sans text-slate-500"> (deleted)</span> : null}
    </span>
  );
}

export function PullRequestCard({ findingId, pullRequest }: { findingId: string; pullRequest: ExternalRef | null }) {
  const local = useQuery({ ...pullRequestQueries.list(findingId), enabled: pullRequest !== null });
  if (!pullRequest) return null;
  const record = local.data?.pullRequests.find((candidate) => `${candidate.repo}#${candidate.number}` === pullRequest.id);
  const external = safeHttpUrl(pullRequest.url);
  return (
    <Card aria-labelledby="pull-request-title" data-testid="pull-request">
      <CardHeader>
        <div>
          <CardTitle id="pull-request-title">Pull request</CardTitle>
          <CardDescription>
            {record ? "On the embedded code host (REPOS_DIR)." : `On ${pullRequest.system}.`}{" "}
            <a href="#plans-title" className="text-indigo-700 hover:underline">
              The change is in the plans
            </a>
            .
          </CardDescription>
        </div>
      </CardHeader>
      <div className="space-y-1 px-4 pb-3 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          {record ? (
            <ConsoleLink href={`/pull-requests#pr-${record.number}`} className="font-medium text-indigo-700 hover:underline">
              {record.repo}#{record.number} {record.title}
            </ConsoleLink>
          ) : external ? (
            <a href={external} target="_blank" rel="noopener noreferrer" className="font-medium text-indigo-700 hover:underline">
              {pullRequest.id}
            </a>
          ) : (
            <span className="font-mono">{pullRequest.id}</span>
          )}
          {record ? <PullRequestStatus record={record} /> : null}
        </div>
        {record ? <PullRequestBranch record={record} /> : null}
      </div>
    </Card>
  );
}
