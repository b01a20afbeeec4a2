"use client";
// The dashboard: filters in the URL (shareable, back-button friendly), cursor paging, live updates.
import { useQuery } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode, type Ref } from "react";
import { useLiveUpdates } from "@/lib/query/live-stream";
import { findingListQueries } from "@/lib/query/finding-list-queries";
import { isLiveRun, type FindingListFilters } from "@/lib/query/queries";
import { LISTED_STAGES, SEVERITIES, type ListedStage, type Severity } from "@/restate/contracts/vocabulary";
import { ApiErrorNotice } from "./api-error-notice";
import { FindingsTable } from "./findings-table";
import { LiveIndicator } from "./live-indicator";
import { stageLabel } from "./stage-badge";
import { Button, buttonVariants } from "./ui/button";
import { Card } from "./ui/card";
import { Select } from "./ui/controls";

const PAGE_SIZE = 25;

function parseStage(value: string | null): ListedStage | undefined {
  return LISTED_STAGES.find((stage) => stage === value);
}
function parseSeverity(value: string | null): Severity | undefined {
  return SEVERITIES.find((severity) => severity === value);
}

const subscribeToNothing = () => () => {};

function FilterSelect({
  ref,
  id,
  label,
  width,
  value,
  onChange,
  options,
}: {
  ref: Ref<HTMLSelectElement>;
  id: string;
  label: string;
  width: string;
  value: string;
  onChange: (value: string) => void;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <Select ref={ref} id={id} className={`mt-1 ${width}`} value={value} onChange={(event) => onChange(event.target.value)}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

/**
 * Rendered on the server and passed in: `intro`, the page's title (PageIntro); `tableHead` and `tableSkeleton`,
 * the table's columns and loading rows (findings-table-parts.tsx).
 */
export function RunsDashboard({ intro, tableHead, tableSkeleton }: { intro: ReactNode; tableHead: ReactNode; tableSkeleton: ReactNode }) {
  const searchParams = useSearchParams();
  const stage = parseStage(searchParams.get("stage"));
  const severity = parseSeverity(searchParams.get("severity"));
  const filterKey = `${stage ?? ""}|${severity ?? ""}`;

  // Cursors of the pages before the current one; a filter change starts again at the first page.
  const [paging, setPaging] = useState<{ filterKey: string; cursors: string[] }>({ filterKey, cursors: [] });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [];
  const cursor = cursors.at(-1);

  const filters: FindingListFilters = { stage, severity, cursor, limit: PAGE_SIZE };
  useLiveUpdates({});
  const runs = useQuery(findingListQueries.page(filters));
  const items = runs.data?.items;
  const anyLive = items?.some(isLiveRun) ?? false;
  const waiting = runs.data?.waitingForSignoff ?? 0;

  const setFilter = (name: "stage" | "severity", value: string) => {
    const next = new URLSearchParams(searchParams.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    const search = next.toString();
    // Next.js keeps useSearchParams in sync with the History API: no server round trip for a filter.
    window.history.pushState(null, "", search ? `?${search}` : window.location.pathname);
  };

  // A filter chosen before the page hydrated (a slow phone) fired no handler: apply it once hydrated.
  const stageSelect = useRef<HTMLSelectElement>(null);
  const severitySelect = useRef<HTMLSelectElement>(null);
  const hydrated = useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
  useEffect(() => {
    const chosenStage = stageSelect.current?.value ?? "";
    const chosenSeverity = severitySelect.current?.value ?? "";
    if (chosenStage !== (stage ?? "")) setFilter("stage", chosenStage);
    else if (chosenSeverity !== (severity ?? "")) setFilter("severity", chosenSeverity);
    // Once, at hydration: later changes go through the selects' handlers.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const filterSelects = [
    {
      name: "stage",
      ref: stageSelect,
      label: "Stage",
      width: "w-48",
      value: stage ?? "",
      options: [{ value: "", label: "All stages" }, ...LISTED_STAGES.map((value) => ({ value, label: stageLabel(value) }))],
    },
    {
      name: "severity",
      ref: severitySelect,
      label: "Severity",
      width: "w-40",
      value: severity ?? "",
      options: [{ value: "", label: "All severities" }, ...SEVERITIES.map((value) => ({ value, label: `${value.charAt(0).toUpperCase()}${value.slice(1)}` }))],
    },
  ] as const;

  return (
    <div className="space-y-4" data-hydrated={hydrated || undefined}>
      <div className="flex flex-wrap items-end justify-between gap-4">
        {intro}
        <ConsoleLink
          href="/approvals"
          data-testid="waiting-for-signoff"
          className={buttonVariants({ variant: waiting > 0 ? "secondary" : "ghost", size: "md" })}
        >
          {waiting > 0 ? (
            <>
              <span className="rounded-full bg-amber-500 px-1.5 text-xs font-semibold text-white">{waiting}</span>
              {waiting === 1 ? "run waits" : "runs wait"} for sign-off →
            </>
          ) : (
            "No runs waiting for sign-off"
          )}
        </ConsoleLink>
      </div>

      <Card>
        <div className="flex flex-wrap items-end justify-between gap-3 border-b border-slate-100 px-4 py-3">
          <div className="flex flex-wrap items-end gap-3">
            {filterSelects.map(({ name, ...select }) => (
              <FilterSelect key={name} id={`filter-${name}`} {...select} onChange={(value) => setFilter(name, value)} />
            ))}
            {stage || severity ? (
              <Button variant="ghost" size="md" onClick={() => window.history.pushState(null, "", window.location.pathname)}>
                Clear filters
              </Button>
            ) : null}
          </div>
          <LiveIndicator live={anyLive} updatedAt={runs.dataUpdatedAt} fetching={runs.isFetching} idleLabel="No run in progress" />
        </div>

        {runs.isError && !items ? (
          <div className="p-4">
            <ApiErrorNotice error={runs.error} what="the runs" onRetry={() => void runs.refetch()} />
          </div>
        ) : items && items.length === 0 ? (
          <div className="px-4 py-12 text-center text-sm text-slate-600">
            {stage || severity ? (
              "No runs match these filters."
            ) : (
              <>
                No runs yet.{" "}
                <ConsoleLink href="/submit" className="font-medium text-indigo-700 hover:underline">
                  Submit a finding
                </ConsoleLink>{" "}
                to start one.
              </>
            )}
          </div>
        ) : (
          <FindingsTable head={tableHead} skeleton={tableSkeleton} runs={items} loading={runs.isPending} />
        )}

        <div className="flex items-center justify-between gap-3 border-t border-slate-100 px-4 py-2.5 text-xs text-slate-500">
          <span>
            Page {cursors.length + 1}
            {items ? ` · ${items.length} run${items.length === 1 ? "" : "s"}` : ""}
            {runs.isPlaceholderData ? " · loading…" : ""}
          </span>
          <div className="flex gap-2">
            <Button variant="secondary" size="sm" disabled={cursors.length === 0} onClick={() => setPaging({ filterKey, cursors: cursors.slice(0, -1) })}>
              ← Newer
            </Button>
            <Button
              variant="secondary"
              size="sm"
              disabled={!runs.data?.nextCursor || runs.isPlaceholderData}
              onClick={() => {
                const next = runs.data?.nextCursor;
                if (next) setPaging({ filterKey, cursors: [...cursors, next] });
              }}
            >
              Older →
            </Button>
          </div>
        </div>
      </Card>
    </div>
  );
}
