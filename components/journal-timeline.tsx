"use client";
// One invocation's journal as a timeline: every step in order, when it started relative to the first
// entry, how long it took, waits (timers, the approval promise, sub-agent calls) drawn as bars, calls
// expandable into the callee's own journal, and an entry's full payload fetched only when asked for.
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import type { JournalTimeline as JournalTimelineData, TimelineEntry } from "@/lib/api/contracts";
import { useLiveUpdates } from "@/lib/query/live-stream";
import { journalQueries } from "@/lib/query/journal-queries";
import { ApiErrorNotice } from "./api-error-notice";
import { formatDuration, formatOffset, formatTimestamp } from "./time-format";
import { Badge, type BadgeTone } from "./ui/badge";
import { Button } from "./ui/button";
import { cn } from "./ui/class-names";
import { Skeleton } from "./ui/skeleton";
import { useNow } from "./use-now";

const MAX_DEPTH = 2;

const KIND_LOOK: Record<TimelineEntry["kind"], { label: string; tone: BadgeTone; bar: string }> = {
  input: { label: "input", tone: "neutral", bar: "bg-slate-400" },
  output: { label: "output", tone: "neutral", bar: "bg-slate-400" },
  run: { label: "step", tone: "info", bar: "bg-sky-500" },
  call: { label: "call", tone: "progress", bar: "bg-indigo-500" },
  send: { label: "send", tone: "progress", bar: "bg-indigo-400" },
  sleep: { label: "timer", tone: "waiting", bar: "bg-amber-400" },
  promise: { label: "promise", tone: "waiting", bar: "bg-amber-500" },
  state: { label: "state", tone: "neutral", bar: "bg-slate-300" },
  cancel: { label: "cancel", tone: "danger", bar: "bg-rose-500" },
  other: { label: "event", tone: "muted", bar: "bg-slate-300" },
};

const WAIT_KINDS = new Set<TimelineEntry["kind"]>(["sleep", "promise", "call"]);

/**
 * State writes and unnamed steps (the SDK journals ctx.date.now() as one) are the workflow's own
 * bookkeeping: real journal entries, but noise next to the decisions. Shown on request.
 */
function isBookkeeping(entry: TimelineEntry): boolean {
  return entry.kind === "state" || (entry.kind === "run" && !entry.name);
}

/** The supervisor's unnamed timers are the orTimeout bounds of the sub-agent call just before them. */
function timerPurposes(entries: TimelineEntry[]): Map<number, string> {
  const purposes = new Map<number, string>();
  let lastCall: TimelineEntry | undefined;
  for (const entry of entries) {
    if (entry.kind === "call") lastCall = entry;
    else if (entry.kind === "sleep" && !entry.name && lastCall && entry.offsetMs - lastCall.offsetMs < 1_000) {
      purposes.set(entry.index, `timeout of ${lastCall.childTarget ?? "the call"}`);
      lastCall = undefined;
    }
  }
  return purposes;
}

function entryLabel(entry: TimelineEntry): string {
  switch (entry.kind) {
    case "input":
      return "Input";
    case "output":
      return "Output";
    case "call":
    case "send":
      return entry.childTarget ?? entry.name ?? entry.entryType;
    case "promise":
      return entry.promiseName ? `durable promise "${entry.promiseName}"` : (entry.name ?? "durable promise");
    case "sleep":
      return entry.name ?? "timer";
    case "cancel":
      return entry.childInvocationId ? `cancel ${entry.childInvocationId}` : "cancel";
    default:
      return entry.name ?? entry.entryType.replace(/^Command: /, "");
  }
}

function EntryPayload({ invocationId, index }: { invocationId: string; index: number }) {
  const detail = useQuery(journalQueries.entry(invocationId, index));
  if (detail.isPending) return <Skeleton className="h-16 w-full" />;
  if (detail.isError) return <ApiErrorNotice error={detail.error} what={`entry ${index}`} onRetry={() => void detail.refetch()} />;
  const block = "max-h-80 overflow-auto rounded bg-slate-900 p-3 font-mono text-xs leading-relaxed text-slate-100";
  const { completion } = detail.data;
  return (
    <div className="space-y-2">
      <pre className={block} data-testid="entry-payload">
        {JSON.stringify(detail.data.entry, null, 2)}
      </pre>
      {completion ? (
        <div>
          <p className="mb-1 text-xs font-medium text-slate-600">
            Result (entry {completion.index}, {completion.entryType})
          </p>
          <pre className={block} data-testid="entry-result">
            {JSON.stringify(completion.entry, null, 2)}
          </pre>
        </div>
      ) : null}
    </div>
  );
}

