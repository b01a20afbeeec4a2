// WebhookDeliveries, keyed by a webhook delivery's id ("github-<X-GitHub-Delivery>"): the deliveries the
// console has taken, so that a replayed one is refused by every console process alike. Each id is kept
// for the replay window the console names, then forgotten; a delivery whose handling failed is released,
// so the sender's own redelivery is taken.
import * as restate from "@restatedev/restate-sdk";
import { z } from "zod";
import { SERVICE_NAMES } from "../contracts/services";

/** The longest replay window a console may ask for (GITHUB_WEBHOOK_MAX_AGE_HOURS ≤ 90 days). */
const LONGEST_WINDOW_MS = 90 * 24 * 3600 * 1000;

export const DeliveryClaimSchema = z.object({
  /** How long the id is remembered, in milliseconds. */
  rememberForMs: z.number().int().min(60_000).max(LONGEST_WINDOW_MS, "rememberForMs must be at most 90 days"),
});
export type DeliveryClaim = z.infer<typeof DeliveryClaimSchema>;

/** When the delivery was taken (epoch ms). */
type DeliveryState = { takenAt: number };

export const webhookDeliveries = restate.object({
  name: SERVICE_NAMES.webhookDeliveries,
  handlers: {
    /** True when this delivery is new (and now taken), false when it was taken before. */
    claim: restate.handlers.object.exclusive(
      { input: restate.serde.schema(DeliveryClaimSchema), output: restate.serde.schema(z.boolean()) },
      async (ctx: restate.ObjectContext<DeliveryState>, claim: DeliveryClaim) => {
        if ((await ctx.get("takenAt")) !== null) return false;
        const takenAt = await ctx.date.now();
        ctx.set("takenAt", takenAt);
        ctx.objectSendClient(webhookDeliveries, ctx.key).forget(takenAt, restate.rpc.sendOpts({ delay: claim.rememberForMs }));
        return true;
      },
    ),
    /** Gives the delivery back after its handling failed: the sender's redelivery will be taken. */
    release: restate.handlers.object.exclusive(async (ctx: restate.ObjectContext<DeliveryState>) => {
      ctx.clearAll();
    }),
    /** The end of the window of the claim made at `takenAt` (a later claim of a released id keeps its own). */
    forget: restate.handlers.object.exclusive(
      { ingressPrivate: true, input: restate.serde.schema(z.number().int()) },
      async (ctx: restate.ObjectContext<DeliveryState>, takenAt: number) => {
        if ((await ctx.get("takenAt")) === takenAt) ctx.clearAll();
      },
    ),
  },
  options: { journalRetention: 0 },
});

export type WebhookDeliveries = typeof webhookDeliveries;
