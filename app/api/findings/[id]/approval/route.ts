// POST /api/findings/{id}/approval – sign off (approve or reject) a run waiting at the policy gate, as the signed-in operator
import { ApprovalInputSchema } from "@/lib/api/contracts";
import { decideApproval } from "@/lib/server/findings";
import { FindingParamsSchema } from "@/lib/server/params";
import { jsonObject, route } from "@/lib/server/route";

export const POST = route(
  { name: "POST /api/findings/{id}/approval", access: "approve", params: FindingParamsSchema, body: jsonObject(ApprovalInputSchema) },
  async ({ params, body, operator }) => ({ json: await decideApproval(params.id, body, operator) }),
);
