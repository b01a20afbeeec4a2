// GET  /api/tokens – the signed-in operator's personal API tokens (never the tokens themselves)
// POST /api/tokens – create one; its secret is in this answer only
import { CreateTokenInputSchema } from "@/lib/api/contracts";
import { createToken, listTokens } from "@/lib/server/auth/api-tokens";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/tokens", access: "session" }, async ({ operator }) => ({
  json: { items: listTokens(operator.username) },
}));

export const POST = route({ name: "POST /api/tokens", access: "session", body: jsonObject(CreateTokenInputSchema) }, async ({ operator, body }) => ({
  status: 201,
  json: createToken({ ...operator, source: operator.via === "oidc" ? "oidc" : "local" }, body.label),
}));

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
