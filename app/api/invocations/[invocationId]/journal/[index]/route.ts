// GET /api/invocations/{invocationId}/journal/{index} – one journal entry in full, payloads decoded
import type { JournalEntryDetail } from "@/lib/api/contracts";
import { getJournalEntry } from "@/lib/server/journal";
import { JournalEntryParamsSchema } from "@/lib/server/params";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/invocations/{invocationId}/journal/{index}", params: JournalEntryParamsSchema }, async ({ params, operator }) => ({
  json: (await getJournalEntry(params.invocationId, params.index, operator)) satisfies JournalEntryDetail,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
