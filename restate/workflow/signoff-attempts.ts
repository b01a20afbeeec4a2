// SignoffAttempts, keyed by finding id: every call to the workflow's `approve` handler on an existing
// run, accepted or refused. `approve` is a shared handler and cannot write the workflow's state, so
// it sends each attempt here; `status` reads them back, and the audit record includes them.
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { SignoffAttemptSchema, type SignoffAttempt } from "../schemas";

/** A flood of forged attempts must not grow one run's state without bound: the oldest are dropped. */
export const MAX_SIGNOFF_ATTEMPTS = 200;

type AttemptsState = { attempts: SignoffAttempt[]; dropped: number };

export const signoffAttempts = restate.object({
  name: "SignoffAttempts",
  handlers: {
    // Only the workflow writes the trail: closed to the ingress, so nobody can add an "accepted" attempt.
    record: restate.handlers.object.exclusive(
      { input: restate.serde.schema(SignoffAttemptSchema), ingressPrivate: true },
      async (ctx: restate.ObjectContext<AttemptsState>, attempt: SignoffAttempt) => {
        const attempts = [...((await ctx.get("attempts")) ?? []), attempt];
        if (attempts.length > MAX_SIGNOFF_ATTEMPTS) {
          const extra = attempts.length - MAX_SIGNOFF_ATTEMPTS;
          attempts.splice(0, extra);
          ctx.set("dropped", ((await ctx.get("dropped")) ?? 0) + extra);
        }
        ctx.set("attempts", attempts);
      },
    ),
    list: restate.handlers.object.shared(
      { output: restate.serde.schema(z.array(SignoffAttemptSchema)) },
      async (ctx: restate.ObjectSharedContext<AttemptsState>) => (await ctx.get("attempts")) ?? [],
    ),
  },
  // `status` reads the list on every call: keep no journal of those reads once they are answered.
  options: { journalRetention: 0 },
});

export type SignoffAttempts = typeof signoffAttempts;
