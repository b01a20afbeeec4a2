import { describe, expect, it } from "vitest";
import type { FindingListResponse, FindingSummary } from "@/lib/api/contracts";
import { applyRunChanges } from "./live-cache";

const run = (id: string, createdAt: string, overrides: Partial<FindingSummary> = {}): FindingSummary => ({
  id,
  invocationId: `inv_${id}`,
  severity: "low",
  repo: "web-storefront",
  source: "snyk",
  description: "outdated lodash",
  stage: "planning",
  refusal: null,
  invocationStatus: "running",
  currentRung: "fastExecutor",
  lastVerdict: null,
  waitingSince: null,
  createdAt: `2026-11-28T10:00:${createdAt}.000Z`,
  endedAt: null,
  ...overrides,
});
const page = (items: FindingSummary[], nextCursor: string | null = null): FindingListResponse => ({ items, nextCursor, waitingForSignoff: 0 });
const ids = (result: FindingListResponse | null) => result?.items.map((item) => item.id);

const c = run("c", "30");
const b = run("b", "20");
const a = run("a", "10");

describe("applyRunChanges", () => {
  it("replaces a run in place and carries the gate count", () => {
    const gated = { ...b, stage: "awaiting-approval" as const };
    const result = applyRunChanges(page([c, b, a]), { limit: 25 }, [gated], 3);
    expect(result?.items).toEqual([c, gated, a]);
    expect(result?.waitingForSignoff).toBe(3);
  });

  it.each([
    ["a new run on the first page goes on top", page([c, b]), {}, run("d", "40"), ["d", "c", "b"]],
    ["a run between two of the page's goes between them", page([c, a]), {}, b, ["c", "b", "a"]],
    ["a run older than the last page's last run goes at its end", page([c, b]), {}, a, ["c", "b", "a"]],
    ["a run older than a page with more after it belongs to a later page", page([c, b], "cursor-b"), {}, a, ["c", "b"]],
    ["a run that no longer matches the stage filter leaves the page", page([c, b]), { stage: "planning" as const }, { ...b, stage: "judging" as const }, ["c"]],
    ["a run that does not match the filters is not added", page([c]), { severity: "high" as const }, run("d", "40"), ["c"]],
    ["a run that now matches the filter joins the page", page([c, a]), { stage: "planning" as const }, b, ["c", "b", "a"]],
    ["an empty last page takes the run", page([]), {}, a, ["a"]],
    ["a submission refused at the door stays off the list of all runs", page([c]), {}, run("d", "40", { stage: "refused" }), ["c"]],
    ["a submission refused at the door joins the refused filter's page", page([]), { stage: "refused" as const }, run("d", "40", { stage: "refused" }), ["d"]],
  ])("%s", (_, list, filters, changed, expected) => {
    expect(ids(applyRunChanges(list, { limit: 25, ...filters }, [changed], 0))).toEqual(expected);
  });

  it.each([
    ["before the first run of a page after the first (it may belong to the page before)", page([b, a]), { cursor: "cursor-c" }, run("d", "40")],
    ["on an empty page with more after it", page([], "cursor-x"), {}, a],
  ])("asks for the page again when a run belongs %s", (_, list, filters, changed) => {
    expect(applyRunChanges(list, { limit: 25, ...filters }, [changed], 0)).toBeNull();
  });

  it("asks for the page again once it grew to twice its size", () => {
    const full = page([c, b]);
    expect(applyRunChanges(full, { limit: 2 }, [run("d", "40")], 0)?.items).toHaveLength(3);
    expect(applyRunChanges(full, { limit: 1 }, [run("d", "40")], 0)).toBeNull();
  });

  it("orders runs created in the same millisecond by invocation id, as the server pages them", () => {
    const twin = run("b2", "20", { invocationId: "inv_b9" });
    expect(ids(applyRunChanges(page([c, b, a]), { limit: 25 }, [twin], 0))).toEqual(["c", "b2", "b", "a"]);
  });
});
