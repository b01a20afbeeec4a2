// POST /api/auth/login – sign in with a local operator's username and password (sets the session cookie)
import { LoginInputSchema } from "@/lib/api/contracts";
import { clientAddress } from "@/lib/server/auth/client-address";
import { verifyPassword } from "@/lib/server/auth/operators";
import { checkOrigin, startSession } from "@/lib/server/auth/session";
import { checkSignInAllowed, recordFailedSignIn, recordSignIn } from "@/lib/server/auth/sign-in-throttle";
import { ApiRouteError } from "@/lib/server/errors";
import { jsonObject, otherMethods, publicRoute } from "@/lib/server/route";

export const POST = publicRoute({ name: "POST /api/auth/login", body: jsonObject(LoginInputSchema) }, async ({ request, body }) => {
  // No session yet, so no CSRF token: a browser's Origin must be ours (login CSRF).
  checkOrigin(request);
  const address = clientAddress(request);
  // A locked-out guesser is answered before bcrypt runs: guessing costs them time, not us CPU.
  await checkSignInAllowed(body.username, address);
  const operator = await verifyPassword(body.username, body.password);
  if (!operator) throw (await recordFailedSignIn(body.username, address)) ?? new ApiRouteError("unauthorized", "Unknown username or wrong password.");
  await recordSignIn(body.username, address);
  return {
    json: { operator: { ...operator, via: "password" as const } },
    cookies: await startSession(request, operator, "password"),
  };
});

export const { GET, HEAD, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
