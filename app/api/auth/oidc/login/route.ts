// GET /api/auth/oidc/login – start single sign-on: redirect to the OpenID Connect provider
import { beginSignIn } from "@/lib/server/auth/oidc";
import { otherMethods, publicRoute } from "@/lib/server/route";

export const GET = publicRoute({ name: "GET /api/auth/oidc/login" }, async ({ request }) => {
  const { url, cookie } = await beginSignIn(request);
  const response = new Response(null, { status: 302, headers: { location: url, "cache-control": "no-store" } });
  response.headers.append("set-cookie", cookie);
  return response;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
