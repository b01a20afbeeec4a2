// The dashboard's list of runs, a page at a time (lib/query/queries.ts has the keys).
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-client";
import { IDLE_REFRESH_MS, isLiveRun, LIVE_REFRESH_MS, polling, queryKeys, type FindingListFilters } from "./queries";

function listSearch(filters: FindingListFilters): string {
  const params = new URLSearchParams();
  if (filters.stage) params.set("stage", filters.stage);
  if (filters.severity) params.set("severity", filters.severity);
  if (filters.cursor) params.set("cursor", filters.cursor);
  if (filters.limit) params.set("limit", String(filters.limit));
  const search = params.toString();
  return search ? `?${search}` : "";
}

export const findingListQueries = {
  page: (filters: FindingListFilters) =>
    queryOptions({
      queryKey: queryKeys.findingList(filters),
      queryFn: ({ signal }) => requestJson(`/api/findings${listSearch(filters)}`, (c) => c.FindingListResponseSchema, { signal }),
      // Changing a filter or a page keeps the old rows on screen until the new ones arrive.
      placeholderData: keepPreviousData,
      refetchInterval: (query) => polling(query.state.data?.items.some(isLiveRun) ? LIVE_REFRESH_MS : IDLE_REFRESH_MS),
    }),
};
