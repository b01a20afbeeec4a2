// Who is signed in, signing in and signing out (lib/query/queries.ts has the keys).
import { mutationOptions, queryOptions, type QueryClient } from "@tanstack/react-query";
import type { LoginInput } from "@/lib/api/contracts";
import { requestJson } from "./api-client";
import { queryKeys } from "./queries";

export const sessionQueries = {
  /** Who is signed in; pages ask once and share it (sign-in and sign-out reset it). */
  current: () =>
    queryOptions({
      queryKey: queryKeys.session,
      queryFn: ({ signal }) => requestJson("/api/session", (c) => c.SessionResponseSchema, { signal }),
      staleTime: 60_000,
    }),
};

export const sessionMutations = {
  signIn: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["session", "sign-in"],
      mutationFn: (credentials: LoginInput) =>
        requestJson("/api/auth/login", (c) => c.SessionResponseSchema.pick({ operator: true }), { method: "POST", body: credentials }),
      onSuccess: () => queryClient.clear(),
    }),
  signOut: (queryClient: QueryClient) =>
    mutationOptions({
      mutationKey: ["session", "sign-out"],
      mutationFn: () => requestJson("/api/auth/logout", (c) => c.SignedOutSchema, { method: "POST" }),
      onSuccess: () => queryClient.clear(),
    }),
};
