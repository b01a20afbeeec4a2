import { describe, expect, it } from "vitest";
import { listOfFeed, RUN_INDEX_FEEDS, runIndexFeedKey, runIndexKey } from "./run-index";

describe("run list feeds", () => {
  it("sends a run's writes to one list through the same feed every time, and spreads runs over all the feeds", () => {
    const list = runIndexKey("completed");
    expect(runIndexFeedKey(list, "cve-2026-0001")).toBe(runIndexFeedKey(list, "cve-2026-0001"));
    const used = new Set(Array.from({ length: 400 }, (_, i) => runIndexFeedKey(list, `finding-${i}`)));
    expect(used.size).toBe(RUN_INDEX_FEEDS);
    for (const key of used) expect(listOfFeed(key)).toBe(list);
  });

  it("names the list of a feed key, and no list for anything else", () => {
    expect(listOfFeed("all~0")).toBe("all");
    expect(listOfFeed(`stage:awaiting-approval~${RUN_INDEX_FEEDS - 1}`)).toBe("stage:awaiting-approval");
    for (const key of ["all", `all~${RUN_INDEX_FEEDS}`, "all~-1", "all~1~2", "all~x", "stage:unknown~1", "~1", "all~"]) expect(listOfFeed(key)).toBeNull();
  });
});
