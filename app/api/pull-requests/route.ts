// GET /api/pull-requests?finding= – the embedded code host's pull requests, newest first (one run's with `finding`)
import { PullRequestListQuerySchema, type PullRequestListResponse } from "@/lib/api/contracts";
import { pullRequestRecords } from "@/lib/server/restate-ingress";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/pull-requests", query: PullRequestListQuerySchema }, async ({ query }) => ({
  json: (await pullRequestRecords().list({ findingId: query.finding })) satisfies PullRequestListResponse,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
