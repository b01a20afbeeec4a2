"use client";
// The supervisor's escalation ladder: one row per rung, what happened there and why, with a way into
// that sub-agent's own journal. Rungs the supervisor never needed are shown as not reached.
import { ConsoleLink } from "./ui/console-link";
import type { LadderRung } from "@/lib/api/contracts";
import { formatDuration, millisSince } from "./time-format";
import { ToolCallList } from "./tool-call-list";
import { Badge, type BadgeTone } from "./ui/badge";
import { Card } from "./ui/card";
import { CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { cn } from "./ui/class-names";
import { UsageFigures } from "./usage-figures";
import { useNow } from "./use-now";

const STATE_LOOK: Record<LadderRung["state"], { label: string; tone: BadgeTone; marker: string }> = {
  accepted: { label: "Accepted", tone: "success", marker: "border-emerald-500 bg-emerald-500 text-white" },
  rejected: { label: "Rejected by judge", tone: "danger", marker: "border-rose-500 bg-rose-500 text-white" },
  "timed-out": { label: "Timed out · cancelled", tone: "waiting", marker: "border-amber-500 bg-amber-500 text-white" },
  failed: { label: "Failed", tone: "danger", marker: "border-rose-500 bg-white text-rose-600" },
  running: { label: "Running", tone: "progress", marker: "border-indigo-500 bg-white text-indigo-600 animate-pulse" },
  "not-reached": { label: "Not reached", tone: "muted", marker: "border-dashed border-slate-300 bg-white text-slate-400" },
};

function RungExplanation({ rung, finished }: { rung: LadderRung; finished: boolean }) {
  switch (rung.state) {
    case "accepted":
      return <p className="text-sm text-slate-700">The judge accepted this agent&apos;s plan.</p>;
    case "rejected":
      return (
        <p className="text-sm text-slate-800">
          <span className="font-medium text-rose-800">Judge:</span> {rung.reason ?? rung.outcome ?? "rejected"}
        </p>
      );
    case "timed-out":
      return (
        <p className="text-sm text-slate-800">
          Ran away: {rung.reason ?? rung.outcome ?? "no plan in time"} The supervisor cancelled the invocation and moved on.
        </p>
      );
    case "failed":
      return <p className="text-sm text-slate-800">{rung.reason ?? rung.outcome ?? "The agent failed."}</p>;
    case "running":
      return <p className="text-sm text-slate-600">Working on a plan…</p>;
    case "not-reached":
      return <p className="text-sm text-slate-500">{finished ? "The supervisor did not need this agent." : "Activated only if the rungs above fail."}</p>;
  }
}

export function AttemptLadder({
  ladder,
  finished,
  journalHref,
}: {
  ladder: LadderRung[];
  /** Whether the run has ended: a rung not reached yet may still be. */
  finished: boolean;
  journalHref: (invocationId: string) => string;
}) {
  const now = useNow();
  return (
    <Card aria-labelledby="ladder-title" data-testid="attempt-ladder">
      <CardHeader>
        <div>
          <CardTitle id="ladder-title">Escalation ladder</CardTitle>
          <CardDescription>
            Each rung is a separate sub-agent invocation, bounded by a timeout. A rejected or runaway agent is shut down, never retried.
          </CardDescription>
        </div>
      </CardHeader>
      {ladder.length === 0 ? <p className="px-4 py-6 text-sm text-slate-500">Starting: the supervisor is about to activate the first rung…</p> : null}
      <ol className="px-4 py-3 empty:hidden">
        {ladder.map((rung, position) => {
          const look = STATE_LOOK[rung.state];
          const last = position === ladder.length - 1;
          const escalated = rung.state === "rejected" || rung.state === "timed-out" || rung.state === "failed";
          return (
            <li key={rung.rung} className="relative flex gap-4 pb-4 last:pb-0" data-rung={rung.rung} data-agent={rung.agent} data-state={rung.state}>
              {!last ? (
                <span aria-hidden="true" className={cn("absolute top-8 left-[15px] h-[calc(100%-2rem)] w-0.5", escalated ? "bg-rose-200" : "bg-slate-200")} />
              ) : null}
              <span aria-hidden="true" className={cn("z-10 grid size-8 shrink-0 place-items-center rounded-full border-2 text-sm font-semibold", look.marker)}>
                {rung.rung}
              </span>
              <div className="min-w-0 flex-1 rounded-md border border-slate-200 px-3 py-2">
                <div className="flex flex-wrap items-center justify-between gap-2">
                  <div className="flex flex-wrap items-center gap-2">
                    <span className="sr-only">Rung {rung.rung}:</span>
                    <span className="font-mono text-sm font-semibold text-slate-900">{rung.agent}</span>
                    <Badge tone={look.tone} dot={rung.state === "running" ? "pulse" : undefined} data-testid="rung-state">
                      {look.label}
                    </Badge>
                  </div>
                  <span className="font-mono text-xs text-slate-600" title="time on this rung">
                    {rung.state === "not-reached"
                      ? ""
                      : rung.state === "running" && rung.durationMs === null
                        ? now && rung.invocation
                          ? `${formatDuration(millisSince(rung.invocation.createdAt, now))}…`
                          : ""
                        : formatDuration(rung.durationMs)}
                  </span>
                </div>
                <div className="mt-1">
                  <RungExplanation rung={rung} finished={finished} />
                </div>
                {rung.usage ? <UsageFigures usage={rung.usage} className="mt-1 block text-xs text-slate-600" data-testid="rung-usage" /> : null}
                <ToolCallList toolCalls={rung.toolCalls} />
                {rung.subAgentInvocationId ? (
                  <div className="mt-1.5 flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-slate-500">
                    <span className="font-mono break-all">{rung.subAgentInvocationId}</span>
                    {rung.invocation ? (
                      <span>
                        engine: {rung.invocation.status}
                        {rung.invocation.completionFailure ? ` · ${rung.invocation.completionFailure}` : ""}
                      </span>
                    ) : null}
                    <ConsoleLink
                      href={journalHref(rung.subAgentInvocationId)}
                      className="font-medium text-indigo-700 hover:underline"
                      aria-label={`Open journal of ${rung.agent}`}
                    >
                      Open journal ↓
                    </ConsoleLink>
                  </div>
                ) : null}
              </div>
            </li>
          );
        })}
      </ol>
    </Card>
  );
}
