// GET /api/invocations/{invocationId}/journal – the journal timeline of any invocation, with engine events
import type { JournalTimeline } from "@/lib/api/contracts";
import { getJournalTimeline } from "@/lib/server/journal";
import { InvocationParamsSchema } from "@/lib/server/params";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/invocations/{invocationId}/journal", params: InvocationParamsSchema }, async ({ params }) => ({
  json: (await getJournalTimeline(params.invocationId)) satisfies JournalTimeline,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
