// The rungs' plans side by side, each with the judge's verdict under it. Steps a later agent added
// are marked, steps it dropped are struck through, so an operator sees what the recalibration changed.
import type { LadderRung } from "@/lib/api/contracts";
import type { Plan, PlanRecord, PlanStep, Verdict } from "@/restate/contracts/schemas";
import { Badge } from "./ui/badge";
import { Card } from "./ui/card";
import { CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { PlanChangeView } from "./plan-change";
import { cn } from "./ui/class-names";
import { VerdictCard } from "./verdict-card";

const stepKey = (step: PlanStep) => `${step.repo}\u0000${step.description}\u0000${step.command ?? ""}`;

function StepItem({ step, scopeRepo, change }: { step: PlanStep; scopeRepo: string; change?: "added" | "dropped" }) {
  return (
    <li
      className={cn(
        "rounded border px-2 py-1.5",
        change === "added" && "border-emerald-200 bg-emerald-50/70",
        change === "dropped" && "border-dashed border-slate-300 bg-white text-slate-500 line-through decoration-slate-400",
        !change && "border-slate-200 bg-white",
      )}
      data-change={change ?? "same"}
    >
      <span className="flex items-start justify-between gap-2">
        <span className="text-sm">{step.description}</span>
        {change === "added" ? <span className="shrink-0 text-xs font-semibold text-emerald-700 no-underline">+ new</span> : null}
        {change === "dropped" ? <span className="shrink-0 text-xs font-semibold text-slate-500">dropped</span> : null}
      </span>
      {step.command ? <code className="mt-1 block rounded bg-slate-900 px-1.5 py-1 font-mono text-xs break-all text-slate-100">{step.command}</code> : null}
      {step.repo !== scopeRepo ? <span className="mt-1 block text-xs font-medium text-rose-700">in another repository: {step.repo}</span> : null}
    </li>
  );
}

function PlanColumn({ plan, previous, verdict, scopeRepo }: { plan: Plan; previous: Plan | null; verdict: Verdict | undefined; scopeRepo: string }) {
  const before = new Set(previous?.steps.map(stepKey) ?? []);
  const now = new Set(plan.steps.map(stepKey));
  const dropped = previous ? previous.steps.filter((step) => !now.has(stepKey(step))) : [];
  const previousRollback = new Set(previous?.rollback ?? []);
  return (
    <div className="flex min-w-0 flex-col gap-3" data-testid="plan" data-agent={plan.agent}>
      <div>
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-mono text-sm font-semibold">{plan.agent}</span>
          <Badge tone="neutral">confidence {plan.confidence.toFixed(2)}</Badge>
        </div>
        <p className="mt-1 text-sm text-slate-800">{plan.summary}</p>
      </div>
      <div>
        <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Steps</h4>
        <ol className="mt-1 space-y-1">
          {plan.steps.map((step, index) => (
            <StepItem
              key={`${index}-${stepKey(step)}`}
              step={step}
              scopeRepo={scopeRepo}
              change={previous && !before.has(stepKey(step)) ? "added" : undefined}
            />
          ))}
          {dropped.map((step, index) => (
            <StepItem key={`dropped-${index}`} step={step} scopeRepo={scopeRepo} change="dropped" />
          ))}
        </ol>
      </div>
      <div>
        <h4 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Rollback</h4>
        {plan.rollback.length ? (
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm">
            {plan.rollback.map((line) => (
              <li key={line} className={cn(previous && !previousRollback.has(line) && "text-emerald-800")}>
                {line}
                {previous && !previousRollback.has(line) ? <span className="ml-1 text-xs font-semibold text-emerald-700">+ new</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="mt-1 text-sm font-medium text-rose-700">No rollback path.</p>
        )}
      </div>
      {plan.change ? <PlanChangeView change={plan.change} /> : null}
      {plan.noWorkspace ? <p className="text-sm text-slate-600">No change: {plan.noWorkspace}</p> : null}
      <details className="text-sm">
        <summary className="text-xs font-medium text-slate-600">Ticket and pull request drafts</summary>
        <div className="mt-1 space-y-1 text-xs text-slate-700">
          <p>
            <span className="text-slate-500">Ticket:</span> {plan.ticket.title}
          </p>
          <p>
            <span className="text-slate-500">PR:</span> {plan.pullRequest.title} <span className="font-mono">({plan.pullRequest.branch})</span>
          </p>
          <p className="text-slate-500">prompt {plan.promptVersion}</p>
        </div>
      </details>
      {verdict ? <VerdictCard verdict={verdict} /> : <p className="text-sm text-slate-500">The judge is reviewing this plan…</p>}
    </div>
  );
}

export function PlanComparison({ plans, verdicts, ladder, scopeRepo }: { plans: PlanRecord[]; verdicts: Verdict[]; ladder: LadderRung[]; scopeRepo: string }) {
  // One column per rung the supervisor reached, in ladder order; a rung without a plan says why.
  const rungs = new Set([...ladder.filter((rung) => rung.state !== "not-reached").map((rung) => rung.rung), ...plans.map((record) => record.rung)]);
  const columns = [...rungs].sort((a, b) => a - b);
  // Each plan is compared with the plan of the nearest earlier rung that handed one in.
  const planBefore = (rungNumber: number): Plan | null =>
    plans
      .filter((record) => record.rung < rungNumber)
      .sort((a, b) => a.rung - b.rung)
      .at(-1)?.plan ?? null;
  const cells = columns.map((rungNumber) => {
    const record = plans.find((candidate) => candidate.rung === rungNumber);
    const rung = ladder.find((candidate) => candidate.rung === rungNumber);
    if (!record) {
      return (
        <div key={rungNumber} className="self-start rounded-md border border-dashed border-slate-300 p-3 text-sm text-slate-600" data-testid="plan-missing">
          <span className="font-mono font-semibold text-slate-800">{rung?.agent ?? `rung ${rungNumber}`}</span>
          <p className="mt-1">
            {rung?.state === "timed-out"
              ? "No plan: timed out and cancelled by the supervisor."
              : rung?.state === "running"
                ? "Planning…"
                : `No plan: ${rung?.reason ?? rung?.outcome ?? "none recorded"}`}
          </p>
        </div>
      );
    }
    return (
      <PlanColumn
        key={rungNumber}
        plan={record.plan}
        previous={planBefore(rungNumber)}
        verdict={verdicts.find((verdict) => verdict.agent === record.plan.agent)}
        scopeRepo={scopeRepo}
      />
    );
  });
  return (
    <Card aria-labelledby="plans-title">
      <CardHeader>
        <div>
          <CardTitle id="plans-title">Plans and verdicts</CardTitle>
          <CardDescription>
            The judge audits every plan before anything runs. Each plan is compared with the one before it: what the next agent added or dropped.
          </CardDescription>
        </div>
      </CardHeader>
      {cells.length === 0 ? (
        <p className="px-4 py-6 text-sm text-slate-500">No plan yet: the first executor is still working.</p>
      ) : (
        <div className="grid gap-4 px-4 py-3" style={{ gridTemplateColumns: `repeat(${cells.length}, minmax(0, 1fr))` }}>
          {cells}
        </div>
      )}
    </Card>
  );
}
