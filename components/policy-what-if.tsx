"use client";
// The sign-off policy page: the policy the services run with, and the what-if: a policy text (the
// effective one, or one edited here) evaluated for a finding typed in and over the latest runs, listing
// the runs it would have decided differently.
import { useMutation, useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useId, useState, type FormEvent } from "react";
import { ApiRequestError, describeError } from "@/lib/query/api-client";
import { policyMutations, policyQueries } from "@/lib/query/policy-queries";
import { SEVERITIES, type Severity } from "@/restate/contracts/vocabulary";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { Input, Select, Textarea } from "./ui/controls";
import { Field } from "./ui/field";
import { Notice } from "./ui/notice";
import { Skeleton } from "./ui/skeleton";

/** The answer's code is fetched when the operator first asks, beside the evaluation. */
const loadWhatIfAnswer = () => import("./what-if-answer");
const WhatIfAnswer = lazy(loadWhatIfAnswer);

function EffectivePolicy() {
  const policy = useQuery(policyQueries.effective());
  return (
    <Card aria-labelledby="effective-policy-title" data-testid="effective-policy">
      <CardHeader>
        <div className="min-w-0">
          <CardTitle id="effective-policy-title">Effective policy</CardTitle>
          <CardDescription>
            {policy.data ? (
              <>
                <span className="break-all">{policy.data.source}</span> · {policy.data.rules} rules · <span className="break-all">{policy.data.version}</span>
              </>
            ) : (
              "The policy the services run with (SIGNOFF_POLICY_FILE, or the built-in rules)."
            )}
          </CardDescription>
        </div>
      </CardHeader>
      <CardBody>
        {policy.isError ? <Notice tone="error">{describeError(policy.error)}</Notice> : null}
        {policy.data ? (
          <pre className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800" data-testid="effective-policy-text">
            {policy.data.text}
          </pre>
        ) : policy.isPending ? (
          <Skeleton className="h-40" />
        ) : null}
      </CardBody>
    </Card>
  );
}

export function PolicyWhatIf() {
  const idPrefix = useId();
  const effective = useQuery(policyQueries.effective());
  const whatIf = useMutation(policyMutations.whatIf());
  /** null: the effective policy, as loaded; a string once the operator edits it. */
  const [policyText, setPolicyText] = useState<string | null>(null);
  const [severity, setSeverity] = useState<Severity>("high");
  const [repo, setRepo] = useState("web-storefront");
  const [score, setScore] = useState("0.9");
  const [files, setFiles] = useState("");
  const [linesChanged, setLinesChanged] = useState("0");
  const [runs, setRuns] = useState("100");

  const fields = whatIf.error instanceof ApiRequestError ? whatIf.error.fields : {};
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void loadWhatIfAnswer();
    whatIf.mutate({
      ...(policyText !== null && policyText !== effective.data?.text ? { policy: policyText } : {}),
      finding: {
        severity,
        repo,
        score: Number(score),
        files: files
          .split("\n")
          .map((file) => file.trim())
          .filter(Boolean),
        linesChanged: Number(linesChanged),
      },
      runs: Number(runs),
    });
  };
  const result = whatIf.data;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-xl font-semibold text-slate-900">Sign-off policy</h1>
        <p className="mt-1 text-sm text-slate-600">
          Which accepted plans wait for a human, how many approvers from which groups, and by when. Rules are tried in order; the first that matches decides,
          and a plan no rule matches waits for one approver.
        </p>
      </div>
      <EffectivePolicy />
      <Card aria-labelledby="what-if-title">
        <CardHeader>
          <div>
            <CardTitle id="what-if-title">What if</CardTitle>
            <CardDescription>
              Evaluate a policy for a finding, and see which of the latest runs it would have decided differently. Nothing changes.
            </CardDescription>
          </div>
        </CardHeader>
        <CardBody>
          <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="What if">
            <Field id={`${idPrefix}-policy`} label="Policy (YAML or JSON)" hint="Starts as the effective policy; edit it to try another." error={fields.policy}>
              {(control) => (
                <Textarea
                  {...control}
                  name="policy"
                  rows={12}
                  spellCheck={false}
                  className="font-mono text-xs"
                  value={policyText ?? effective.data?.text ?? ""}
                  onChange={(event) => setPolicyText(event.target.value)}
                />
              )}
            </Field>
            <fieldset className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
              <legend className="mb-1 text-sm font-medium text-slate-800">Finding</legend>
              <Field id={`${idPrefix}-severity`} label="Severity" error={fields["finding.severity"]}>
                {(control) => (
                  <Select {...control} name="severity" value={severity} onChange={(event) => setSeverity(event.target.value as Severity)}>
                    {SEVERITIES.map((value) => (
                      <option key={value} value={value}>
                        {value}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field id={`${idPrefix}-repo`} label="Repository" error={fields["finding.repo"]}>
                {(control) => <Input {...control} name="repo" value={repo} onChange={(event) => setRepo(event.target.value)} />}
              </Field>
              <Field id={`${idPrefix}-score`} label="Judge score (0 to 1)" error={fields["finding.score"]}>
                {(control) => <Input {...control} name="score" inputMode="decimal" value={score} onChange={(event) => setScore(event.target.value)} />}
              </Field>
              <Field id={`${idPrefix}-lines`} label="Lines changed" error={fields["finding.linesChanged"]}>
                {(control) => (
                  <Input {...control} name="linesChanged" inputMode="numeric" value={linesChanged} onChange={(event) => setLinesChanged(event.target.value)} />
                )}
              </Field>
              <Field id={`${idPrefix}-files`} label="Changed files (one per line)" error={fields["finding.files"]} className="sm:col-span-2">
                {(control) => (
                  <Textarea {...control} name="files" rows={2} className="font-mono text-xs" value={files} onChange={(event) => setFiles(event.target.value)} />
                )}
              </Field>
            </fieldset>
            <Field id={`${idPrefix}-runs`} label="Compare with the latest runs (0 to 500)" error={fields.runs} className="max-w-xs">
              {(control) => <Input {...control} name="runs" inputMode="numeric" value={runs} onChange={(event) => setRuns(event.target.value)} />}
            </Field>
            {whatIf.isError ? (
              <Notice tone="error" data-testid="what-if-error">
                {describeError(whatIf.error)}
              </Notice>
            ) : null}
            <Button type="submit" disabled={whatIf.isPending}>
              {whatIf.isPending ? "Evaluating…" : "Evaluate"}
            </Button>
          </form>
          {result ? (
            <Suspense>
              <WhatIfAnswer result={result} />
            </Suspense>
          ) : null}
        </CardBody>
      </Card>
    </div>
  );
}
