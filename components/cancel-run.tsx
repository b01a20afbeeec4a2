"use client";
// Cancel from the run page: who cancelled a run and why, or, for an approver or admin while the run has
// not ended, a "Cancel run" form with the reason. The console signs the request as the signed-in operator.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ApiRequestError, describeError, loadContracts } from "@/lib/query/api-client";
import { findingMutations } from "@/lib/query/finding-mutations";
import { isFinishedStage } from "@/lib/query/queries";
import type { Status } from "@/restate/contracts/schemas";
import { formatTimestamp } from "./time-format";
import { Button } from "./ui/button";
import { Textarea } from "./ui/controls";
import { Field } from "./ui/field";
import { Notice } from "./ui/notice";
import { useOperator } from "./use-operator";

function CancelForm({ findingId, cancellingAs }: { findingId: string; cancellingAs: string }) {
  const queryClient = useQueryClient();
  const cancel = useMutation(findingMutations.cancel(queryClient, findingId));
  const [reason, setReason] = useState("");
  const [error, setError] = useState<string | undefined>();
  const idPrefix = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { CancelInputSchema } = await loadContracts();
    const parsed = CancelInputSchema.safeParse({ reason });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setError(undefined);
    cancel.mutate(parsed.data, {
      onError: (failure) => {
        if (failure instanceof ApiRequestError) setError(failure.fields.reason);
      },
    });
  };

  if (cancel.isSuccess) return <Notice tone="success">Cancelled by {cancel.data.by}. The run undoes what it did and stops…</Notice>;
  return (
    <details className="rounded-md border border-rose-200 bg-rose-50/40 px-3 py-2" data-testid="cancel-run">
      <summary className="cursor-pointer text-sm font-medium text-rose-800">Cancel run</summary>
      <form onSubmit={(event) => void onSubmit(event)} noValidate className="mt-2 space-y-2" aria-label="Cancel run">
        {cancel.isError ? <Notice tone="error">{describeError(cancel.error)}</Notice> : null}
        <Field
          id={`${idPrefix}-reason`}
          label="Reason"
          error={error}
          hint={`Signed as ${cancellingAs} and kept in the audit record. What the run already did outside is undone.`}
        >
          {(control) => <Textarea {...control} name="reason" rows={2} maxLength={500} value={reason} onChange={(event) => setReason(event.target.value)} />}
        </Field>
        <Button type="submit" variant="reject" disabled={cancel.isPending}>
          Cancel run
        </Button>
      </form>
    </details>
  );
}

export function CancelRun({ status }: { status: Status }) {
  const { operator, may } = useOperator();
  if (status.cancelled) {
    return (
      <Notice tone="error" data-testid="run-cancelled">
        <span className="font-medium">Cancelled by {status.cancelled.by}</span> at {formatTimestamp(status.cancelled.at)}: {status.cancelled.reason}
      </Notice>
    );
  }
  if (isFinishedStage(status.stage) || !operator || !may("approve")) return null;
  return <CancelForm findingId={status.findingId} cancellingAs={operator.username} />;
}
