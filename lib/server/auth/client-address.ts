// Who is on the other end of a request, as far as the console can tell. Next's route handlers do not
// see the socket, and `next start` fills X-Forwarded-For only when the client did not send one, so the
// header is the client's own word unless a proxy we trust (TRUST_PROXY) wrote it.
import "server-only";
import { serverEnv } from "../env";

export interface ClientAddress {
  /** What counters are keyed on: the address, or one shared key when it is unknown. */
  key: string;
  /** Whether the address came from a proxy we trust; when not, every client shares `key`. */
  known: boolean;
  /** For logs. */
  description: string;
}

const UNKNOWN_KEY = "direct";

function forwardedFor(request: Request): string[] {
  return (request.headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);
}

export function clientAddress(request: Request): ClientAddress {
  const proxies = serverEnv().TRUST_PROXY;
  const entries = forwardedFor(request);
  if (proxies > 0 && entries.length > 0) {
    // Each trusted proxy appends the address it saw; entries left of those are the client's own claims.
    const address = (entries[Math.max(entries.length - proxies, 0)] ?? "").slice(0, 64);
    return { key: address, known: true, description: JSON.stringify(address) };
  }
  const claimed = entries.at(-1)?.slice(0, 64);
  return {
    key: UNKNOWN_KEY,
    known: false,
    description: `an unknown address (no TRUST_PROXY${claimed ? `; X-Forwarded-For says ${JSON.stringify(claimed)}` : ""})`,
  };
}
