// How a real adapter turns a remote system's failure into what callAdapter retries: 429 waits what
// Retry-After asks, 5xx and transport failures are retried with backoff, any other 4xx is permanent.
import { PermanentAdapterError, RetryLaterAdapterError } from "./ports";

/** Without a Retry-After, a 429 waits this long. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1_000;

/** Retry-After as seconds or an HTTP date, in ms from now; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The error for an HTTP answer `status` from `system` doing `what`; `detail` is the remote's own message. */
export function failureFromStatus(system: string, what: string, status: number, retryAfter: string | null | undefined, detail = ""): Error {
  const message = `${system} ${what}: HTTP ${status}${detail ? ` ${detail.slice(0, 300)}` : ""}`;
  if (status === 429) return new RetryLaterAdapterError(message, retryAfterMs(retryAfter) ?? DEFAULT_RATE_LIMIT_WAIT_MS);
  if (status >= 500 || status === 408) {
    const wait = retryAfterMs(retryAfter);
    return wait === undefined ? new Error(message) : new RetryLaterAdapterError(message, wait);
  }
  return new PermanentAdapterError(message);
}

/** `work`, or a retryable error once `ms` have passed without an answer (the request is abandoned). */
export async function withDeadline<T>(system: string, what: string, ms: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`${system} ${what}: no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** A 2xx answer whose body is not what the API documents: retried, as a proxy's error page would be. */
export function unexpectedAnswer(system: string, what: string, problem: string): Error {
  return new Error(`${system} ${what}: unexpected answer (${problem})`);
}
