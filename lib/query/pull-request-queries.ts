// The code host's pull requests (lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
import { requestJson } from "./api-client";
import { IDLE_REFRESH_MS, polling, queryKeys, segment } from "./queries";

export const pullRequestQueries = {
  /** The embedded code host's PRs (one run's with `findingId`); a run's PR can be closed later by its compensation. */
  list: (findingId?: string) =>
    queryOptions({
      queryKey: queryKeys.pullRequests(findingId),
      queryFn: ({ signal }) =>
        requestJson(`/api/pull-requests${findingId ? `?finding=${segment(findingId)}` : ""}`, (c) => c.PullRequestListResponseSchema, { signal }),
      refetchInterval: () => polling(IDLE_REFRESH_MS),
    }),
};
