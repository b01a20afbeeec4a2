// Pages need a signed-in operator: without a valid session cookie, go to /sign-in first. The API
// routes check identity and role themselves (401/403), so they are not redirected.
import { NextResponse, type NextRequest } from "next/server";
import { sameOriginTarget } from "@/lib/redirect-target";
import { SESSION_COOKIE, unsealSession } from "@/lib/server/auth/session";

export async function proxy(request: NextRequest) {
  const session = await unsealSession(request.cookies.get(SESSION_COOKIE)?.value).catch(() => null);
  if (session) return NextResponse.next();
  const signIn = new URL("/sign-in", request.url);
  // Same rule as after sign-in: a path that the parser reads as another host ("//evil.example") is dropped.
  const target = sameOriginTarget(`${request.nextUrl.pathname}${request.nextUrl.search}`, request.nextUrl.origin);
  if (target && target.href !== new URL("/", target).href) signIn.searchParams.set("next", `${target.pathname}${target.search}`);
  return NextResponse.redirect(signIn);
}

export const config = {
  // Everything but the API, the sign-in page and Next's own assets.
  matcher: ["/((?!api/|sign-in|_next/|icon.svg|favicon.ico).*)"],
};
