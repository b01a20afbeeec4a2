// The outside world, as the orchestration sees it. Every call through these ports happens inside
// ctx.run, so a real adapter (an LLM SDK, GitHub, Jira...) can replace a stub without touching
// the workflow. Calls that change something outside carry an idempotency key.
import type { ExternalRef, Finding, JudgeCheck, Plan } from "../contracts/schemas";

/** Thrown by an adapter when retrying cannot help (a 4xx from the remote system, say). */
export class PermanentAdapterError extends Error {
  override name = "PermanentAdapterError";
}

export type ExecutorStyle = "fast" | "conservative";

/** One turn of an executor agent's loop: either it keeps exploring or it hands in a plan. */
export type AgentTurn = { kind: "explore"; note: string } | { kind: "plan"; plan: Plan };

export interface PlanningModel {
  nextTurn(input: {
    agent: string;
    style: ExecutorStyle;
    finding: Finding;
    priorRejections: string[];
    turn: number;
  }): Promise<AgentTurn>;
}

export interface JudgeModel {
  readonly model: string;
  /** The heavy model reviews the plan; the plain checks it is given are the verdict's backbone. */
  review(input: { finding: Finding; plan: Plan; checks: JudgeCheck[] }): Promise<{ commentary: string }>;
}

export interface CodeHost {
  openWorkspace(input: { idempotencyKey: string; findingId: string; agent: string; repo: string }): Promise<ExternalRef>;
  discardWorkspace(input: { idempotencyKey: string; findingId: string; workspace: ExternalRef }): Promise<void>;
  openPullRequest(input: {
    idempotencyKey: string;
    findingId: string;
    repo: string;
    title: string;
    branch: string;
    body: string;
  }): Promise<ExternalRef>;
  closePullRequest(input: { idempotencyKey: string; findingId: string; pullRequest: ExternalRef; reason: string }): Promise<void>;
}

export interface IssueTracker {
  openTicket(input: { idempotencyKey: string; findingId: string; title: string; body: string }): Promise<ExternalRef>;
  closeTicket(input: { idempotencyKey: string; findingId: string; ticket: ExternalRef; reason: string }): Promise<void>;
}

export interface ChatNotifier {
  notify(input: { idempotencyKey: string; findingId: string; channel: string; text: string }): Promise<ExternalRef>;
}

export interface EvalStore {
  exportEval(input: { idempotencyKey: string; findingId: string; record: import("../contracts/schemas").EvalRecord }): Promise<ExternalRef>;
}

export interface AuditSink {
  exportAuditRecord(input: { idempotencyKey: string; findingId: string; record: import("../contracts/schemas").AuditRecord }): Promise<ExternalRef>;
}

export interface Adapters {
  planner: PlanningModel;
  judge: JudgeModel;
  codeHost: CodeHost;
  issueTracker: IssueTracker;
  chat: ChatNotifier;
  evalStore: EvalStore;
  audit: AuditSink;
}
