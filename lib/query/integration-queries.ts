// The outside-world ports' overview and their connection test (lib/query/queries.ts has the keys).
import { mutationOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import { requestJson } from "./api-client";
import { IDLE_REFRESH_MS, queryKeys } from "./queries";

export const integrationQueries = {
  overview: () =>
    queryOptions({
      queryKey: queryKeys.integrations,
      queryFn: ({ signal }) => requestJson("/api/integrations", (c) => c.IntegrationsOverviewSchema, { signal }),
      refetchInterval: IDLE_REFRESH_MS,
    }),
};

export const integrationMutations = {
  testConnection: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["integrations", "test"],
      mutationFn: (port: string) => requestJson("/api/integrations/test", (c) => c.ConnectionTestSchema, { method: "POST", body: { port } }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.integrations }),
    }),
};
