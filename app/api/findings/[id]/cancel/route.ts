// POST /api/findings/{id}/cancel – stop a run that has not ended, as the signed-in approver or admin, with a reason
import { CancelInputSchema } from "@/lib/api/contracts";
import { cancelRun } from "@/lib/server/findings";
import { FindingParamsSchema } from "@/lib/server/params";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

export const POST = route(
  { name: "POST /api/findings/{id}/cancel", access: "approve", params: FindingParamsSchema, body: jsonObject(CancelInputSchema) },
  async ({ params, body, operator }) => ({ json: await cancelRun(params.id, body, operator) }),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
