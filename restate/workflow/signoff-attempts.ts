// SignoffAttempts, keyed by finding id: the run's sign-off trail and the nonces its claims spent.
// `approve` is a shared handler and cannot write the workflow's state, so it spends each signed
// claim's nonce here (exclusive, so two requests cannot both spend it) and sends each attempt here;
// `status` reads the trail back, and the audit record includes it.
// Every trail entry is numbered and signed by the services together with the previous entry's
// signature: an entry rewritten, inserted or removed through the admin API no longer verifies.
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { CLAIM_MAX_AGE_MS, CLAIM_MAX_SKEW_MS } from "../identity/signed-claims";
import { trailEntryRecord } from "../identity/record-signatures";
import { attest } from "../identity/services-signer";
import { SignoffAttemptSchema, SignoffTrailSchema, type SignoffAttempt, type SignoffTrail } from "../contracts/schemas";
import { SERVICE_NAMES } from "../contracts/services";

/** Credentialed attempts kept per run; past it the oldest are dropped and counted. */
export const MAX_SIGNOFF_ATTEMPTS = 200;
/** Attempts nobody vouched for: only a count and the latest few, so a flood cannot push real entries out. */
export const MAX_UNCREDENTIALED_KEPT = 20;

type AttemptsState = {
  attempts: SignoffAttempt[];
  dropped: number;
  /** The last sequence number given out (entries keep theirs when older ones are dropped). */
  seq: number;
  /** Signature of the newest entry: the next entry's signature covers it. */
  head: string;
  uncredentialedCount: number;
  uncredentialedRecent: SignoffAttempt[];
  /** Nonces of claims that reached the gate, with the time after which the claim is dead anyway. */
  spentNonces: Record<string, number>;
};

const RecordInputSchema = SignoffAttemptSchema.extend({
  /** False for attempts nobody vouched for (no valid console signature, nobody signed in). */
  credentialed: z.boolean(),
});
type RecordInput = z.infer<typeof RecordInputSchema>;

const SpendSchema = z.object({ nonce: z.string().min(1).max(64), issuedAt: z.string().max(40) });

async function trailOf(ctx: restate.ObjectSharedContext<AttemptsState>): Promise<SignoffTrail> {
  return {
    attempts: (await ctx.get("attempts")) ?? [],
    dropped: (await ctx.get("dropped")) ?? 0,
    uncredentialed: { count: (await ctx.get("uncredentialedCount")) ?? 0, recent: (await ctx.get("uncredentialedRecent")) ?? [] },
  };
}

export const signoffAttempts = restate.object({
  name: SERVICE_NAMES.signoffAttempts,
  handlers: {
    // Only the workflow writes the trail: closed to the ingress, so nobody can add an "accepted" attempt.
    record: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RecordInputSchema), ingressPrivate: true },
      async (ctx: restate.ObjectContext<AttemptsState>, input: RecordInput) => {
        const { credentialed, ...attempt } = input;
        if (!credentialed) {
          ctx.set("uncredentialedCount", ((await ctx.get("uncredentialedCount")) ?? 0) + 1);
          const recent = [...((await ctx.get("uncredentialedRecent")) ?? []), attempt].slice(-MAX_UNCREDENTIALED_KEPT);
          ctx.set("uncredentialedRecent", recent);
          return;
        }
        const seq = ((await ctx.get("seq")) ?? 0) + 1;
        const previous = (await ctx.get("head")) ?? null;
        const numbered: SignoffAttempt = { ...attempt, seq, previous };
        const attestation = attest("signoff-attempt", ctx.key, trailEntryRecord(numbered));
        const entry: SignoffAttempt = attestation ? { ...numbered, attestation } : numbered;
        const attempts = [...((await ctx.get("attempts")) ?? []), entry];
        if (attempts.length > MAX_SIGNOFF_ATTEMPTS) {
          const extra = attempts.length - MAX_SIGNOFF_ATTEMPTS;
          attempts.splice(0, extra);
          ctx.set("dropped", ((await ctx.get("dropped")) ?? 0) + extra);
        }
        ctx.set("attempts", attempts);
        ctx.set("seq", seq);
        if (attestation) ctx.set("head", attestation);
      },
    ),
    /**
     * Spends a signed claim's nonce: true the first time, false ever after. Every claim that reaches
     * the gate spends it, accepted or refused, so a refused sign-off can never be replayed later.
     */
    spend: restate.handlers.object.exclusive(
      { input: restate.serde.schema(SpendSchema), output: restate.serde.schema(z.boolean()), ingressPrivate: true },
      async (ctx: restate.ObjectContext<AttemptsState>, { nonce, issuedAt }: z.infer<typeof SpendSchema>) => {
        const spent = (await ctx.get("spentNonces")) ?? {};
        if (Object.hasOwn(spent, nonce)) return false;
        const now = await ctx.date.now();
        // A claim is dead past its age limit anyway: forget those nonces so the set stays small.
        const live = Object.fromEntries(Object.entries(spent).filter(([, deadAfter]) => deadAfter > now));
        const issued = Date.parse(issuedAt);
        live[nonce] = (Number.isNaN(issued) ? now : Math.max(issued, now)) + CLAIM_MAX_AGE_MS + CLAIM_MAX_SKEW_MS;
        ctx.set("spentNonces", live);
        return true;
      },
    ),
    list: restate.handlers.object.shared(
      { output: restate.serde.schema(SignoffTrailSchema) },
      async (ctx: restate.ObjectSharedContext<AttemptsState>) => await trailOf(ctx),
    ),
  },
  // `status` reads the list on every call: keep no journal of those reads once they are answered.
  options: { journalRetention: 0 },
});

export type SignoffAttempts = typeof signoffAttempts;
