// The one QueryClient factory: a singleton in the browser, a fresh client per server render.
import { isServer, QueryClient } from "@tanstack/react-query";
import { ApiRequestError } from "./api-client";
import { isStreamCovering } from "./live-state";

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
        // A tab coming back asks again, unless its change stream resumes and replays what it missed.
        refetchOnWindowFocus: () => !isStreamCovering(),
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
