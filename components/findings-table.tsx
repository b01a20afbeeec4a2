"use client";
// The runs table of the dashboard: one row per remediation run, newest first as the API orders them.
import { ConsoleLink } from "./ui/console-link";
import type { FindingSummary } from "@/lib/api/contracts";
import { SeverityBadge, StageBadge } from "./stage-badge";
import { formatAgo, formatDuration, millisSince, runDurationMs } from "./time-format";
import { Badge } from "./ui/badge";
import { cn } from "./ui/class-names";
import { Skeleton } from "./ui/skeleton";
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

// Below md each row is a card: the cells flow into a two-column grid (the column headers are hidden,
// so the cells that need one say what they are). One DOM for both, so a row is one element either way.
const CELL = "block min-w-0 md:table-cell md:px-3 md:py-2.5";

/** The table's columns on wide screens (on a phone each run is a card). */
const COLUMNS = [
  { title: "Finding", width: "w-[32%]", className: "px-4 py-2" },
  { title: "Severity", width: "w-[9%]", className: "px-3 py-2" },
  { title: "Repository", width: "w-[15%]", className: "px-3 py-2" },
  { title: "Stage", width: "w-[24%]", className: "px-3 py-2" },
  { title: "Started", width: "w-[10%]", className: "px-3 py-2" },
  { title: "Duration", width: "w-[10%]", className: "px-3 py-2 text-right" },
];

export function FindingsTable({ runs, loading }: { runs: FindingSummary[] | undefined; loading: boolean }) {
  const now = useNow();
  return (
    <div className="md:overflow-x-auto">
      <table className="block w-full text-left text-sm md:table md:table-fixed" data-testid="findings-table">
        <colgroup className="hidden md:table-column-group">
          {COLUMNS.map(({ title, width }) => (
            <col key={title} className={width} />
          ))}
        </colgroup>
        <thead className="hidden border-b border-slate-200 bg-slate-50 text-xs font-medium tracking-wide text-slate-500 uppercase md:table-header-group">
          <tr>
            {COLUMNS.map(({ title, className }) => (
              <th key={title} scope="col" className={className}>
                {title}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="block divide-y divide-slate-100 md:table-row-group">
          {loading && !runs
            ? Array.from({ length: 5 }, (_, row) => (
                <tr key={row} className="grid grid-cols-2 gap-2 px-4 py-3 md:table-row md:p-0">
                  {Array.from({ length: 6 }, (_, cell) => (
                    <td key={cell} className={cn(CELL, "md:px-4 md:py-3")}>
                      <Skeleton className="h-4 w-3/4" />
                    </td>
                  ))}
                </tr>
              ))
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
