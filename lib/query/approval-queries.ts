// The approvals inbox's query (lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-client";
import { IDLE_REFRESH_MS, LIVE_REFRESH_MS, polling, queryKeys } from "./queries";

export const approvalQueries = {
  inbox: () =>
    queryOptions({
      queryKey: queryKeys.approvals,
      queryFn: ({ signal }) => requestJson("/api/approvals", (c) => c.ApprovalInboxResponseSchema, { signal }),
      refetchInterval: (query) => polling(query.state.data?.items.length ? LIVE_REFRESH_MS * 2 : IDLE_REFRESH_MS / 2),
    }),
};
