"use client";
// Submitting a finding: react-hook-form holds the fields and the shared FindingSchema validates them through
// the zod resolver, so the browser says what the API would; the API's 422 `fields` land next to the same
// inputs, and a successful submission opens the run.
import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FocusEvent, type ReactNode } from "react";
import { FormProvider, useForm, useFormContext, useFormState, type Resolver, type UseFormRegisterReturn } from "react-hook-form";
import type { z } from "zod";
import { ApiRequestError, describeError, loadContracts } from "@/lib/query/api-client";
import { findingMutations } from "@/lib/query/finding-mutations";
import type { Finding, FindingSchema } from "@/restate/contracts/schemas";
import { SEVERITIES } from "@/restate/contracts/vocabulary";
import { FINDING_PRESETS, freshFindingId } from "./finding-presets";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { Input, Select, Textarea } from "./ui/controls";
import { Field } from "./ui/field";
import { Notice } from "./ui/notice";

/** What the form holds: FindingSchema's input, before it trims. */
type FindingInput = z.input<typeof FindingSchema>;
type FieldName = keyof FindingInput;

const EMPTY: FindingInput = { id: "", source: "", severity: "low", repo: "", description: "" };

function isFieldName(name: string): name is FieldName {
  return Object.hasOwn(EMPTY, name);
}

/**
 * FindingSchema through the zod resolver. The schema (and zod) load beside the page, not with it (see
 * loadContracts); the first check waits for them.
 */
const findingResolver: Resolver<FindingInput, unknown, Finding> = async (values, context, options) => {
  const { FindingSchema } = await loadContracts();
  return zodResolver(FindingSchema)(values, context, options);
};

type ControlProps = UseFormRegisterReturn<FieldName> & { id: string; "aria-invalid": boolean; "aria-describedby"?: string };

/** One field of the form: its label, hint and error from the form's state, and the control it renders. */
function FindingField({ name, label, hint, children }: { name: FieldName; label: string; hint?: string; children: (control: ControlProps) => ReactNode }) {
  const { register, trigger, getFieldState } = useFormContext<FindingInput>();
  const { errors } = useFormState<FindingInput>({ name });
  // Before the first submit: a field the operator typed in is checked when they leave it (an untouched empty
  // field is not scolded on tab-through), and once it shows an error it is re-checked as they type.
  const control = register(name, {
    onBlur: (event: FocusEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) => {
      if (event.target.value.trim()) void trigger(name);
    },
    onChange: () => {
      if (getFieldState(name).error) void trigger(name);
    },
  });
  return (
    <Field id={`finding-${name}`} label={label} hint={hint} error={errors[name]?.message}>
      {(aria) => children({ ...aria, ...control })}
    </Field>
  );
}

/** The form itself, for an operator who may submit (see SubmitFinding). */
export function FindingForm() {
  const router = useRouter();
  const queryClient = useQueryClient();
  const submit = useMutation(findingMutations.submit(queryClient));
  const form = useForm<FindingInput, unknown, Finding>({ defaultValues: EMPTY, resolver: findingResolver, reValidateMode: "onChange" });
  const [appliedPreset, setAppliedPreset] = useState<string | null>(null);
  useEffect(() => void loadContracts(), []);

  const fill = (values: FindingInput, preset: string | null) => {
    form.reset(values);
    setAppliedPreset(preset);
  };

  const showServerError = (error: Error) => {
    if (!(error instanceof ApiRequestError) || Object.keys(error.fields).length === 0) {
      form.setError("root.server", { message: describeError(error) });
      return;
    }
    // The API's `fields` use paths such as "repo" or "finding.repo"; the ones that name no input go in the notice.
    const other: string[] = [];
    let focused = false;
    for (const [path, message] of Object.entries(error.fields)) {
      const name = path.split(".").at(-1) ?? path;
      if (!isFieldName(name)) {
        other.push(`${path}: ${message}`);
        continue;
      }
      form.setError(name, { type: "server", message }, { shouldFocus: !focused });
      focused = true;
    }
    form.setError("root.server", { message: other.length ? `${error.message} ${other.join("; ")}` : error.message });
  };

  const onValid = (finding: Finding) =>
    submit.mutate(finding, {
      onSuccess: (response) => {
        const suffix = response.submission === "existing" ? "?submission=existing" : "";
        router.push(`/findings/${encodeURIComponent(response.findingId)}${suffix}`);
      },
      onError: showServerError,
    });

  const pending = submit.isPending || submit.isSuccess;
  const formError = form.formState.errors.root?.server?.message;

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
          <FormProvider {...form}>
            <form noValidate onSubmit={(event) => void form.handleSubmit(onValid)(event)} className="space-y-4" aria-label="Submit a finding">
              {formError ? <Notice tone="error">{formError}</Notice> : null}
              <div className="grid gap-4 sm:grid-cols-2">
                <FindingField name="id" label="Finding id" hint="Letters, digits, '.', '_' or '-', e.g. cve-2026-0042.">
                  {(control) => <Input {...control} autoComplete="off" spellCheck={false} className="font-mono" />}
                </FindingField>
                <FindingField name="severity" label="Severity">
                  {(control) => (
                    <Select {...control} className="capitalize">
                      {SEVERITIES.map((severity) => (
                        <option key={severity} value={severity}>
                          {severity}
                        </option>
                      ))}
                    </Select>
                  )}
                </FindingField>
                <FindingField name="repo" label="Repository" hint="e.g. payments-api or team/orders_api">
                  {(control) => <Input {...control} autoComplete="off" spellCheck={false} className="font-mono" />}
                </FindingField>
                <FindingField name="source" label="Source" hint="The scanner that reported it: snyk, guardduty…">
                  {(control) => <Input {...control} autoComplete="off" />}
                </FindingField>
              </div>
              <FindingField name="description" label="Description">
                {(control) => <Textarea {...control} rows={4} />}
              </FindingField>
              <div className="flex items-center gap-3">
                <Button type="submit" disabled={pending}>
                  {pending ? "Starting run…" : "Start remediation"}
                </Button>
                <Button variant="ghost" disabled={pending} onClick={() => fill(EMPTY, null)}>
                  Clear
                </Button>
              </div>
            </form>
          </FormProvider>
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
                onClick={() => fill({ id: freshFindingId(preset.idStem), ...preset.finding }, preset.key)}
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
