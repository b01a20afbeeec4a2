"use client";
// The run page's journal card: a tab per invocation of the run (the supervisor, each rung's sub-agent),
// the selected one's timeline below, the selection in the URL.
import type { FindingDetail } from "@/lib/api/contracts";
import { JournalTimeline } from "./journal-timeline";
import { Card } from "./ui/card";
import { CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { cn } from "./ui/class-names";
import { ConsoleLink } from "./ui/console-link";

export function JournalSection({ findingId, detail, selected }: { findingId: string; detail: FindingDetail; selected: string | null }) {
  const workflowId = detail.workflowInvocation?.id ?? detail.status.identity?.invocationId ?? null;
  const tabs = [
    ...(workflowId ? [{ id: workflowId, label: "Supervisor (RemediationWorkflow)" }] : []),
    ...detail.ladder
      .filter((rung) => rung.subAgentInvocationId)
      .map((rung) => ({ id: rung.subAgentInvocationId as string, label: `Rung ${rung.rung}: ${rung.agent}` })),
  ];
  const current = tabs.find((tab) => tab.id === selected)?.id ?? workflowId;
  return (
    <Card id="journal" aria-labelledby="journal-title" className="scroll-mt-20">
      <CardHeader>
        <div>
          <CardTitle id="journal-title">Journal</CardTitle>
          <CardDescription>The engine&apos;s durable record, read from Restate&apos;s introspection API: the audit trail of every decision.</CardDescription>
        </div>
        <nav aria-label="Invocations of this run" className="flex flex-wrap gap-1">
          {tabs.map((tab) => (
            <ConsoleLink
              key={tab.id}
              href={`/findings/${encodeURIComponent(findingId)}?journal=${encodeURIComponent(tab.id)}#journal`}
              scroll={false}
              replace
              aria-current={tab.id === current ? "true" : undefined}
              className={cn(
                "rounded-md border px-2.5 py-1 text-xs font-medium",
                tab.id === current ? "border-indigo-300 bg-indigo-50 text-indigo-900" : "border-slate-200 text-slate-600 hover:bg-slate-50",
              )}
            >
              {tab.label}
            </ConsoleLink>
          ))}
        </nav>
      </CardHeader>
      <div className="p-3">
        {current ? <JournalTimeline key={current} invocationId={current} /> : <p className="text-sm text-slate-500">No invocation yet.</p>}
      </div>
    </Card>
  );
}
