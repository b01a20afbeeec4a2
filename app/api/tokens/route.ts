// GET  /api/tokens – the signed-in operator's personal API tokens (never the tokens themselves), and the lifetimes allowed
// POST /api/tokens – create one (`{label, ttlDays?}`); its secret is in this answer only
import { CreateTokenInputSchema } from "@/lib/api/contracts";
import { createToken, listTokens } from "@/lib/server/auth/api-tokens";
import { serverEnv } from "@/lib/server/env";
import { ApiRouteError } from "@/lib/server/errors";
import { jsonObject, otherMethods, route } from "@/lib/server/route";

export const GET = route({ name: "GET /api/tokens", access: "session" }, async ({ operator }) => ({
  json: {
    items: listTokens(operator.username),
    lifetime: { defaultDays: serverEnv().API_TOKEN_TTL_DAYS, maxDays: serverEnv().API_TOKEN_MAX_TTL_DAYS },
  },
}));

export const POST = route({ name: "POST /api/tokens", access: "session", body: jsonObject(CreateTokenInputSchema) }, async ({ operator, body }) => {
  const maxDays = serverEnv().API_TOKEN_MAX_TTL_DAYS;
  if (body.ttlDays !== undefined && body.ttlDays > maxDays) {
    throw new ApiRouteError("invalid_input", `Invalid body: ttlDays: must be at most ${maxDays} days`, { ttlDays: `must be at most ${maxDays} days` });
  }
  return {
    status: 201,
    json: createToken({ ...operator, source: operator.via === "oidc" ? "oidc" : "local" }, body.label, body.ttlDays),
  };
});

export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);
