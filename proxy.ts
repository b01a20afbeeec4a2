// Every page gets a Content-Security-Policy with a fresh script nonce (Next.js puts it on its own
// scripts while rendering), and needs a signed-in operator whose session is still open (not signed
// out, not outdated by a change to the operator): otherwise it goes to /sign-in first. The API routes
// check identity and role themselves (401/403) and carry their own, stricter policy from
// next.config.mjs. Next 16 runs the proxy on Node.js, so it asks Restate (ConsoleSessions) as the routes do.
import { NextResponse, type NextRequest } from "next/server";
import { sameOriginTarget } from "@/lib/redirect-target";
import { activeSession, SESSION_COOKIE } from "@/lib/server/auth/session";

/** Scripts: only those carrying this response's nonce, and what they load. Inline style attributes stay allowed (the ladder's bars). */
function contentSecurityPolicy(nonce: string): string {
  const dev = process.env.NODE_ENV !== "production";
  return [
    "default-src 'self'",
    // React needs eval in development only, to rebuild server error stacks in the browser.
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function withNonce(request: NextRequest): NextResponse {
  const nonce = btoa(crypto.randomUUID());
  const policy = contentSecurityPolicy(nonce);
  // Next.js reads the nonce from the request's policy while it renders the page.
  const headers = new Headers(request.headers);
  headers.set("content-security-policy", policy);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("content-security-policy", policy);
  return response;
}

export async function proxy(request: NextRequest) {
  if (request.nextUrl.pathname === "/sign-in") return withNonce(request);
  const sealed = request.cookies.get(SESSION_COOKIE)?.value;
  let session;
  try {
    session = await activeSession(sealed);
  } catch (error) {
    // Restate cannot be asked: a page holds no data (every datum comes through the API, which refuses
    // with 503 here), so let it load and show that, instead of sending the operator round in circles.
    console.warn("[proxy] could not check the session with Restate", error instanceof Error ? error.message : error);
    return withNonce(request);
  }
  if (session) return withNonce(request);
  const signIn = new URL("/sign-in", request.url);
  // Same rule as after sign-in: a path that the parser reads as another host ("//evil.example") is dropped.
  const target = sameOriginTarget(`${request.nextUrl.pathname}${request.nextUrl.search}`, request.nextUrl.origin);
  if (target && target.href !== new URL("/", target).href) signIn.searchParams.set("next", `${target.pathname}${target.search}`);
  const response = NextResponse.redirect(signIn);
  // An ended or outdated cookie is of no further use to this browser.
  if (sealed) response.cookies.delete(SESSION_COOKIE);
  return response;
}

export const config = {
  // Everything but the API and Next's own assets.
  matcher: ["/((?!api/|_next/static/|_next/image|icon.svg|favicon.ico).*)"],
};
