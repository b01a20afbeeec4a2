// A gate's deadline (signoff.deadline): durable timers, created as the gate opens, raced against its
// next decision. Reminders go to the approvers through the chat, the escalation group is asked at the
// deadline, and when the final deadline passes undecided the gate expires: its next approval promise is
// rejected by the workflow, so a decision can no longer land (and a decision that landed first wins).
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters";
import { callAdapterOrWarn, EFFECT_RETRY, isCancellation } from "../adapters/call-adapter";
import type { ApproverReminder } from "../adapters/ports";
import { deadlineEvents, openDeadline, type DeadlineEvent } from "../contracts/gate-deadline";
import type { GateDeadlinePolicy } from "../contracts/policy";
import type { Approval, Finding, GateDeadlineState } from "../contracts/schemas";
import type { RunState } from "./run-state";

type RunContext = restate.WorkflowContext<RunState>;

/** Why a gate's approval promise was rejected: read by `approve` when a decision comes after the expiry. */
export const GATE_EXPIRED = "the gate's final deadline passed before a decision";

export interface GateClockInput {
  finding: Finding;
  gateId: string;
  policy: GateDeadlinePolicy;
  /** Epoch ms: the gate opened then. */
  openedAt: number;
  approverGroups?: string[];
  runUrl?: string;
}

/**
 * Records the deadline (state key `deadline`) and starts the gate's timers. Call it before the stage
 * says "awaiting-approval", so a reader that sees the gate open also sees its deadline.
 */
export function startGateClock(ctx: RunContext, input: GateClockInput): GateClock {
  const state = openDeadline(input.policy, input.openedAt);
  ctx.set("deadline", state);
  const timers = deadlineEvents(input.policy).map((event) => ({ event, fired: ctx.sleep(event.afterMs, timerName(event)) }));
  return new GateClock(ctx, input, state, timers);
}

const timerName = (event: DeadlineEvent) => (event.kind === "reminder" ? `reminder ${event.index + 1}` : event.kind);

export class GateClock {
  private next = 0;

  constructor(
    private readonly ctx: RunContext,
    private readonly input: GateClockInput,
    private current: GateDeadlineState,
    private readonly timers: { event: DeadlineEvent; fired: restate.RestatePromise<void> }[],
  ) {}

  /** The deadline as recorded so far. */
  get state(): GateDeadlineState {
    return this.current;
  }

  /** The gate's n-th decision, doing what each timer asks while it waits; null when the gate expired first. */
  async nextDecision(promise: restate.DurablePromise<Approval>): Promise<Approval | null> {
    const decision = promise.get().map((approval, failure) => {
      if (failure) throw failure;
      return approval!;
    });
    for (; this.next < this.timers.length; this.next += 1) {
      const { event, fired } = this.timers[this.next]!;
      const first = await restate.RestatePromise.race([
        decision,
        fired.map((_, failure) => {
          if (failure) throw failure;
          return null;
        }),
      ]);
      if (first) return first;
      if (event.kind === "expiry") return await this.expire(promise, decision);
      const at = new Date(this.input.openedAt + event.afterMs).toISOString();
      if (event.kind === "escalation") {
        this.record({ ...this.current, escalatedAt: new Date(await this.ctx.date.now()).toISOString() });
        await this.remind(event, at, `${this.ctx.request().id}/escalation-${this.input.gateId}`);
      } else if (await this.remind(event, at, `${this.ctx.request().id}/reminder-${this.input.gateId}-${event.index}`)) {
        this.record({ ...this.current, remindersSent: [...this.current.remindersSent, new Date(await this.ctx.date.now()).toISOString()] });
      }
    }
    return await decision;
  }

  private record(state: GateDeadlineState) {
    this.current = state;
    this.ctx.set("deadline", state);
  }

  /**
   * Closes the gate: the workflow rejects the approval promise the next decision would resolve. When a
   * decision resolved it first, that decision stands.
   */
  private async expire(promise: restate.DurablePromise<Approval>, decision: restate.RestatePromise<Approval>): Promise<Approval | null> {
    try {
      await promise.reject(GATE_EXPIRED);
      return null;
    } catch (error) {
      if (!(error instanceof restate.TerminalError) || isCancellation(error)) throw error;
      return await decision;
    }
  }

  /**
   * One reminder or the escalation, as a journaled step; true when it went out. A chat that refuses it
   * leaves the gate as it is: the console's inbox still shows the deadline.
   */
  private async remind(event: DeadlineEvent, at: string, idempotencyKey: string): Promise<boolean> {
    const chat = adapters.chat;
    if (!chat.remindApprovers) return false;
    const { finding, gateId, policy, approverGroups, runUrl } = this.input;
    const reminder: ApproverReminder = {
      idempotencyKey,
      finding,
      gateId,
      kind: event.kind === "escalation" ? "escalation" : "reminder",
      dueAt: this.current.dueAt,
      finalDueAt: this.current.finalDueAt,
      at,
      escalateTo: policy.escalateTo,
      ...(approverGroups ? { approverGroups } : {}),
      ...(runUrl ? { runUrl } : {}),
    };
    const sent = await callAdapterOrWarn(
      this.ctx,
      event.kind === "escalation" ? "escalate to approvers" : `remind approvers ${timerName(event)}`,
      () => chat.remindApprovers!(reminder),
      { retry: EFFECT_RETRY },
      `could not send the ${reminder.kind} for ${finding.id} in chat`,
    );
    return sent !== null;
  }
}
