"use client";
// The policy gate: why a human must sign off, who did and what they said, every refused attempt, or
// the sign-off form while the workflow is suspended on its durable approval promise. The form signs as
// the signed-in operator; operators whose role cannot sign off do not see it (the API refuses them anyway).
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useId, useState, type FormEvent, type ReactNode } from "react";
import { ROLES, can } from "@/lib/auth/grants";
import { ApiRequestError, describeError, loadContracts } from "@/lib/query/api-client";
import { findingMutations } from "@/lib/query/finding-mutations";
import { gateDecided, rejectionRefusal } from "@/restate/contracts/gate";
import type { Approval, Status } from "@/restate/contracts/schemas";
import { GateDeadlineNote } from "./gate-deadline";
import { GateRule } from "./gate-rule";
import { formatDuration, formatTimestamp, millisSince } from "./time-format";
import { Badge } from "./ui/badge";
import { Button } from "./ui/button";
import { Card } from "./ui/card";
import { CardBody, CardDescription, CardHeader, CardTitle } from "./ui/card-parts";
import { Textarea } from "./ui/controls";
import { Field } from "./ui/field";
import { Notice } from "./ui/notice";
import { useNow } from "./use-now";
import { useOperator } from "./use-operator";

/** The roles that may sign off, as lib/auth/grants grants them. */
const SIGNING_ROLES = ROLES.filter((role) => can([role], "approve"));

