// POST /api/auth/logout – sign out: ends the session in Restate (a copy of the cookie stops working too) and clears it
import { endSession } from "@/lib/server/auth/session";
import { otherMethods, route } from "@/lib/server/route";

export const POST = route({ name: "POST /api/auth/logout", access: "session" }, async ({ request }) => ({
  json: { signedOut: true },
  cookies: await endSession(request),
}));

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
