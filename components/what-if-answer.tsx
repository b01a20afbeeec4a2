"use client";
// The what-if's answer on the policy page (policy-what-if.tsx): the finding's decision and the runs that
// would have been decided differently. It shows only after an evaluation, so its code loads beside that
// request rather than with the page.
import { ConsoleLink } from "./ui/console-link";
import type { WhatIfResult } from "@/lib/api/contracts";
import { approversText, groupsText } from "@/lib/policy-words";
import { formatTimestamp } from "./time-format";
import { Badge } from "./ui/badge";
import { DetailsList } from "./ui/details-list";

function FindingDecision({ decision }: { decision: NonNullable<WhatIfResult["finding"]> }) {
  return (
    <div className="space-y-2" data-testid="what-if-finding">
      <p className="text-sm">
        {decision.required ? <Badge tone="waiting">Human sign-off</Badge> : <Badge tone="success">Auto-cleared</Badge>} by rule{" "}
        <code className="font-mono text-xs">{decision.rule.name}</code>
      </p>
      <DetailsList
        items={[
          {
            label: "Because",
            value: (
              <ul className="list-disc pl-5">
                {decision.rule.because.map((reason) => (
                  <li key={reason}>{reason}</li>
                ))}
              </ul>
            ),
          },
          ...(decision.required
            ? [
                { label: "Approvals", value: approversText(decision.approvalsRequired) },
                { label: "May approve", value: groupsText(decision.approverGroups) },
              ]
            : []),
        ]}
      />
    </div>
  );
}

function RunDifferences({ runs }: { runs: WhatIfResult["runs"] }) {
  return (
    <div className="space-y-2" data-testid="what-if-runs">
      <p className="text-sm text-slate-700">
        Of the latest {runs.considered} runs, {runs.compared} reached the gate;{" "}
        <span className="font-medium" data-testid="what-if-difference-count">
          {runs.differences.length}
        </span>{" "}
        would have been decided differently.
      </p>
      {runs.differences.length ? (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200">
          {runs.differences.map((difference) => (
            <li key={difference.findingId} className="space-y-1 px-3 py-2 text-sm" data-testid="what-if-difference">
              <p className="flex flex-wrap items-baseline gap-x-2">
                <ConsoleLink href={`/findings/${encodeURIComponent(difference.findingId)}`} className="font-medium break-all text-indigo-700 hover:underline">
                  {difference.findingId}
                </ConsoleLink>
                <span className="text-slate-500">
                  {difference.severity} · <span className="break-all">{difference.repo}</span>
                  {difference.startedAt ? ` · ${formatTimestamp(difference.startedAt)}` : ""}
                </span>
              </p>
              <ul className="list-disc pl-5 text-slate-800">
                {difference.changes.map((change) => (
                  <li key={change}>{change}</li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export default function WhatIfAnswer({ result }: { result: WhatIfResult }) {
  return (
    <section className="mt-6 space-y-4 border-t border-slate-200 pt-4" aria-label="What-if result" data-testid="what-if-result">
      <p className="text-sm text-slate-600">
        Policy: <span className="break-all">{result.policy.source}</span> ({result.policy.rules} rules)
      </p>
      {result.finding ? <FindingDecision decision={result.finding} /> : null}
      <RunDifferences runs={result.runs} />
    </section>
  );
}
