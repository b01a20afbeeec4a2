// POST /api/findings – submit a finding (starts its remediation run, once per finding id)
// GET  /api/findings – runs newest first, cursor-paged, filterable by stage and severity
import { FindingListQuerySchema, FindingSchema, type FindingListResponse, type SubmitFindingResponse } from "@/lib/api/contracts";
import { listFindings, submitFinding } from "@/lib/server/findings";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

export const POST = route({ name: "POST /api/findings", access: "submit", body: jsonObject(FindingSchema) }, async ({ body, operator }) => {
  const submitted = await submitFinding(body, operator);
  return { status: submitted.status, json: submitted.json satisfies SubmitFindingResponse };
});

export const GET = route({ name: "GET /api/findings", query: FindingListQuerySchema }, async ({ query }) => ({
  json: (await listFindings(query)) satisfies FindingListResponse,
}));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