/** Where the invocation's first entry sits on the wall clock, and how wide the track must be. */
function timeScale(timeline: JournalTimelineData, now: number) {
  const first = timeline.entries[0];
  const origin = first ? Date.parse(first.at) - first.offsetMs : Date.parse(timeline.invocation.createdAt);
  const ended = timeline.invocation.status === "completed";
  let span = 0;
  for (const entry of timeline.entries) span = Math.max(span, entry.offsetMs + (entry.durationMs ?? 0));
  if (!ended && now > 0) span = Math.max(span, now - origin);
  return { origin, span: Math.max(span, 1), ended };
}

function TimelineRow({
  entry,
  invocationId,
  scale,
  now,
  depth,
  purpose,
}: {
  entry: TimelineEntry;
  invocationId: string;
  scale: ReturnType<typeof timeScale>;
  now: number;
  depth: number;
  /** What an unnamed timer was for, when the journal lets us tell. */
  purpose?: string;
}) {
  const [showPayload, setShowPayload] = useState(false);
  const [showChild, setShowChild] = useState(false);
  const look = KIND_LOOK[entry.kind];
  const isWait = WAIT_KINDS.has(entry.kind);
  // A wait still open: it keeps growing until now (or, once the invocation ended, it never completed).
  const open = isWait && entry.durationMs === null && !entry.completed;
  const liveDuration = open && !scale.ended && now > 0 ? Math.max(0, now - scale.origin - entry.offsetMs) : null;
  const width = entry.durationMs ?? liveDuration ?? 0;
  const left = (entry.offsetMs / scale.span) * 100;
  const failed = entry.result === "failure";
  const canExpand = (entry.kind === "call" || entry.kind === "send") && entry.childInvocationId && depth < MAX_DEPTH;
  const label = purpose ?? entryLabel(entry);

  return (
    <li className="border-b border-slate-100 last:border-b-0" data-entry-index={entry.index} data-kind={entry.kind}>
      {/* One line per entry from md up; on a phone three: what and how long, when and the bar, the buttons. */}
      <div className="grid grid-cols-[3.5rem_minmax(0,1fr)_auto] items-center gap-x-3 gap-y-1 px-3 py-1.5 text-sm md:grid-cols-[2.5rem_4.5rem_minmax(0,17rem)_minmax(0,1fr)_5.5rem_14rem]">
        <span className="font-mono text-xs text-slate-400">#{entry.index}</span>
        <span
          className="col-start-1 row-start-2 font-mono text-xs whitespace-nowrap text-slate-600 md:col-start-auto md:row-start-auto"
          title={formatTimestamp(entry.at)}
        >
          {formatOffset(entry.offsetMs)}
        </span>
        <span className="col-start-2 row-start-1 flex min-w-0 items-center gap-2 md:col-start-auto md:row-start-auto">
          <Badge tone={failed ? "danger" : look.tone} className="shrink-0">
            {look.label}
          </Badge>
          <span className="truncate" title={`${label} (${entry.entryType})`}>
            {label}
          </span>
        </span>
        <span
          className="relative col-span-2 col-start-2 row-start-2 h-4 rounded bg-slate-100 md:col-span-1 md:col-start-auto md:row-start-auto"
          aria-hidden="true"
        >
          {isWait || width > 0 ? (
            <span
              className={cn(
                "absolute top-0.5 h-3 rounded-sm",
                failed ? "bg-rose-500" : look.bar,
                open && !scale.ended && "open-wait-bar",
                open && scale.ended && "border border-dashed border-slate-400 bg-transparent",
              )}
              style={{
                left: `${Math.min(left, 99.5)}%`,
                width: open && scale.ended ? "0.75rem" : `max(3px, ${(width / scale.span) * 100}%)`,
              }}
            />
          ) : (
            <span className={cn("absolute top-1 size-2 -translate-x-1 rounded-full", look.bar)} style={{ left: `${left}%` }} />
          )}
        </span>
        <span className="col-start-3 row-start-1 text-right font-mono text-xs text-slate-700 md:col-start-auto md:row-start-auto">
          {entry.durationMs !== null ? formatDuration(entry.durationMs) : open ? (scale.ended ? "never fired" : `${formatDuration(liveDuration)}…`) : ""}
        </span>
        <span className="col-span-2 col-start-2 flex flex-wrap justify-end gap-1 md:col-span-1 md:col-start-auto">
          {canExpand ? (
            <Button
              variant="secondary"
              size="sm"
              aria-expanded={showChild}
              onClick={() => setShowChild((value) => !value)}
              aria-label={`${showChild ? "Hide" : "Show"} sub-agent journal of ${label}`}
            >
              {showChild ? "Hide sub-agent journal" : "Sub-agent journal"}
            </Button>
          ) : null}
          <Button
            variant="ghost"
            size="sm"
            aria-expanded={showPayload}
            onClick={() => setShowPayload((value) => !value)}
            aria-label={`${showPayload ? "Hide" : "Show"} details of entry ${entry.index}`}
          >
            {showPayload ? "Hide" : "Details"}
          </Button>
        </span>
      </div>
      {showPayload ? (
        <div className="px-3 pb-2">
          <p className="mb-1 text-xs text-slate-500">
            {entry.entryType} · {formatTimestamp(entry.at)}
            {entry.result ? ` · ${entry.result}` : ""}
          </p>
          <EntryPayload invocationId={invocationId} index={entry.index} />
        </div>
      ) : null}
      {showChild && entry.childInvocationId ? (
        <div className="border-l-4 border-indigo-200 bg-indigo-50/30 py-2 pr-2 pl-4" data-testid="child-journal">
          <JournalTimeline invocationId={entry.childInvocationId} depth={depth + 1} />
        </div>
      ) : null}
    </li>
  );
}

