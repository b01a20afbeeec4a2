// Who is signed in: every page's header asks (signing in and out: session-mutations.ts; lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
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
