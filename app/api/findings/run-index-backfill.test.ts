// The run list after an upgrade: runs the index has never heard of are missing from GET /api/findings
// until the backfill (npm run index:backfill) puts them in, in order and under their stage; a second
// backfill changes nothing.
import { describe, expect, it } from "vitest";
import type { FindingListResponse, SubmitFindingResponse } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, eventually, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
const routes = routeModule(() => import("./route"));
const backfill = routeModule(() => import("@/lib/server/run-index"));

const submit = (body: unknown) => callRoute<SubmitFindingResponse>(routes.POST, "/api/findings", { method: "POST", body });
const listed = async (query = "") => (await callRoute<FindingListResponse>(routes.GET, `/api/findings?limit=200${query}`)).body.items.map((item) => item.id);

/** Forgets a run list, as an engine that ran runs before the index existed has never written it. */
async function forgetList(key: string): Promise<void> {
  const response = await fetch(`${ctx.stack.server.adminUrl}/services/RunIndex/state`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ object_key: key, new_state: {} }),
  });
  expect(response.ok).toBe(true);
}

describe("the run index backfill", () => {
  it("lists runs the index never heard of once backfilled, newest first and under their stage, and twice is once", async () => {
    const runs = [finding({ severity: "low" }), finding({ severity: "medium", repo: "orders-db" }), finding({ severity: "low" })];
    for (const run of runs) expect((await submit(run)).status).toBe(202);
    for (const run of runs) await ctx.stack.waitForStage(run.id, "completed");
    const ours = (ids: string[]) => ids.filter((id) => runs.some((run) => run.id === id));
    const newestFirst = runs.map((run) => run.id).reverse();
    await eventually(async () => expect(ours(await listed("&stage=completed"))).toEqual(newestFirst));

    for (const key of ["all", "stage:completed"]) await forgetList(key);
    expect(ours(await listed())).toEqual([]);
    expect(ours(await listed("&stage=completed"))).toEqual([]);

    const first = await backfill.backfillRunIndex();
    expect(first.indexed).toBeGreaterThanOrEqual(runs.length);
    expect(ours(await listed())).toEqual(newestFirst);
    expect(ours(await listed("&stage=completed"))).toEqual(newestFirst);
    expect(ours(await listed("&severity=low"))).toEqual([runs[2]!.id, runs[0]!.id]);

    await backfill.backfillRunIndex();
    expect(ours(await listed())).toEqual(newestFirst);
  });
});
