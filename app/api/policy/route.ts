// GET /api/policy – the sign-off policy the services run with (SIGNOFF_POLICY_FILE or the built-in rules), as text
import { describeEffectivePolicy } from "@/lib/server/policy-what-if";
import { otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/policy", access: "approve" }, async () => ({ json: await describeEffectivePolicy() }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
