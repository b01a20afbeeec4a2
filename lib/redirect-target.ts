// Where the console may send a browser it redirects (after sign-in, to the sign-in page): only back to
// itself. Browser-safe, shared by the sign-in form and the server. The check is done on what the URL
// parser makes of the value, not on the raw text, because browsers turn "/\evil.example",
// "/\t/evil.example" or "https:evil.example" into another host.

/**
 * `next` resolved against the console's origin, or null when it would leave that origin (another
 * host, port or scheme, javascript:, data:…). The answer is absolute: assigning it cannot be
 * re-read as a network-path reference ("//host") the way a bare path could.
 */
export function sameOriginTarget(next: string | null | undefined, origin: string): URL | null {
  if (next == null || next === "") return null;
  let home: URL;
  let target: URL;
  try {
    home = new URL(origin);
    target = new URL(next, home);
  } catch {
    return null;
  }
  return target.origin === home.origin && target.origin !== "null" ? target : null;
}

/** Where to go after signing in: `next` when it stays on the console, else the dashboard. */
export function afterSignIn(next: string | null | undefined, origin: string): string {
  return (sameOriginTarget(next, origin) ?? new URL("/", origin)).href;
}
