// GET /api/auth/oidc/callback – the provider's redirect back: start the session, go to the dashboard
import { completeSignIn, OIDC_FLOW_COOKIE } from "@/lib/server/auth/oidc";
import { cookie, readCookie, startSession } from "@/lib/server/auth/session";
import { otherMethods, publicRoute } from "@/lib/server/route";

export const GET = publicRoute({ name: "GET /api/auth/oidc/callback" }, async ({ request }) => {
  const operator = await completeSignIn(request, readCookie(request, OIDC_FLOW_COOKIE));
  const response = new Response(null, { status: 303, headers: { location: "/", "cache-control": "no-store" } });
  for (const value of await startSession(request, operator, "oidc")) response.headers.append("set-cookie", value);
  response.headers.append("set-cookie", cookie(request, OIDC_FLOW_COOKIE, "", { httpOnly: true, sameSite: "Lax", maxAge: 0 }));
  return response;
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
