// One run: its finding, status, ladder and gate (lib/query/queries.ts has the keys).
import { queryOptions } from "@tanstack/react-query";
import { ApiRequestError, requestJson } from "./api-client";
import { LIVE_REFRESH_MS, isFinishedStage, polling, queryKeys, segment } from "./queries";

/** A run submitted a moment ago may not have recorded its finding yet: keep asking this long before giving up. */
const NEW_RUN_GRACE_MS = 30_000;

export const findingQueries = {
  detail: (findingId: string) =>
    queryOptions({
      queryKey: queryKeys.finding(findingId),
      queryFn: ({ signal }) => requestJson(`/api/findings/${segment(findingId)}`, (c) => c.FindingDetailSchema, { signal }),
      refetchInterval: (query) => {
        const { data, error, dataUpdatedAt, errorUpdateCount } = query.state;
        if (data) return isFinishedStage(data.status.stage) ? false : polling(LIVE_REFRESH_MS);
        // Just submitted: the workflow may not have written its state yet. Keep looking for a while.
        if (error instanceof ApiRequestError && error.isNotFound && dataUpdatedAt === 0) {
          return errorUpdateCount * LIVE_REFRESH_MS < NEW_RUN_GRACE_MS ? polling(LIVE_REFRESH_MS) : false;
        }
        return false;
      },
    }),
};
