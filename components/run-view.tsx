"use client";
// The run page: everything about one remediation run, refreshed while it is still moving.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import { useSearchParams } from "next/navigation";
import { lazy, Suspense, useEffect } from "react";
import type { FindingDetail } from "@/lib/api/contracts";
import { ApiRequestError } from "@/lib/query/api-client";
import { isStreamCovering } from "@/lib/query/live-state";
import { useLiveUpdates } from "@/lib/query/live-stream";
import { findingQueries } from "@/lib/query/finding-queries";
import { isFinishedStage, queryKeys } from "@/lib/query/queries";
import { INVOCATION_ID_PATTERN } from "@/restate/contracts/ids";
import { runUsage } from "@/restate/contracts/usage";
import { ApiErrorNotice } from "./api-error-notice";
import { LiveIndicator } from "./live-indicator";
import { SeverityBadge, StageBadge } from "./stage-badge";
import { formatDuration, formatTimestamp, runDurationMs } from "./time-format";
import { Card } from "./ui/card";
import { Notice } from "./ui/notice";
import { Skeleton } from "./ui/skeleton";
import { UsageFigures } from "./usage-figures";
import { useNow } from "./use-now";

// The cards load beside the run's first request (see run-sections.ts); the skeleton stays until both are in.
type Sections = typeof import("./run-sections");
function section<Name extends keyof Sections>(name: Name) {
  return lazy(() => import("./run-sections").then((module) => ({ default: module[name] })));
}
const IntegrityNotice = section("IntegrityNotice");
const CancelRun = section("CancelRun");
const IdentityCard = section("IdentityCard");
const AttemptLadder = section("AttemptLadder");
const SideEffectsCard = section("SideEffectsCard");
const PullRequestCard = section("PullRequestCard");
const ApprovalGate = section("ApprovalGate");
const PlanComparison = section("PlanComparison");
const JournalSection = section("JournalSection");

function RunHeader({ detail, live, updatedAt }: { detail: FindingDetail; live: boolean; updatedAt: number }) {
  const { status } = detail;
  const now = useNow();
  const { finding } = status;
  const startedAt = status.startedAt ?? detail.workflowInvocation?.createdAt ?? null;
  const usage = runUsage(status.attempts, status.verdicts);
  return (
    <Card className="px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1">
          <div className="flex flex-wrap items-center gap-2">
            <h1 className="font-mono text-xl font-semibold break-all text-slate-900">{finding.id}</h1>
            <StageBadge stage={status.stage} />
            <SeverityBadge severity={finding.severity} />
          </div>
          <p className="text-base text-slate-800" data-testid="finding-description">
            {finding.description}
          </p>
          <p className="text-sm text-slate-600">
            <span className="font-mono break-all">{finding.repo}</span> · reported by {finding.source}
            {status.currentRung ? (
              <>
                {" "}
                · now on <span className="font-mono">{status.currentRung}</span>
              </>
            ) : null}
          </p>
          {usage ? (
            <p className="text-sm text-slate-600">
              Models: <UsageFigures usage={usage} data-testid="run-usage" />
            </p>
          ) : null}
        </div>
        <div className="space-y-1 text-xs text-slate-600 sm:text-right">
          <LiveIndicator live={live} updatedAt={updatedAt} idleLabel="Finished" />
          <p>Started {formatTimestamp(startedAt)}</p>
          <p>
            {status.endedAt ? "Took" : "Running for"}{" "}
            <span className="font-mono">{now ? formatDuration(runDurationMs(startedAt, status.endedAt, now)) : ""}</span>
          </p>
        </div>
      </div>
      {status.stage === "failed" && status.failure ? (
        <Notice tone="error" className="mt-3">
          <span className="font-medium">{status.cancelled ? "Cancelled." : "Escalated to manual handling."}</span> {status.failure}
        </Notice>
      ) : null}
    </Card>
  );
}

function RunSkeleton() {
  return (
    <div className="space-y-4" aria-busy="true" aria-label="Loading run">
      <Skeleton className="h-28 w-full" />
      <div className="grid gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
        <Skeleton className="h-64" />
        <Skeleton className="h-64" />
      </div>
    </div>
  );
}

export function RunView({ findingId }: { findingId: string }) {
  const searchParams = useSearchParams();
  const run = useQuery(findingQueries.detail(findingId));
  const queryClient = useQueryClient();
  const stage = run.data?.status.stage;
  const finished = isFinishedStage(stage);
  useLiveUpdates({ finding: findingId }, !finished);
  useEffect(() => void import("./run-sections"), []);
  useEffect(() => {
    // A run arriving at (or leaving) the gate changes the inbox and the nav's count: refresh them now
    // (the change stream, when open, brings the inbox itself).
    if (stage && !isStreamCovering()) void queryClient.invalidateQueries({ queryKey: queryKeys.approvals });
  }, [stage, queryClient]);
  const journalParam = searchParams.get("journal");
  const selectedJournal = journalParam && INVOCATION_ID_PATTERN.test(journalParam) ? journalParam : null;

  if (run.isPending) return <RunSkeleton />;

  if (run.isError && !run.data) {
    const notFound = run.error instanceof ApiRequestError && run.error.isNotFound;
    if (notFound && run.isFetching) return <RunSkeleton />;
    if (notFound && (run.errorUpdateCount ?? 0) * 1_500 < 30_000) {
      return (
        <Notice tone="info">
          Starting the run for <span className="font-mono">{findingId}</span>… this page updates as soon as the workflow records the finding.
        </Notice>
      );
    }
    if (notFound) {
      return (
        <Notice tone="warning">
          There is no run for <span className="font-mono">{findingId}</span>.{" "}
          <ConsoleLink href="/submit" className="font-medium underline">
            Submit a finding
          </ConsoleLink>{" "}
          to start one.
        </Notice>
      );
    }
    return <ApiErrorNotice error={run.error} what="this run" onRetry={() => void run.refetch()} />;
  }

  const detail = run.data;
  const { status } = detail;
  const live = !isFinishedStage(status.stage);

  return (
    <div className="space-y-4">
      {searchParams.get("submission") === "existing" ? (
        <Notice tone="info">A run for this finding id already existed: resubmitting never starts a second run. This is the existing one.</Notice>
      ) : null}
      {run.isError ? <ApiErrorNotice error={run.error} what="the latest state (showing the last one)" onRetry={() => void run.refetch()} /> : null}
      {/* The whole run at once, cards included: a card mounting later would read its data later too. */}
      <Suspense fallback={<RunSkeleton />}>
        <IntegrityNotice integrity={detail.integrity} />
        <RunHeader detail={detail} live={live} updatedAt={run.dataUpdatedAt} />
        <CancelRun status={status} />
        <IdentityCard identity={status.identity} workflowInvocation={detail.workflowInvocation} restateUiUrl={detail.restateUiUrl} />
        <div className="grid grid-cols-[minmax(0,1fr)] items-start gap-4 lg:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
          <div className="space-y-4">
            <AttemptLadder
              ladder={detail.ladder}
              finished={!live}
              journalHref={(invocationId) => `/findings/${encodeURIComponent(findingId)}?journal=${encodeURIComponent(invocationId)}#journal`}
            />
            <SideEffectsCard status={status} />
            <PullRequestCard findingId={findingId} pullRequest={status.pullRequest} />
          </div>
          <ApprovalGate status={status} />
        </div>
        <PlanComparison plans={status.plans} verdicts={status.verdicts} ladder={detail.ladder} scopeRepo={status.finding.repo} />
        <JournalSection findingId={findingId} detail={detail} selected={selectedJournal} />
      </Suspense>
    </div>
  );
}
