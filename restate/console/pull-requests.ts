// PullRequests: the console's read of the embedded code host's pull-request records (CODE_HOST=local),
// so the console lists them without reading the services' files. Other code hosts keep their PRs
// themselves: the list is empty and says which host the services use.
import * as restate from "@restatedev/restate-sdk";
import { localPullRequests } from "../adapters/index";
import { config } from "../config";
import { PullRequestListSchema, PullRequestQuerySchema, type PullRequestList, type PullRequestQuery } from "../contracts/pull-requests";
import { SERVICE_NAMES } from "../contracts/services";

export const pullRequests = restate.service({
  name: SERVICE_NAMES.pullRequests,
  handlers: {
    // A read of a file the code host replaces whole: nothing to journal or keep.
    list: restate.handlers.handler(
      { input: restate.serde.schema(PullRequestQuerySchema), output: restate.serde.schema(PullRequestListSchema), journalRetention: 0 },
      async (_ctx: restate.Context, query: PullRequestQuery): Promise<PullRequestList> => ({
        codeHost: config.CODE_HOST,
        pullRequests: (await localPullRequests?.list(query.findingId)) ?? [],
      }),
    ),
  },
});

export type PullRequests = typeof pullRequests;
