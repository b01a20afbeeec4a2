// After the gate: the accepted plan's effects on the outside world, in order, each once. When one
// fails for good, the ones already done are undone (newest first) and EffectsAborted says what.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters";
import { ExternalRefSchema, type ExternalRef, type Finding, type Plan } from "../contracts/schemas";
import type { RunState } from "./run-state";
import { Compensations, runEffect } from "./side-effects";

const refSerde = restate.serde.schema(ExternalRefSchema);

export interface ExecutedPlan {
  ticket: ExternalRef;
  pullRequest: ExternalRef;
  notification: ExternalRef;
}

export class EffectsAborted extends restate.TerminalError {
  constructor(
    failed: restate.TerminalError,
    readonly compensated: string[],
  ) {
    super(`A side effect failed for good: ${failed.message}. ${compensated.length ? `Compensated: ${compensated.join(", ")}.` : "Nothing to compensate."}`, {
      errorCode: 502,
    });
  }
}

/** `key(effect)` gives each effect its idempotency key. */
export async function executePlan(
  ctx: restate.WorkflowContext<RunState>,
  finding: Finding,
  plan: Plan,
  key: (effect: string) => string,
): Promise<ExecutedPlan> {
  const compensations = new Compensations();
  const reason = "remediation aborted";
  try {
    const ticket = await runEffect(
      ctx,
      "open ticket",
      () => adapters.issueTracker.openTicket({ idempotencyKey: key("ticket"), findingId: finding.id, ...plan.ticket }),
      refSerde,
    );
    ctx.set("ticket", ticket);
    compensations.add(`closed ticket ${ticket.id}`, () =>
      runEffect(ctx, "compensate: close ticket", () =>
        adapters.issueTracker.closeTicket({ idempotencyKey: key("ticket-close"), findingId: finding.id, ticket, reason }),
      ),
    );

    const pullRequest = await runEffect(
      ctx,
      "open pull request",
      () =>
        adapters.codeHost.openPullRequest({
          idempotencyKey: key("pull-request"),
          findingId: finding.id,
          repo: finding.repo,
          title: plan.pullRequest.title,
          branch: plan.pullRequest.branch,
          body: `${plan.pullRequest.body}\n\nTicket: ${ticket.id}`,
        }),
      refSerde,
    );
    ctx.set("pullRequest", pullRequest);
    compensations.add(`closed pull request ${pullRequest.id}`, () =>
      runEffect(ctx, "compensate: close pull request", () =>
        adapters.codeHost.closePullRequest({ idempotencyKey: key("pull-request-close"), findingId: finding.id, pullRequest, reason }),
      ),
    );

    const notification = await runEffect(
      ctx,
      "notify channel",
      () =>
        adapters.chat.notify({
          idempotencyKey: key("notification"),
          findingId: finding.id,
          channel: "#sec-remediation",
          text: `${finding.id}: ${plan.agent}'s plan is in review as ${pullRequest.id} (${ticket.id}).`,
        }),
      refSerde,
    );
    ctx.set("notification", notification);
    return { ticket, pullRequest, notification };
  } catch (error) {
    if (!(error instanceof restate.TerminalError)) throw error;
    throw new EffectsAborted(error, await compensations.runAll());
  }
}
