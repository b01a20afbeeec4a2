// One HTTP request to an outside system, its answer sorted the way callAdapter retries: a 2xx is
// delivered; 429 and 5xx, a timeout or a broken connection are retried (after the Retry-After the
// system asked for, when it gave one); any other 4xx is permanent. Messages never carry a secret:
// whatever the system echoes back is cut short and has the secrets blanked out.
import { PermanentAdapterError, RetryLaterAdapterError } from "./ports";

export interface Delivery {
  /** The system, as messages name it ("the SIEM"). */
  system: string;
  url: string;
  /** POST unless said. */
  method?: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Values to blank out of any text the answer brings back (tokens, keys). */
  secrets: readonly string[];
  /** Added to the message of a 401/403: which variable holds the credentials. */
  credentialsHint?: string;
}

/** Retry-After as seconds or an HTTP date, in ms; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export function redact(text: string, secrets: readonly string[]): string {
  return secrets.filter((secret) => secret.length > 0).reduce((clean, secret) => clean.split(secret).join("[redacted]"), text);
}

export async function deliver(delivery: Delivery): Promise<{ status: number; text: string }> {
  const { system, secrets } = delivery;
  let response: Response;
  try {
    response = await fetch(delivery.url, {
      method: delivery.method ?? "POST",
      headers: delivery.headers,
      body: delivery.body,
      signal: AbortSignal.timeout(delivery.timeoutMs),
      redirect: "error",
    });
  } catch (error) {
    const cause = error instanceof Error ? ((error.cause as { code?: string } | undefined)?.code ?? error.name) : String(error);
    if (error instanceof Error && error.name === "TimeoutError") throw new Error(`${system} did not answer within ${delivery.timeoutMs} ms`);
    throw new Error(`${system} could not be reached (${redact(cause, secrets)})`);
  }
  let text: string;
  try {
    text = await response.text();
  } catch {
    throw new Error(`${system}'s answer (${response.status}) broke off`);
  }
  if (response.ok) return { status: response.status, text };
  const said = redact(text.replace(/\s+/g, " ").trim().slice(0, 200), secrets);
  const message = `${system} answered ${response.status}${said ? `: ${said}` : ""}`;
  const wait = retryAfterMs(response.headers.get("retry-after"));
  if (response.status === 429 || response.status === 408 || response.status >= 500) {
    if (wait !== null) throw new RetryLaterAdapterError(`${message} (retry after ${Math.round(wait / 1000)} s)`, wait);
    throw new Error(message);
  }
  const hint = (response.status === 401 || response.status === 403) && delivery.credentialsHint ? ` (check ${delivery.credentialsHint})` : "";
  throw new PermanentAdapterError(`${message}${hint}`);
}
