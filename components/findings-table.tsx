"use client";
// The runs table of the dashboard: one row per remediation run, newest first as the API orders them.
import { ConsoleLink } from "./ui/console-link";
import type { ReactNode } from "react";
import type { FindingSummary } from "@/lib/api/contracts";
import { SeverityBadge, StageBadge } from "./stage-badge";
import { formatAgo, formatDuration, millisSince, runDurationMs } from "./time-format";
import { CELL } from "./findings-table-cells";
import { Badge } from "./ui/badge";
import { cn } from "./ui/class-names";
import { useNow } from "./use-now";

function RunProgress({ run, now }: { run: FindingSummary; now: number }) {
  if (run.refusal) return <span className="text-rose-800">{run.refusal}</span>;
  if (run.stage === "awaiting-approval") {
    return <span className="text-amber-800">waiting {formatDuration(millisSince(run.waitingSince, now))} for a human</span>;
  }
  if (run.currentRung) {
    return (
      <span>
        rung: <span className="font-mono text-xs">{run.currentRung}</span>
      </span>
    );
  }
  if (run.lastVerdict) {
    return (
      <span className={run.lastVerdict.approved ? "text-emerald-800" : "text-rose-800"}>
        judge {run.lastVerdict.approved ? "accepted" : "rejected"} {run.lastVerdict.agent} ({run.lastVerdict.score.toFixed(2)})
      </span>
    );
  }
  return <span className="text-slate-400">engine: {run.invocationStatus}</span>;
}

/** `head` and `skeleton`: the columns with their titles and the rows shown while loading (findings-table-parts.tsx), rendered on the server. */
export function FindingsTable({
  head,
  skeleton,
  runs,
  loading,
}: {
  head: ReactNode;
  skeleton: ReactNode;
  runs: FindingSummary[] | undefined;
  loading: boolean;
}) {
  const now = useNow();
  return (
    <div className="md:overflow-x-auto">
      <table className="block w-full text-left text-sm md:table md:table-fixed" data-testid="findings-table">
        {head}
        <tbody className="block divide-y divide-slate-100 md:table-row-group">
          {loading && !runs
            ? skeleton
            : runs?.map((run) => (
                <tr
                  key={run.id}
                  className="grid grid-cols-[minmax(0,1fr)_auto] gap-x-3 gap-y-1.5 px-4 py-3 align-top hover:bg-slate-50/80 md:table-row md:p-0"
                  data-finding-id={run.id}
                >
                  <td className={cn(CELL, "md:px-4")}>
                    {run.stage === "refused" ? (
                      // Refused runs have no run page: the workflow recorded nothing to show there.
                      <span className="font-mono text-sm font-medium break-all text-slate-800">{run.id}</span>
                    ) : (
                      <ConsoleLink
                        href={`/findings/${encodeURIComponent(run.id)}`}
                        className="font-mono text-sm font-medium break-all text-indigo-700 hover:underline"
                      >
                        {run.id}
                      </ConsoleLink>
                    )}
                    <p className="truncate text-xs text-slate-600" title={run.description ?? undefined}>
                      {run.description ?? "—"}
                    </p>
                  </td>
                  <td className={cn(CELL, "justify-self-end")}>
                    <SeverityBadge severity={run.severity} />
                  </td>
                  <td className={cn(CELL, "col-span-2 flex gap-2 md:block")}>
                    <p className="truncate font-mono text-xs text-slate-800" title={run.repo ?? undefined}>
                      {run.repo ?? "—"}
                    </p>
                    <p className="truncate text-xs text-slate-500">{run.source ?? ""}</p>
                  </td>
                  <td className={cn(CELL, "col-span-2")}>
                    <div className="flex flex-wrap items-center gap-1.5">
                      <StageBadge stage={run.stage} />
                      {run.invocationStatus === "backing-off" || run.invocationStatus === "paused" ? (
                        <Badge tone="danger">engine: {run.invocationStatus}</Badge>
                      ) : null}
                    </div>
                    <p className={cn("mt-1 text-xs text-slate-600", run.refusal ? "break-words" : "truncate")} data-testid="run-progress">
                      <RunProgress run={run} now={now} />
                    </p>
                  </td>
                  <td className={cn(CELL, "text-xs whitespace-nowrap text-slate-600")} title={run.createdAt}>
                    <span className="md:hidden">Started </span>
                    {now ? formatAgo(run.createdAt, now) : ""}
                  </td>
                  <td className={cn(CELL, "text-right font-mono text-xs whitespace-nowrap text-slate-700")}>
                    <span className="font-sans text-slate-500 md:hidden">{run.endedAt ? "Took " : "Running for "}</span>
                    {now ? formatDuration(runDurationMs(run.createdAt, run.endedAt, now)) : ""}
                  </td>
                </tr>
              ))}
        </tbody>
      </table>
    </div>
  );
}
