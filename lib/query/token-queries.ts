// The operator's API tokens: the list, creating and revoking (lib/query/queries.ts has the keys).
import { mutationOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import type { CreateTokenInput } from "@/lib/api/contracts";
import { requestJson } from "./api-client";
import { queryKeys, segment } from "./queries";

export const tokenQueries = {
  mine: () =>
    queryOptions({
      queryKey: queryKeys.tokens,
      queryFn: ({ signal }) => requestJson("/api/tokens", (c) => c.ApiTokenListSchema, { signal }),
    }),
};

export const tokenMutations = {
  create: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["tokens", "create"],
      mutationFn: (input: CreateTokenInput) => requestJson("/api/tokens", (c) => c.CreatedTokenSchema, { method: "POST", body: input }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
    }),
  revoke: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["tokens", "revoke"],
      mutationFn: (tokenId: string) => requestJson(`/api/tokens/${segment(tokenId)}`, (c) => c.RevokedTokenSchema, { method: "DELETE" }),
      onSettled: () => queryClient.invalidateQueries({ queryKey: queryKeys.tokens }),
    }),
};
