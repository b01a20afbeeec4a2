// The judge's verdict on one plan: every check with its reason, the score, the model's commentary.
import { MIN_AUTO_CLEAR_SCORE, MIN_PLAN_CONFIDENCE } from "@/restate/contracts/judge-thresholds";
import type { Verdict } from "@/restate/contracts/schemas";
import { formatTimestamp } from "./time-format";
import { Badge } from "./ui/badge";
import { cn } from "./ui/class-names";
import { UsageFigures } from "./usage-figures";

/** Green from the auto-clear score up, amber down to the lowest score an approved plan can have, red below. */
export function ScoreMeter({ score }: { score: number }) {
  const percent = Math.round(score * 100);
  return (
    <span className="inline-flex items-center gap-2" title={`score ${score}`}>
      <span
        className="h-1.5 w-16 overflow-hidden rounded-full bg-slate-200"
        role="meter"
        aria-label="Judge score"
        aria-valuemin={0}
        aria-valuemax={1}
        aria-valuenow={score}
      >
        <span
          className={cn("block h-full", score >= MIN_AUTO_CLEAR_SCORE ? "bg-emerald-500" : score >= MIN_PLAN_CONFIDENCE ? "bg-amber-500" : "bg-rose-500")}
          style={{ width: `${percent}%` }}
        />
      </span>
      <span className="font-mono text-xs text-slate-700">{score.toFixed(2)}</span>
    </span>
  );
}

export function VerdictCard({ verdict }: { verdict: Verdict }) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50/60" data-testid="verdict" data-approved={verdict.approved ? "true" : "false"}>
      <div className="flex flex-wrap items-center justify-between gap-2 border-b border-slate-200 px-3 py-2">
        <div className="flex items-center gap-2">
          <span className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Judge</span>
          <Badge tone={verdict.approved ? "success" : "danger"}>{verdict.approved ? "Approved" : "Rejected"}</Badge>
        </div>
        <ScoreMeter score={verdict.score} />
      </div>
      {verdict.usage ? (
        <p className="border-b border-slate-200 px-3 py-1 text-xs text-slate-600">
          {verdict.judgeModel}: <UsageFigures usage={verdict.usage} data-testid="verdict-usage" />
        </p>
      ) : null}
      <div className="space-y-2 px-3 py-2">
        <p className={cn("text-sm font-medium", verdict.approved ? "text-emerald-900" : "text-rose-900")} data-testid="verdict-reason">
          {verdict.reason}
        </p>
        <ul className="space-y-1" aria-label="Checks">
          {verdict.checks.map((check) => (
            <li key={check.name} className="flex gap-2 text-sm" data-check={check.name} data-passed={check.passed ? "true" : "false"}>
              <span
                aria-hidden="true"
                className={cn(
                  "mt-0.5 grid size-4 shrink-0 place-items-center rounded-full text-[10px] font-bold text-white",
                  check.passed ? "bg-emerald-500" : "bg-rose-500",
                )}
              >
                {check.passed ? "✓" : "✕"}
              </span>
              <span className="min-w-0">
                <span className="font-mono text-xs text-slate-500">{check.name}</span>
                <span className="sr-only">{check.passed ? " passed: " : " failed: "}</span>
                <span className="block text-slate-800">{check.reason}</span>
                {check.evidence ? (
                  <code className="mt-0.5 block rounded bg-rose-50 px-1.5 py-0.5 font-mono text-xs break-all text-rose-900">{check.evidence}</code>
                ) : null}
              </span>
            </li>
          ))}
        </ul>
        <p className="text-xs text-slate-600 italic">{verdict.commentary}</p>
        <p className="text-xs text-slate-500">
          {verdict.judgeModel} · {formatTimestamp(verdict.judgedAt)}
        </p>
      </div>
    </div>
  );
}
