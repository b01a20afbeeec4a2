// The outside world, as the orchestration sees it. Every call through these ports goes through
// callAdapter (./call-adapter.ts): one named ctx.run with a bounded retry policy, so an adapter (an LLM
// SDK, a git workspace, GitHub, Jira...) is swapped in restate/adapters/index.ts without touching the
// workflow. The exceptions are an agent's turn and the judge's review: they get the invocation's context
// and journal themselves, since each model call is its own durable model step. Calls that change something outside carry an
// idempotency key.
import type * as restate from "@restatedev/restate-sdk";
import type { ExternalRef, Finding, JudgeCheck, Plan, PlanChange, Usage } from "../contracts/schemas";
import type { Provenance } from "./provenance";
import type { ExecutorStyle } from "../contracts/rungs";

/** Thrown by an adapter when retrying cannot help (a 4xx from the remote system, say). */
export class PermanentAdapterError extends Error {
  override name = "PermanentAdapterError";
}

/** Thrown by an adapter when the remote system asked to be called again later (a 429 with Retry-After, say). */
export class RetryLaterAdapterError extends Error {
  override name = "RetryLaterAdapterError";
  constructor(
    message: string,
    /** How long the remote system asked us to wait; callAdapter waits that long (capped) before the next attempt. */
    readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

export type { ExecutorStyle };

/** A tool the agent may call in its workspace; `inputSchema` is JSON Schema, as model APIs take it. */
export interface ToolSpec {
  name: string;
  description: string;
  inputSchema: Record<string, unknown>;
}

export interface ToolCall {
  toolCallId: string;
  toolName: string;
  input: Record<string, unknown>;
  /** Set when the model's input did not match the tool's schema: sent back as the call's failed result, not run. */
  invalidInput?: string;
}

export interface ToolResult {
  toolCallId: string;
  toolName: string;
  output: string;
  /** The tool failed (bad path, command exited non-zero): the agent reads why and carries on. */
  isError: boolean;
  /** Set by a test run (run_tests): how it ended, for the plan's change. */
  testRun?: NonNullable<PlanChange["tests"]>;
}

/** An agent's conversation so far, in the roles model APIs use. */
export type TranscriptMessage =
  | { role: "system"; content: string }
  | { role: "user"; content: string }
  | { role: "assistant"; content: string; toolCalls: ToolCall[] }
  | { role: "tool"; results: ToolResult[] };

/** One turn of an executor agent's loop: it calls tools in its workspace, or it hands in a plan. */
export type AgentTurn = ({ kind: "tool-calls"; text: string; calls: ToolCall[] } | { kind: "plan"; text: string; plan: Plan }) & {
  /** The turn's model calls, tokens and cost; absent when no model was called (the stubs). */
  usage?: Usage;
};

export interface PlanningModel {
  readonly model: string;
  /** Makes turn `turn` as journaled step(s) of the agent's invocation `ctx`: a replay never asks the model again. */
  nextTurn(
    ctx: restate.Context,
    input: {
      agent: string;
      style: ExecutorStyle;
      /** What the model reads: the system prompt, the finding, and every turn and tool result so far. */
      transcript: readonly TranscriptMessage[];
      tools: readonly ToolSpec[];
      /** The run's subject, for idempotency keys and logs; the model's view of it is in the transcript. */
      finding: Finding;
      turn: number;
    },
  ): Promise<AgentTurn>;
}

/** A scratch checkout of the finding's repository: the revision a plan's change is based on. */
export interface WorkspaceRef extends ExternalRef {
  baseRevision: string;
  /** Set when no checkout could be made (no code host has the repository): why. The agent only describes its fix. */
  noWorkspace?: string;
}

/** Where an executor agent works: a scratch checkout it explores and changes through tools. */
export interface AgentWorkspace {
  readonly tools: readonly ToolSpec[];
  /**
   * Why no workspace can be opened for `repo` (no code host has it), or null. Absent when any repo
   * will do (the stubs, which pretend).
   */
  missingRepository?(repo: string): Promise<string | null>;
  open(input: { idempotencyKey: string; findingId: string; agent: string; repo: string }): Promise<WorkspaceRef>;
  runTool(input: { findingId: string; workspace: WorkspaceRef; call: ToolCall }): Promise<ToolResult>;
  /** What the agent changed, against the base revision: empty when it changed nothing. */
  diff(input: { findingId: string; workspace: WorkspaceRef }): Promise<{ diff: string; files: string[] }>;
  discard(input: { idempotencyKey: string; findingId: string; workspace: WorkspaceRef }): Promise<void>;
}

export interface JudgeModel {
  readonly model: string;
  /**
   * The heavy model reviews the plan, and its change (`plan.change`: the unified diff) when it carries
   * one; the plain checks it is given are the verdict's backbone. Made as journaled step(s) of `ctx`
   * named after `step` (each model call its own), so a replay never asks the model again.
   */
  review(
    ctx: restate.Context,
    input: { step: string; finding: Finding; plan: Plan; checks: JudgeCheck[] },
  ): Promise<{
    commentary: string;
    /** The model's own verdict, judged with the plain checks (the stub gives none). */
    check?: JudgeCheck;
    /** The review's model calls; absent when no model was called (the stub). */
    usage?: Usage;
  }>;
}

export interface CodeHost {
  /**
   * Puts the approved `change` (when the plan has one) on a new branch and opens a PR for it; the body
   * and the commit carry the `provenance` (./provenance.ts). The same idempotency key gives the same PR.
   */
  openPullRequest(input: {
    idempotencyKey: string;
    findingId: string;
    repo: string;
    title: string;
    branch: string;
    body: string;
    change?: PlanChange;
    provenance: Provenance;
  }): Promise<ExternalRef>;
  closePullRequest(input: { idempotencyKey: string; findingId: string; pullRequest: ExternalRef; reason: string }): Promise<void>;
}

export interface IssueTracker {
  openTicket(input: { idempotencyKey: string; findingId: string; title: string; body: string }): Promise<ExternalRef>;
  closeTicket(input: { idempotencyKey: string; findingId: string; ticket: ExternalRef; reason: string }): Promise<void>;
}

export interface ChatNotifier {
  notify(input: { idempotencyKey: string; findingId: string; channel: string; text: string }): Promise<ExternalRef>;
  /**
   * Asks the approvers for a decision where they chat, with buttons that decide the gate (`gateId`) through
   * the console. Only chats that can carry buttons have it (Slack); the gate opens the same without it.
   */
  requestApproval?(input: ApprovalRequestMessage): Promise<ExternalRef>;
  /** Reminds the approvers of a gate's deadline, or asks the escalation group once it passed (./approver-reminder.ts). */
  remindApprovers?(input: ApproverReminder): Promise<ExternalRef>;
}

/** A reminder before a gate's deadline, or the escalation when it passed. */
export interface ApproverReminder {
  idempotencyKey: string;
  finding: Finding;
  gateId: string;
  kind: "reminder" | "escalation";
  /** The deadline and the end of the escalation group's grace (ISO). */
  dueAt: string;
  finalDueAt: string;
  /** When the reminder was due (ISO): the time left is counted from it. */
  at: string;
  /** Who may decide: the rule's groups (absent: any approver), and the escalation group. */
  approverGroups?: string[];
  escalateTo: string[];
  /** The run's page in the console; absent when CONSOLE_URL is not set. */
  runUrl?: string;
}

/** What the message to approvers shows when a run's gate opens. */
export interface ApprovalRequestMessage {
  idempotencyKey: string;
  finding: Finding;
  gateId: string;
  /** Why the gate asks for a human (status.signoff.reasons). */
  reasons: string[];
  /** The run's page in the console; absent when CONSOLE_URL is not set. */
  runUrl?: string;
}

export interface EvalStore {
  exportEval(input: { idempotencyKey: string; findingId: string; record: import("../contracts/schemas").EvalRecord }): Promise<ExternalRef>;
}

export interface AuditSink {
  exportAuditRecord(input: { idempotencyKey: string; findingId: string; record: import("../contracts/schemas").AuditRecord }): Promise<ExternalRef>;
}

/** A real adapter that can reach its outside system once, cheaply and changing nothing, for the Integrations page. */
export interface ConnectionCheck {
  /** Resolves with what it reached (e.g. "signed in to Slack as remediation-bot"); throws with why not. */
  checkConnection(): Promise<string>;
}

export interface Adapters {
  planner: PlanningModel;
  workspace: AgentWorkspace;
  judge: JudgeModel;
  codeHost: CodeHost;
  issueTracker: IssueTracker;
  chat: ChatNotifier;
  evalStore: EvalStore;
  audit: AuditSink;
}
