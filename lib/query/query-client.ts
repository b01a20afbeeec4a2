// The one QueryClient factory: a singleton in the browser, a fresh client per server render.
import { isServer, QueryClient } from "@tanstack/react-query";
import { ApiRequestError } from "./api-client";
import { isLiveQuery, isStreamCovering } from "./live-state";

function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 1_000,
        // Answers the API gave on purpose (404, 422, 409...) will not change by asking again.
        retry: (failureCount, error) => {
          if (error instanceof ApiRequestError && error.status >= 400 && error.status < 500) return false;
          return failureCount < 2;
        },
        // A tab coming back asks again, except for what its change stream keeps fresh (it resumes and replays what was missed).
        refetchOnWindowFocus: (query) => !(isLiveQuery(query) && isStreamCovering()),
      },
      mutations: { retry: false },
    },
  });
}

let browserQueryClient: QueryClient | undefined;

export function getQueryClient(): QueryClient {
  if (isServer) return makeQueryClient();
  browserQueryClient ??= makeQueryClient();
  return browserQueryClient;
}
