// The workflow's durable state: every decision mirrored where `status` and the admin API can read it.
import type {
  Approval,
  Attempt,
  ExternalRef,
  Finding,
  PlanRecord,
  SignoffDecision,
  Stage,
  Verdict,
  WorkloadIdentity,
} from "../contracts/schemas";

export type RunState = {
  finding: Finding;
  stage: Stage;
  currentRung: string | null;
  attempts: Attempt[];
  plans: PlanRecord[];
  verdicts: Verdict[];
  verdict: Verdict;
  signoff: SignoffDecision;
  awaitingApprovalSince: string;
  gateId: string;
  approval: Approval;
  approvals: Approval[];
  submittedBy: string;
  submittedByAttestation: string;
  identity: WorkloadIdentity;
  ticket: ExternalRef;
  pullRequest: ExternalRef;
  notification: ExternalRef;
  evalExport: ExternalRef;
  auditRecord: ExternalRef;
  failure: string;
  startedAt: string;
  endedAt: string;
};
