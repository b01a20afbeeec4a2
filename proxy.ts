// Pages need a signed-in operator: without a valid session cookie, go to /sign-in first. The API
// routes check identity and role themselves (401/403), so they are not redirected.
import { NextResponse, type NextRequest } from "next/server";
import { SESSION_COOKIE, unsealSession } from "@/lib/server/auth/session";

export async function proxy(request: NextRequest) {
  const session = await unsealSession(request.cookies.get(SESSION_COOKIE)?.value).catch(() => null);
  if (session) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  const next = `${request.nextUrl.pathname}${request.nextUrl.search}`;
  if (next !== "/") signIn.searchParams.set("next", next);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but the API, the sign-in page and Next's own assets.
  matcher: ["/((?!api/|sign-in|_next/|icon.svg|favicon.ico).*)"],
};