export function JournalTimeline({ invocationId, depth = 0 }: { invocationId: string; depth?: number }) {
  const timeline = useQuery(journalQueries.timeline(invocationId));
  // A finished invocation's journal never changes: only a running one is watched.
  useLiveUpdates({ journal: invocationId }, timeline.data?.invocation.status !== "completed");
  const now = useNow();
  const [showBookkeeping, setShowBookkeeping] = useState(false);

  if (timeline.isPending) {
    return (
      <div className="space-y-2 p-3" aria-busy="true" aria-label="Loading journal">
        {Array.from({ length: 4 }, (_, row) => (
          <Skeleton key={row} className="h-5 w-full" />
        ))}
      </div>
    );
  }
  if (timeline.isError) {
    return <ApiErrorNotice error={timeline.error} what={`the journal of ${invocationId}`} onRetry={() => void timeline.refetch()} />;
  }

  const { invocation, entries, events } = timeline.data;
  const scale = timeScale(timeline.data, now);
  const bookkeeping = entries.filter(isBookkeeping).length;
  const purposes = timerPurposes(entries);
  const shown = showBookkeeping ? entries : entries.filter((entry) => !isBookkeeping(entry));

  return (
    <div className="space-y-2" data-testid="journal-timeline" data-invocation-id={invocationId} data-depth={depth}>
      <div className="flex flex-wrap items-center justify-between gap-2 px-1 text-xs text-slate-600">
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-mono font-medium text-slate-800">{invocation.target}</span>
          <span className="font-mono">{invocation.id}</span>
          <Badge tone={invocation.status === "completed" ? (invocation.completionResult === "failure" ? "danger" : "success") : "progress"}>
            {invocation.status}
            {invocation.completionResult ? ` · ${invocation.completionResult}` : ""}
          </Badge>
          {invocation.completionFailure ? <span className="text-rose-700">{invocation.completionFailure}</span> : null}
        </span>
        <span className="flex items-center gap-3">
          <span>
            {entries.length} entries · span {formatDuration(scale.span)}
          </span>
          {bookkeeping ? (
            <label className="inline-flex items-center gap-1.5">
              <input
                type="checkbox"
                className="size-3.5 accent-indigo-600"
                checked={showBookkeeping}
                onChange={(event) => setShowBookkeeping(event.target.checked)}
              />
              show {bookkeeping} state writes and clock reads
            </label>
          ) : null}
        </span>
      </div>
      <ol className="rounded-md border border-slate-200 bg-white" aria-label={`Journal of ${invocation.target}`}>
        {shown.map((entry) => (
          <TimelineRow key={entry.index} entry={entry} invocationId={invocationId} scale={scale} now={now} depth={depth} purpose={purposes.get(entry.index)} />
        ))}
        {shown.length === 0 ? <li className="px-3 py-4 text-sm text-slate-500">No journal entries yet.</li> : null}
      </ol>
      {events.length ? (
        <div className="rounded-md border border-amber-200 bg-amber-50/60 px-3 py-2">
          <h4 className="text-xs font-semibold tracking-wide text-amber-900 uppercase">Engine events</h4>
          <ul className="mt-1 space-y-1 text-xs text-amber-950">
            {events.map((event, position) => (
              <li key={`${event.at}-${position}`}>
                <span className="font-mono">{formatTimestamp(event.at)}</span> · {event.type}
                {event.afterIndex !== null ? ` after #${event.afterIndex}` : ""}: {event.message}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
