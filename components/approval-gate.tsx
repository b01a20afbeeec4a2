"use client";
// The policy gate: why a human must sign off, who did and what they said, or the sign-off form
// while the workflow is suspended on its durable `approval` promise.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useEffect, useId, useState, type FormEvent, type ReactNode } from "react";
import { ApprovalInputSchema } from "@/lib/api/contracts";
import { ApiRequestError, describeError } from "@/lib/query/api-client";
import { findingMutations } from "@/lib/query/queries";
import type { Status } from "@/restate/schemas";
import { formatDuration, formatTimestamp, millisSince } from "./time-format";
import { Badge } from "./ui/badge";
import { Button } from "./ui/button";
import { Card, CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card";
import { Field, Input, Textarea } from "./ui/field";
import { Notice } from "./ui/notice";
import { useNow } from "./use-now";

const APPROVER_STORAGE_KEY = "remediation-console:approver";

function SignoffForm({ findingId }: { findingId: string }) {
  const queryClient = useQueryClient();
  const decide = useMutation(findingMutations.decide(queryClient, findingId));
  const [approver, setApprover] = useState("");
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<{ approver?: string; comment?: string }>({});
  const idPrefix = useId();

  useEffect(() => {
    // Until operator sign-in exists, remember who signed last on this browser.
    const remembered = window.localStorage.getItem(APPROVER_STORAGE_KEY);
    if (remembered) setApprover((current) => current || remembered);
  }, []);

  const send = (approved: boolean) => {
    const parsed = ApprovalInputSchema.safeParse({ approved, approver, comment: comment.trim() ? comment : undefined });
    if (!parsed.success) {
      const next: typeof errors = {};
      for (const issue of parsed.error.issues) {
        const name = issue.path[0];
        if ((name === "approver" || name === "comment") && !next[name]) next[name] = issue.message;
      }
      setErrors(next);
      return;
    }
    setErrors({});
    window.localStorage.setItem(APPROVER_STORAGE_KEY, parsed.data.approver);
    decide.mutate(parsed.data, {
      onError: (error) => {
        if (error instanceof ApiRequestError) setErrors({ approver: error.fields.approver, comment: error.fields.comment });
      },
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    send(submitter?.value !== "reject");
  };

  if (decide.isSuccess) {
    return (
      <Notice tone="success">
        {decide.data.approved ? "Approved" : "Rejected"} by {decide.data.approver}. The workflow resumes…
      </Notice>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Sign off">
      {decide.isError ? <Notice tone="error">{describeError(decide.error)}</Notice> : null}
      <Field id={`${idPrefix}-approver`} label="Your name or email" error={errors.approver}>
        {(control) => (
          <Input {...control} name="approver" autoComplete="email" value={approver} onChange={(event) => setApprover(event.target.value)} />
        )}
      </Field>
      <Field id={`${idPrefix}-comment`} label="Comment" error={errors.comment} hint="Lands in the durable journal with your decision.">
        {(control) => (
          <Textarea {...control} name="comment" rows={3} value={comment} onChange={(event) => setComment(event.target.value)} />
        )}
      </Field>
      <div className="flex gap-2">
        <Button type="submit" variant="approve" name="decision" value="approve" disabled={decide.isPending}>
          Approve and execute
        </Button>
        <Button type="submit" variant="reject" name="decision" value="reject" disabled={decide.isPending}>
          Reject
        </Button>
      </div>
    </form>
  );
}

export function ApprovalGate({ status }: { status: Status }) {
  const now = useNow();
  const { signoff, approval, stage } = status;

  let body: ReactNode;
  let badge: ReactNode = null;
  if (!signoff) {
    badge = <Badge tone="muted">Not reached</Badge>;
    body = (
      <p className="text-sm text-slate-600">
        {stage === "failed"
          ? "Never reached: no agent produced a plan the judge accepted."
          : "The gate decides once the judge has accepted a plan."}
      </p>
    );
  } else if (!signoff.required) {
    badge = <Badge tone="success">Auto-cleared</Badge>;
    body = <p className="text-sm text-slate-700">The policy needs no human for this plan: low risk, non-production repository, judge score above the threshold.</p>;
  } else {
    badge = approval ? (
      <Badge tone={approval.approved ? "success" : "danger"}>{approval.approved ? "Signed off" : "Rejected"}</Badge>
    ) : (
      <Badge tone="waiting" dot="pulse">
        Waiting for sign-off
      </Badge>
    );
    body = (
      <div className="space-y-3">
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Why a human must sign off</h3>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800" data-testid="signoff-reasons">
            {signoff.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
        {approval ? (
          <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2" data-testid="approval-decision">
            <p className="text-sm">
              <span className="font-semibold">{approval.approved ? "Approved" : "Rejected"}</span> by{" "}
              <span className="font-medium" data-testid="approver">
                {approval.approver}
              </span>{" "}
              <span className="text-slate-500">at {formatTimestamp(approval.decidedAt)}</span>
            </p>
            {approval.comment ? <blockquote className="mt-1 border-l-2 border-slate-300 pl-2 text-sm text-slate-700">{approval.comment}</blockquote> : null}
          </div>
        ) : stage === "awaiting-approval" ? (
          <>
            <p className="text-sm text-amber-900">
              The workflow is suspended on its durable approval promise
              {status.awaitingApprovalSince && now ? ` for ${formatDuration(millisSince(status.awaitingApprovalSince, now))}` : ""}. Nothing
              executes until someone decides.
            </p>
            <SignoffForm findingId={status.findingId} />
          </>
        ) : (
          <p className="text-sm text-slate-600">Waiting for the workflow to reach the gate…</p>
        )}
      </div>
    );
  }

  return (
    <Card id="approval" aria-labelledby="gate-title" data-testid="approval-gate" className="scroll-mt-20">
      <CardHeader>
        <div>
          <CardTitle id="gate-title">Policy gate</CardTitle>
          <CardDescription>requiresHumanSignoff(finding, verdict): plain, reviewable code.</CardDescription>
        </div>
        {badge}
      </CardHeader>
      <CardBody>{body}</CardBody>
    </Card>
  );
}
