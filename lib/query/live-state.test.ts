import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { isLiveQuery } from "./live-state";
import { queryKeys } from "./queries";

const client = new QueryClient();
const queryAt = (queryKey: readonly unknown[]) => client.getQueryCache().build(client, { queryKey });

describe("isLiveQuery", () => {
  it.each([
    ["a runs list page", queryKeys.findingList({ limit: 25 }), true],
    ["a run page", queryKeys.finding("cve-1"), true],
    ["the inbox", queryKeys.approvals, true],
    ["a journal timeline", queryKeys.journal("inv_1"), true],
    ["a journal entry (never changes)", queryKeys.journalEntry("inv_1", 3), false],
    ["the API tokens (not in the feed)", queryKeys.tokens, false],
    ["the session", queryKeys.session, false],
  ])("%s: %s", (_, key, live) => {
    expect(isLiveQuery(queryAt(key))).toBe(live);
  });
});
