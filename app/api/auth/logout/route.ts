// POST /api/auth/logout – sign out (clears the session cookie)
import { endSession } from "@/lib/server/auth/session";
import { otherMethods, route } from "@/lib/server/route";

export const POST = route({ name: "POST /api/auth/logout", access: "session" }, async ({ request }) => ({
  json: { signedOut: true },
  cookies: endSession(request),
}));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
