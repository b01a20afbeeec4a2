// DELETE /api/tokens/{tokenId} – revoke one of the signed-in operator's API tokens
import { TokenParamsSchema } from "@/lib/api/contracts";
import { revokeToken } from "@/lib/server/auth/api-tokens";
import { notFound } from "@/lib/server/errors";
import { otherMethods, route } from "@/lib/server/route";

export const DELETE = route({ name: "DELETE /api/tokens/{tokenId}", access: "session", params: TokenParamsSchema }, async ({ operator, params }) => {
  if (!revokeToken(operator.username, params.tokenId)) throw notFound("No such token of yours.");
  return { json: { revoked: params.tokenId } };
});

export const { GET, HEAD, POST, PUT, PATCH, OPTIONS } = otherMethods(["DELETE"]);
