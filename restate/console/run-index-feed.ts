// RunIndexFeed: the way a run's writes reach a run list (restate/console/run-index.ts) in batches. A
// list takes calls one at a time, so a write per call held the list to a few runs a second on a busy
// machine and a burst left thousands of calls queued on one key. Each list has RUN_INDEX_FEEDS feeds
// (`<list>~<n>`); a run always writes through the same one (runIndexFeedKey), so its writes stay in
// order. A feed keeps the writes that arrive and hands them to the list in one `apply` call, waiting
// for it to finish: at most one batch per feed is in flight, and while the list is busy the next
// batch grows instead of the list's queue.
import * as restate from "@restatedev/restate-sdk";
import { listOfFeed, RUN_INDEX_BATCH, RunIndexWriteSchema, type RunIndexWrite } from "../contracts/run-index";
import { SERVICE_NAMES } from "../contracts/services";
import { runIndex } from "./run-index";

interface FeedState {
  /** Writes not yet handed to the list, oldest first. */
  pending: RunIndexWrite[];
}
type Ctx = restate.ObjectContext<FeedState>;

function listOf(ctx: Ctx): string {
  const list = listOfFeed(ctx.key);
  if (!list) throw new restate.TerminalError(`No run list feed "${ctx.key}": feeds are "<list>~<n>" with n below the feed count.`, { errorCode: 404 });
  return list;
}

export const runIndexFeed = restate.object({
  name: SERVICE_NAMES.runIndexFeed,
  handlers: {
    /** From the workflow (one-way): keeps the write; the first write of a batch asks for its hand-over. */
    write: restate.handlers.object.exclusive(
      { input: restate.serde.schema(RunIndexWriteSchema), ingressPrivate: true },
      async (ctx: Ctx, write: RunIndexWrite) => {
        listOf(ctx);
        const pending = (await ctx.get("pending")) ?? [];
        ctx.set("pending", [...pending, write]);
        // A hand-over is already queued behind this write whenever writes were pending.
        if (pending.length === 0) ctx.objectSendClient(runIndexFeed, ctx.key).flush();
      },
    ),
    /** Hands the pending writes to the list (RUN_INDEX_BATCH at most per call) and waits until it has applied them. */
    flush: restate.handlers.object.exclusive({ ingressPrivate: true }, async (ctx: Ctx) => {
      const list = listOf(ctx);
      const pending = (await ctx.get("pending")) ?? [];
      const batch = pending.slice(0, RUN_INDEX_BATCH);
      const rest = pending.slice(RUN_INDEX_BATCH);
      if (rest.length > 0) {
        ctx.set("pending", rest);
        ctx.objectSendClient(runIndexFeed, ctx.key).flush();
      } else ctx.clear("pending");
      if (batch.length > 0) await ctx.objectClient(runIndex, list).apply({ writes: batch });
    }),
  },
  options: { journalRetention: 0 },
});

export type RunIndexFeed = typeof runIndexFeed;
