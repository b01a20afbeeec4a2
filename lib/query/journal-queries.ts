// A workflow invocation's journal: the timeline and one entry (lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-client";
import { LIVE_REFRESH_MS, polling, queryKeys, segment } from "./queries";

export const journalQueries = {
  timeline: (invocationId: string) =>
    queryOptions({
      queryKey: queryKeys.journal(invocationId),
      queryFn: ({ signal }) => requestJson(`/api/invocations/${segment(invocationId)}/journal`, (c) => c.JournalTimelineSchema, { signal }),
      refetchInterval: (query) => {
        const status = query.state.data?.invocation.status;
        return status === undefined || status === "completed" ? false : polling(LIVE_REFRESH_MS);
      },
    }),

  /** One entry with its payloads. Journal entries never change once written, so one fetch is enough. */
  entry: (invocationId: string, index: number) =>
    queryOptions({
      queryKey: queryKeys.journalEntry(invocationId, index),
      queryFn: ({ signal }) => requestJson(`/api/invocations/${segment(invocationId)}/journal/${index}`, (c) => c.JournalEntryDetailSchema, { signal }),
      staleTime: Infinity,
    }),
};