function SignoffForm({ findingId, signingAs, step }: { findingId: string; signingAs: string; step: string | null }) {
  const queryClient = useQueryClient();
  const decide = useMutation(findingMutations.decide(queryClient, findingId));
  const [comment, setComment] = useState("");
  const [errors, setErrors] = useState<{ comment?: string }>({});
  const idPrefix = useId();

  const send = async (approved: boolean) => {
    const { ApprovalInputSchema } = await loadContracts();
    const parsed = ApprovalInputSchema.safeParse({ approved, comment: comment.trim() ? comment : undefined });
    if (!parsed.success) {
      setErrors({ comment: parsed.error.issues.find((issue) => issue.path[0] === "comment")?.message });
      return;
    }
    const refusal = rejectionRefusal(parsed.data);
    if (refusal) {
      setErrors({ comment: refusal });
      return;
    }
    setErrors({});
    decide.mutate(parsed.data, {
      onError: (error) => {
        if (error instanceof ApiRequestError) setErrors({ comment: error.fields.comment });
      },
    });
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const submitter = (event.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    void send(submitter?.value !== "reject");
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
      <p className="text-sm text-slate-700" data-testid="signing-as">
        You sign as <span className="font-medium">{signingAs}</span>
        {step ? ` (${step})` : ""}; the console signs your decision and the workflow checks that signature.
      </p>
      <Field id={`${idPrefix}-comment`} label="Comment" error={errors.comment} hint="Lands in the durable journal with your decision.">
        {(control) => <Textarea {...control} name="comment" rows={3} value={comment} onChange={(event) => setComment(event.target.value)} />}
      </Field>
      <div className="flex flex-wrap gap-2">
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

function Decision({ approval, testId }: { approval: Approval; testId: string }) {
  return (
    <div className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2" data-testid={testId}>
      <p className="text-sm">
        <span className="font-semibold">{approval.approved ? "Approved" : "Rejected"}</span> by{" "}
        <span className="font-medium" data-testid="approver">
          {approval.approver}
        </span>{" "}
        <span className="text-slate-500">at {formatTimestamp(approval.decidedAt)}</span>
      </p>
      {approval.comment ? <blockquote className="mt-1 border-l-2 border-slate-300 pl-2 text-sm text-slate-700">{approval.comment}</blockquote> : null}
    </div>
  );
}

/** Refused sign-off attempts (self-approval, too early, wrong role...): part of the audit trail. */
function RefusedAttempts({ status }: { status: Status }) {
  const refused = status.signoffAttempts.filter((attempt) => !attempt.accepted);
  const { uncredentialedAttempts: anonymous, signoffAttemptsDropped: dropped } = status;
  if (!refused.length && !anonymous.count && !dropped) return null;
  return (
    <div data-testid="refused-attempts">
      <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Refused sign-off attempts</h3>
      <ul className="mt-1 space-y-0.5 text-sm break-words text-slate-700">
        {refused.map((attempt) => (
          <li key={`${attempt.seq ?? attempt.at}-${attempt.approver}-${attempt.reason}`}>
            {formatTimestamp(attempt.at)}: {attempt.approved ? "approval" : "rejection"} claimed by {attempt.approver}
            {attempt.signed ? "" : " (unsigned)"}: {attempt.reason}
          </li>
        ))}
      </ul>
      {dropped ? (
        <p className="mt-1 text-sm text-amber-800" data-testid="trail-dropped">
          {dropped} older {dropped === 1 ? "entry was" : "entries were"} dropped from this trail (it keeps the latest 200).
        </p>
      ) : null}
      {anonymous.count ? (
        <details className="mt-1 text-sm text-slate-700" data-testid="uncredentialed-attempts">
          <summary className="cursor-pointer">
            {anonymous.count} {anonymous.count === 1 ? "attempt" : "attempts"} without valid credentials (unsigned or forged, or nobody signed in)
          </summary>
          <ul className="mt-1 space-y-0.5 pl-3">
            {anonymous.recent.map((attempt, i) => (
              <li key={`${attempt.at}-${i}`}>
                {formatTimestamp(attempt.at)}: claimed by {attempt.approver}: {attempt.reason}
              </li>
            ))}
          </ul>
          {anonymous.count > anonymous.recent.length ? <p className="pl-3 text-slate-500">Only the latest {anonymous.recent.length} are kept.</p> : null}
        </details>
      ) : null}
    </div>
  );
}

export function ApprovalGate({ status }: { status: Status }) {
  const now = useNow();
  const { operator, may } = useOperator();
  const { signoff, approval, stage } = status;
  const approvals = status.approvals.length ? status.approvals : approval ? [approval] : [];
  const required = signoff?.approvalsRequired ?? 1;
  const decided = gateDecided(approvals, required);

  let body: ReactNode;
  let badge: ReactNode = null;
  if (!signoff) {
    badge = <Badge tone="muted">Not reached</Badge>;
    body = (
      <p className="text-sm text-slate-600">
        {stage === "failed" ? "Never reached: no agent produced a plan the judge accepted." : "The gate decides once the judge has accepted a plan."}
      </p>
    );
  } else if (!signoff.required) {
    badge = <Badge tone="success">Auto-cleared</Badge>;
    body = (
      <p className="text-sm text-slate-700">
        The policy needs no human for this plan{signoff.rule ? ` (rule ${signoff.rule.name}: ${signoff.rule.because.join("; ")})` : ""}.
      </p>
    );
  } else {
    badge =
      decided && approval ? (
        <Badge tone={approval.approved ? "success" : "danger"}>{approval.approved ? "Signed off" : "Rejected"}</Badge>
      ) : stage === "expired" ? (
        <Badge tone="neutral">Expired</Badge>
      ) : (
        <Badge tone="waiting" dot="pulse">
          Waiting for sign-off
        </Badge>
      );
    body = (
      <div className="space-y-3">
        <GateRule signoff={signoff} />
        <div>
          <h3 className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Why a human must sign off</h3>
          <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-800" data-testid="signoff-reasons">
            {signoff.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
        {status.submittedBy ? (
          <p className="text-sm text-slate-600">
            Submitted by{" "}
            <span className="font-medium" data-testid="submitted-by">
              {status.submittedBy}
            </span>
            {required > 1 ? `; needs ${required} different approvers, and not the submitter` : "; the submitter cannot approve it"}.
          </p>
        ) : null}
        <GateDeadlineNote status={status} />
        {approvals.map((decision, index) => (
          <Decision
            key={`${decision.approver}-${decision.decidedAt}`}
            approval={decision}
            testId={index === approvals.length - 1 && decided ? "approval-decision" : "approval-partial"}
          />
        ))}
        {decided ? null : stage === "awaiting-approval" ? (
          <>
            <p className="text-sm text-amber-900">
              The workflow is suspended on its durable approval promise
              {status.awaitingApprovalSince && now ? ` for ${formatDuration(millisSince(status.awaitingApprovalSince, now))}` : ""}. Nothing executes until{" "}
              {required > 1 ? `${required - approvals.length} more approver${required - approvals.length > 1 ? "s" : ""} decide` : "someone decides"}.
            </p>
            {operator && may("approve") ? (
              <SignoffForm
                findingId={status.findingId}
                signingAs={operator.username}
                step={required > 1 ? `approval ${approvals.length + 1} of ${required}` : null}
              />
            ) : (
              <p className="text-sm text-slate-600" data-testid="no-signoff-role">
                Your role ({operator?.roles.join(", ") ?? "none"}) cannot sign off; that takes the role {SIGNING_ROLES.join(" or ")}.
              </p>
            )}
          </>
        ) : stage === "expired" ? null : (
          <p className="text-sm text-slate-600">Waiting for the workflow to reach the gate…</p>
        )}
        <RefusedAttempts status={status} />
      </div>
    );
  }

  return (
    <Card id="approval" aria-labelledby="gate-title" data-testid="approval-gate" className="scroll-mt-20">
      <CardHeader>
        <div>
          <CardTitle id="gate-title">Policy gate</CardTitle>
          <CardDescription>The sign-off policy: the first of its rules that matches the plan decides.</CardDescription>
        </div>
        {badge}
      </CardHeader>
      <CardBody>{body}</CardBody>
    </Card>
  );
}
