// GET /api/findings/{id} – one run: status, escalation ladder, invocation, Restate UI link
import type { FindingDetail } from "@/lib/api/contracts";
import { getFindingDetail } from "@/lib/server/findings";
import { FindingParamsSchema } from "@/lib/server/params";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/findings/{id}", params: FindingParamsSchema }, async ({ params, operator }) => ({
  json: (await getFindingDetail(params.id, operator)) satisfies FindingDetail,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
