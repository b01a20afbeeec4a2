"use client";
// The judge's calibration: acceptance and rejection reasons per rung, and its agreement with the humans
// at the gate, per prompt version and judge model. Tables scroll in their own box on a phone.
import { useQuery } from "@tanstack/react-query";
import { ConsoleLink } from "./ui/console-link";
import { useState } from "react";
import type { CalibrationFilters, CalibrationGroup } from "@/lib/calibration";
import { formatFigure } from "@/lib/calibration-figures";
import { calibrationQueries, calibrationQueryString } from "@/lib/query/calibration-queries";
import { ApiErrorNotice } from "./api-error-notice";
import { formatTimestamp } from "./time-format";
import { Card } from "./ui/card";
import { CardBody, CardHeader, CardTitle } from "./ui/card-parts";
import { Select } from "./ui/controls";
import { Skeleton } from "./ui/skeleton";

function Filter({
  id,
  label,
  value,
  options,
  onChange,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
}) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-600">
        {label}
      </label>
      <Select id={id} className="mt-1 w-56 max-w-full" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="">All</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </Select>
    </div>
  );
}

function Figure({ label, value, testId }: { label: string; value: string | number; testId?: string }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-slate-500">{label}</dt>
      <dd className="font-mono text-sm text-slate-900" data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

function AgreementTable({ table }: { table: CalibrationGroup["agreement"]["table"] }) {
  return (
    <table className="text-sm" data-testid="agreement-table">
      <caption className="mb-1 text-left text-xs text-slate-500">Judge (rows) × human at the gate (columns)</caption>
      <thead>
        <tr className="text-xs text-slate-500">
          <th scope="col" className="pr-4 text-left font-medium" />
          <th scope="col" className="pr-4 text-right font-medium">
            human accept
          </th>
          <th scope="col" className="text-right font-medium">
            human reject
          </th>
        </tr>
      </thead>
      <tbody className="font-mono">
        {(
          [
            ["judge accept", table.acceptAccept, table.acceptReject],
            ["judge reject", table.rejectAccept, table.rejectReject],
          ] as const
        ).map(([judge, humanAccept, humanReject]) => (
          <tr key={judge}>
            <th scope="row" className="pr-4 text-left font-sans text-xs font-medium text-slate-500">
              {judge}
            </th>
            <td className="pr-4 text-right">{humanAccept}</td>
            <td className="text-right">{humanReject}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const RUNG_COLUMNS = [
  ["Rung", "text-left"],
  ["Verdicts", "text-right"],
  ["Accepted", "text-right"],
  ["Acceptance", "text-right"],
  ["Rejection reasons", "text-left"],
] as const;

function RungTable({ rungs }: { rungs: CalibrationGroup["rungs"] }) {
  return (
    <div className="overflow-x-auto rounded border border-slate-100" data-testid="rung-table">
      <table className="w-full min-w-[36rem] text-sm">
        <thead className="bg-slate-50 text-xs text-slate-500">
          <tr>
            {RUNG_COLUMNS.map(([heading, align]) => (
              <th key={heading} scope="col" className={`px-3 py-2 font-medium ${align}`}>
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rungs.map((rung) => (
            <tr key={rung.rung} className="border-t border-slate-100 align-top" data-rung={rung.rung}>
              <td className="px-3 py-2 whitespace-nowrap">
                {rung.rung} · <span className="font-mono">{rung.agent}</span>
              </td>
              <td className="px-3 py-2 text-right font-mono">{rung.verdicts}</td>
              <td className="px-3 py-2 text-right font-mono">{rung.accepted}</td>
              <td className="px-3 py-2 text-right font-mono">{formatFigure(rung.acceptanceRate, "percent")}</td>
              <td className="px-3 py-2">
                {rung.rejections.length === 0 ? (
                  <span className="text-slate-500">none</span>
                ) : (
                  <ul className="space-y-0.5">
                    {rung.rejections.map((rejection) => (
                      <li key={rejection.name} title={rejection.example}>
                        <span className="font-mono">{rejection.name}</span> × {rejection.count}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function GroupCard({ group }: { group: CalibrationGroup }) {
  return (
    <Card data-testid="calibration-group">
      <CardHeader>
        <CardTitle className="min-w-0 break-all">
          Prompt <span className="font-mono">{group.promptVersion}</span> · judge <span className="font-mono">{group.judgeModel}</span>
        </CardTitle>
      </CardHeader>
      <CardBody className="space-y-4">
        <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4 lg:grid-cols-7">
          <Figure label="Runs judged" value={group.runs.judged} />
          <Figure label="Rejected on every rung" value={group.runs.rejectedOnEveryRung} />
          <Figure label="Auto-cleared" value={group.runs.autoCleared} />
          <Figure label="Undecided" value={group.runs.undecidedAtGate} />
          <Figure label="Decided at the gate" value={group.runs.decidedAtGate} />
          <Figure label="Agreement" value={formatFigure(group.agreement.rate, "percent")} testId="agreement-rate" />
          <Figure label="Cohen's kappa" value={formatFigure(group.agreement.kappa, "decimal")} testId="kappa" />
        </dl>
        <RungTable rungs={group.rungs} />
        <AgreementTable table={group.agreement.table} />
        <div>
          <h3 className="text-sm font-semibold text-slate-900">Disagreements</h3>
          {group.disagreements.length === 0 ? (
            <p className="mt-1 text-sm text-slate-500">None: every decided gate went the judge&apos;s way.</p>
          ) : (
            <ul className="mt-2 space-y-2" data-testid="disagreements">
              {group.disagreements.map((run) => {
                const decision = run.human.approvals.at(-1);
                return (
                  <li key={run.findingId} className="rounded border border-slate-100 px-3 py-2 text-sm">
                    <ConsoleLink href={`/findings/${encodeURIComponent(run.findingId)}`} className="font-mono break-all text-indigo-700 hover:underline">
                      {run.findingId}
                    </ConsoleLink>{" "}
                    <span className="text-slate-600">
                      judge accepted rung {run.rung} (score {run.verdict.score.toFixed(2)}); {decision?.approver ?? "a human"} rejected it
                      {decision ? ` ${formatTimestamp(decision.decidedAt)}` : ""}
                    </span>
                    {decision?.comment ? <p className="mt-1 break-words text-slate-800">“{decision.comment}”</p> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      </CardBody>
    </Card>
  );
}

export function JudgeCalibration() {
  const [filters, setFilters] = useState<CalibrationFilters>({});
  const report = useQuery(calibrationQueries.report(filters));
  const data = report.data;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Judge calibration</h1>
        <p className="mt-1 text-sm text-slate-600">
          How often the judge accepts each rung&apos;s plan and why it rejects, and how its accepted plans fared with the humans at the gate. Agreement counts
          only runs whose gate a human decided; runs the judge rejected on every rung count in the acceptance rates alone.
        </p>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <Filter
          id="calibration-prompt-version"
          label="Prompt version"
          value={filters.promptVersion ?? ""}
          options={data?.promptVersions ?? []}
          onChange={(value) => setFilters({ ...filters, promptVersion: value || undefined })}
        />
        <Filter
          id="calibration-judge-model"
          label="Judge model"
          value={filters.judgeModel ?? ""}
          options={data?.judgeModels ?? []}
          onChange={(value) => setFilters({ ...filters, judgeModel: value || undefined })}
        />
        <a
          href={`/api/calibration/export${calibrationQueryString(filters)}`}
          download
          className="rounded border border-slate-300 px-3 py-1.5 text-sm text-slate-800 hover:bg-slate-50"
        >
          Download the labelled set (JSONL)
        </a>
      </div>
      {report.isError && !data ? <ApiErrorNotice error={report.error} what="the calibration" onRetry={() => void report.refetch()} /> : null}
      {report.isPending ? <Skeleton className="h-40 w-full" /> : null}
      {data && data.groups.length === 0 ? <Card className="px-4 py-12 text-center text-sm text-slate-600">No judged run yet.</Card> : null}
      {data?.groups.map((group) => (
        <GroupCard key={`${group.promptVersion} ${group.judgeModel}`} group={group} />
      ))}
    </div>
  );
}
