// POST /api/findings/{id}/approval – sign off (approve or reject) a run waiting at the policy gate, as the signed-in operator
import { ApprovalInputSchema } from "@/lib/api/contracts";
import { decideApproval, recordRefusedSignoff } from "@/lib/server/findings";
import { FindingParamsSchema } from "@/lib/server/params";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

export const POST = route(
  {
    name: "POST /api/findings/{id}/approval",
    access: "approve",
    params: FindingParamsSchema,
    body: jsonObject(ApprovalInputSchema),
    // Refused for identity or role: still a sign-off attempt, so it goes on the run's trail.
    onRefused: (request, params, refusal) => recordRefusedSignoff(params.id, request, refusal.message),
  },
  async ({ params, body, operator }) => ({ json: await decideApproval(params.id, body, operator) }),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
