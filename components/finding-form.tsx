"use client";
// Submitting a finding: the shared FindingSchema validates in the browser (loaded beside the page, see
// loadContracts), the API's 422 `fields` land next to the same inputs, and a successful submission opens the run.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiRequestError, contractsIfLoaded, describeError, loadContracts } from "@/lib/query/api-client";
import { SEVERITIES } from "@/restate/contracts/vocabulary";
import { findingMutations } from "@/lib/query/queries";
import { FINDING_PRESETS, freshFindingId, type FindingPreset } from "./finding-presets";
import { Button } from "./ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card";
import { Field, Input, Select, Textarea } from "./ui/field";
import { Notice } from "./ui/notice";
import { useOperator } from "./use-operator";

const FIELDS = ["id", "source", "severity", "repo", "description"] as const;
type FieldName = (typeof FIELDS)[number];
type FormValues = Record<FieldName, string>;
type FieldErrors = Partial<Record<FieldName, string>>;

const EMPTY: FormValues = { id: "", source: "", severity: "low", repo: "", description: "" };

function isFieldName(name: string): name is FieldName {
  return (FIELDS as readonly string[]).includes(name);
}

/** Runs the shared schema and keeps the first message per field (nothing to say until the schema has loaded). */
function validate(values: FormValues): FieldErrors {
  const result = contractsIfLoaded()?.FindingSchema.safeParse(values);
  if (!result) return {};
  if (result.success) return {};
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const name = String(issue.path[0] ?? "");
    if (isFieldName(name) && !errors[name]) errors[name] = issue.message;
  }
  return errors;
}

/** The API's `fields` use paths such as "repo" or "finding.repo"; map them onto our inputs. */
function serverFieldErrors(fields: Record<string, string>): { errors: FieldErrors; other: string[] } {
  const errors: FieldErrors = {};
  const other: string[] = [];
  for (const [path, message] of Object.entries(fields)) {
    const name = path.split(".").at(-1) ?? path;
    if (isFieldName(name)) errors[name] = message;
    else other.push(`${path}: ${message}`);
  }
  return { errors, other };
}

function SubmitForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const submit = useMutation(findingMutations.submit(queryClient));
  const [values, setValues] = useState<FormValues>(EMPTY);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [appliedPreset, setAppliedPreset] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  useEffect(() => void loadContracts(), []);

  const update = (name: FieldName, value: string) => {
    const next = { ...values, [name]: value };
    setValues(next);
    // Once a field shows an error, re-check it as the operator types so the message goes away when fixed.
    if (errors[name]) setErrors((current) => ({ ...current, [name]: validate(next)[name] }));
  };

  const checkField = (name: FieldName) => {
    if (!values[name].trim() && !errors[name]) return; // don't scold an untouched empty field on tab-through
    setErrors((current) => ({ ...current, [name]: validate(values)[name] }));
  };

  const focusFirstInvalid = (invalid: FieldErrors) => {
    const first = FIELDS.find((name) => invalid[name]);
    if (first) formRef.current?.querySelector<HTMLElement>(`#finding-${first}`)?.focus();
  };

  const applyPreset = (preset: FindingPreset) => {
    setValues({ id: freshFindingId(preset.idStem), ...preset.finding });
    setErrors({});
    setFormError(null);
    setAppliedPreset(preset.key);
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setFormError(null);
    const { FindingSchema } = await loadContracts();
    const invalid = validate(values);
    setErrors(invalid);
    if (Object.values(invalid).some(Boolean)) {
      focusFirstInvalid(invalid);
      return;
    }
    const finding = FindingSchema.parse(values);
    submit.mutate(finding, {
      onSuccess: (response) => {
        const suffix = response.submission === "existing" ? "?submission=existing" : "";
        router.push(`/findings/${encodeURIComponent(response.findingId)}${suffix}`);
      },
      onError: (error) => {
        if (error instanceof ApiRequestError && Object.keys(error.fields).length > 0) {
          const { errors: fromServer, other } = serverFieldErrors(error.fields);
          setErrors(fromServer);
          setFormError(other.length ? `${error.message} ${other.join("; ")}` : error.message);
          focusFirstInvalid(fromServer);
          return;
        }
        setFormError(describeError(error));
      },
    });
  };

  const pending = submit.isPending || submit.isSuccess;

  return (
    <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_26rem]">
      <Card>
        <CardHeader>
          <div>
            <CardTitle>Finding</CardTitle>
            <CardDescription>The id becomes the workflow key: submitting the same id again opens the existing run.</CardDescription>
          </div>
        </CardHeader>
        <CardBody>
          <form ref={formRef} noValidate onSubmit={(event) => void onSubmit(event)} className="space-y-4" aria-label="Submit a finding">
            {formError ? <Notice tone="error">{formError}</Notice> : null}
            <div className="grid gap-4 sm:grid-cols-2">
              <Field id="finding-id" label="Finding id" error={errors.id} hint="Letters, digits, '.', '_' or '-', e.g. cve-2026-0042.">
                {(control) => (
                  <Input
                    {...control}
                    name="id"
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono"
                    value={values.id}
                    onChange={(event) => update("id", event.target.value)}
                    onBlur={() => checkField("id")}
                  />
                )}
              </Field>
              <Field id="finding-severity" label="Severity" error={errors.severity}>
                {(control) => (
                  <Select
                    {...control}
                    name="severity"
                    className="capitalize"
                    value={values.severity}
                    onChange={(event) => update("severity", event.target.value)}
                  >
                    {SEVERITIES.map((severity) => (
                      <option key={severity} value={severity}>
                        {severity}
                      </option>
                    ))}
                  </Select>
                )}
              </Field>
              <Field id="finding-repo" label="Repository" error={errors.repo} hint="e.g. payments-api or team/orders_api">
                {(control) => (
                  <Input
                    {...control}
                    name="repo"
                    autoComplete="off"
                    spellCheck={false}
                    className="font-mono"
                    value={values.repo}
                    onChange={(event) => update("repo", event.target.value)}
                    onBlur={() => checkField("repo")}
                  />
                )}
              </Field>
              <Field id="finding-source" label="Source" error={errors.source} hint="The scanner that reported it: snyk, guardduty…">
                {(control) => (
                  <Input
                    {...control}
                    name="source"
                    autoComplete="off"
                    value={values.source}
                    onChange={(event) => update("source", event.target.value)}
                    onBlur={() => checkField("source")}
                  />
                )}
              </Field>
            </div>
            <Field id="finding-description" label="Description" error={errors.description}>
              {(control) => (
                <Textarea
                  {...control}
                  name="description"
                  rows={4}
                  value={values.description}
                  onChange={(event) => update("description", event.target.value)}
                  onBlur={() => checkField("description")}
                />
              )}
            </Field>
            <div className="flex items-center gap-3">
              <Button type="submit" disabled={pending}>
                {pending ? "Starting run…" : "Start remediation"}
              </Button>
              <Button
                variant="ghost"
                disabled={pending}
                onClick={() => {
                  setValues(EMPTY);
                  setErrors({});
                  setFormError(null);
                  setAppliedPreset(null);
                }}
              >
                Clear
              </Button>
            </div>
          </form>
        </CardBody>
      </Card>

      <Card aria-labelledby="presets-title">
        <CardHeader>
          <div>
            <CardTitle id="presets-title">Example findings</CardTitle>
            <CardDescription>One per scenario the supervisor handles. Each click gets a fresh id.</CardDescription>
          </div>
        </CardHeader>
        <ul className="divide-y divide-slate-100">
          {FINDING_PRESETS.map((preset) => (
            <li key={preset.key}>
              <button
                type="button"
                onClick={() => applyPreset(preset)}
                data-preset={preset.key}
                aria-pressed={appliedPreset === preset.key}
                className="block w-full px-4 py-2.5 text-left transition-colors hover:bg-slate-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-indigo-600 aria-pressed:bg-indigo-50"
              >
                <span className="flex flex-wrap items-baseline justify-between gap-x-2">
                  <span className="text-sm font-medium text-slate-900">{preset.title}</span>
                  <span className="font-mono text-xs whitespace-nowrap text-slate-500">
                    {preset.finding.severity} · {preset.finding.repo}
                  </span>
                </span>
                <span className="mt-0.5 block text-xs text-slate-600">{preset.expect}</span>
              </button>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}

/** The form for operators who may submit; others are told why there is none (the API refuses them too). */
export function FindingForm() {
  const { operator, may, isLoading } = useOperator();
  if (isLoading) return null;
  if (!may("submit")) {
    return (
      <Notice tone="warning" data-testid="no-submit-role">
        Your role ({operator?.roles.join(", ") ?? "none"}) cannot submit findings; ask an admin for the submitter role.
      </Notice>
    );
  }
  return <SubmitForm />;
}
