// POST /api/policy/what-if – what a policy text decides for a finding, and which of the latest runs it would decide differently
import { WhatIfInputSchema } from "@/lib/policy-what-if";
import { policyWhatIf } from "@/lib/server/policy-what-if";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

export const POST = route(
  { name: "POST /api/policy/what-if", access: "approve", body: jsonObject(WhatIfInputSchema), maxBodyBytes: 128 * 1024 },
  async ({ body }) => ({ json: await policyWhatIf(body) }),
);

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
