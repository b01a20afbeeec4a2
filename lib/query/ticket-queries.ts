// The tickets and chat outbox page's query (lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-client";
import { IDLE_REFRESH_MS, polling, queryKeys } from "./queries";

export const ticketsAndOutboxQueries = {
  list: () =>
    queryOptions({
      queryKey: queryKeys.ticketsAndOutbox,
      queryFn: ({ signal }) => requestJson("/api/tickets", (c) => c.TicketsAndOutboxSchema, { signal }),
      refetchInterval: () => polling(IDLE_REFRESH_MS),
    }),
};
