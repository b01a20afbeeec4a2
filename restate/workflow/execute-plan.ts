// After the gate: the accepted plan's effects on the outside world, in order, each once. When one
// fails for good, the ones already done are undone (newest first) and EffectsAborted says what.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters";
import type { Provenance } from "../adapters/provenance";
import type { ExternalRef, Finding, Plan } from "../contracts/schemas";
import type { RunState } from "./run-state";
import { Compensations, externalRefSerde, runEffect } from "./side-effects";
import { isCancellation } from "../adapters/call-adapter";

export interface ExecutedPlan {
  ticket: ExternalRef;
  pullRequest: ExternalRef;
  notification: ExternalRef;
}

/** The effects stopped: one failed for good, or the run was cancelled (`cancelled`); what was done is undone. */
export class EffectsAborted extends restate.TerminalError {
  readonly cancelled: boolean;
  /** What was undone, as one sentence. */
  readonly compensation: string;
  constructor(
    failed: restate.TerminalError,
    readonly compensated: string[],
  ) {
    const compensation = compensated.length ? `Compensated: ${compensated.join(", ")}.` : "Nothing to compensate.";
    const cancelled = isCancellation(failed);
    super(cancelled ? `The run was cancelled while executing. ${compensation}` : `A side effect failed for good: ${failed.message}. ${compensation}`, {
      errorCode: cancelled ? 409 : 502,
    });
    this.cancelled = cancelled;
    this.compensation = compensation;
  }
}

/** `key(effect)` gives each effect its idempotency key. */
export async function executePlan(
  ctx: restate.WorkflowContext<RunState>,
  finding: Finding,
  plan: Plan,
  key: (effect: string) => string,
  provenance: Provenance,
): Promise<ExecutedPlan> {
  const compensations = new Compensations();
  const reason = "remediation aborted";
  try {
    // Each effect runs once, its reference is kept in state (the run page shows it), and what can be
    // undone is registered for compensation.
    const effect = async (
      name: string,
      stateKey: "ticket" | "pullRequest" | "notification",
      run: () => Promise<ExternalRef>,
      undo?: { name: string; done: (ref: ExternalRef) => string; run: (ref: ExternalRef) => Promise<void> },
    ) => {
      const ref = await runEffect(ctx, name, run, externalRefSerde);
      ctx.set(stateKey, ref);
      if (undo) compensations.add(undo.done(ref), () => runEffect(ctx, undo.name, () => undo.run(ref)));
      return ref;
    };

    const ticket = await effect(
      "open ticket",
      "ticket",
      () => adapters.issueTracker.openTicket({ idempotencyKey: key("ticket"), findingId: finding.id, ...plan.ticket }),
      {
        name: "compensate: close ticket",
        done: (opened) => `closed ticket ${opened.id}`,
        run: (opened) => adapters.issueTracker.closeTicket({ idempotencyKey: key("ticket-close"), findingId: finding.id, ticket: opened, reason }),
      },
    );

    const pullRequest = await effect(
      "open pull request",
      "pullRequest",
      () =>
        adapters.codeHost.openPullRequest({
          idempotencyKey: key("pull-request"),
          findingId: finding.id,
          repo: finding.repo,
          title: plan.pullRequest.title,
          branch: plan.pullRequest.branch,
          body: `${plan.pullRequest.body}\n\nTicket: ${ticket.id}`,
          change: plan.change,
          provenance,
        }),
      {
        name: "compensate: close pull request",
        done: (opened) => `closed pull request ${opened.id}`,
        run: (opened) => adapters.codeHost.closePullRequest({ idempotencyKey: key("pull-request-close"), findingId: finding.id, pullRequest: opened, reason }),
      },
    );

    const notification = await effect("notify channel", "notification", () =>
      adapters.chat.notify({
        idempotencyKey: key("notification"),
        findingId: finding.id,
        channel: "#sec-remediation",
        text: `${finding.id}: ${plan.agent}'s plan is in review as ${pullRequest.id} (${ticket.id}).`,
      }),
    );
    return { ticket, pullRequest, notification };
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    throw new EffectsAborted(error, await compensations.runAll());
  }
}
