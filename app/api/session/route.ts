// GET /api/session – who is signed in (null when nobody), and whether SSO sign-in is offered
import type { SessionResponse } from "@/lib/api/contracts";
import { oidcConfigured } from "@/lib/server/auth/oidc";
import { otherMethods, publicRoute } from "@/lib/server/route";

export const GET = publicRoute({ name: "GET /api/session" }, async ({ operator }) => ({
  json: { operator, oidc: oidcConfigured() } satisfies SessionResponse,
}));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
