// Pages need a signed-in operator: without a session cookie whose session is still open (not signed
// out, not outdated by a change to the operator), go to /sign-in first. The API routes check identity
// and role themselves (401/403), so they are not redirected. Next 16 runs the proxy on Node.js, so it
// asks Restate (ConsoleSessions) as the routes do.
import { NextResponse, type NextRequest } from "next/server";
import { activeSession, SESSION_COOKIE } from "@/lib/server/auth/session";

export async function proxy(request: NextRequest) {
  const sealed = request.cookies.get(SESSION_COOKIE)?.value;
  let session;
  try {
    session = await activeSession(sealed);
  } catch (error) {
    // Restate cannot be asked: a page holds no data (every datum comes through the API, which refuses
    // with 503 here), so let it load and show that, instead of sending the operator round in circles.
    console.warn("[proxy] could not check the session with Restate", error instanceof Error ? error.message : error);
    return NextResponse.next();
  }
  if (session) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (next !== "/") signIn.searchParams.set("next", next);
  const response = NextResponse.redirect(signIn);
  // An ended or outdated cookie is of no further use to this browser.
  if (sealed) response.cookies.delete(SESSION_COOKIE);
  return response;
}

export const config = {
  // Everything but the API, the sign-in page and Next's own assets.
  matcher: ["/((?!api/|sign-in|_next/|icon.svg|favicon.ico).*)"],
};
