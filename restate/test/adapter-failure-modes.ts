// The failure modes every real tracker and chat adapter is held to, against its scripted API: what
// callAdapter is told (wait, retry, or give up), that the secret is in no error, and that the write a
// failure interrupted is, after the retry, there exactly once.
import { beforeEach, expect, it } from "vitest";
import { PermanentAdapterError, RetryLaterAdapterError } from "../adapters/ports";
import { replies, type ApiReply, type ScriptedApi } from "./scripted-api";

/** An adapter's request bound in the test about a slow answer, the one test that is about that bound. */
export const SLOW_ANSWER_BOUND_MS = 500;
/**
 * Every other test's request bound: a hang detector, so that a busy machine, which can take seconds to
 * answer on 127.0.0.1, makes those tests slower and not red.
 */
export const PATIENT_BOUND_MS = 30_000;

export interface AdapterUnderTest {
  /** Writes one record (opens a ticket, posts a message) with this idempotency key, giving up after `timeoutMs`. */
  write(idempotencyKey: string, timeoutMs: number): Promise<unknown>;
  /** The route of the write itself. */
  writeRoute: [method: string, pattern: RegExp];
  /** How many records the scripted system holds. */
  written(): number;
  /** The secret the adapter was configured with. */
  secret: string;
}

/** How the adapter's error is classified by callAdapter. */
type Verdict = "wait 7 s" | "retry" | "give up" | "accept";

function verdictOf(error: unknown): Verdict {
  if (error instanceof RetryLaterAdapterError) {
    expect(error.retryAfterMs).toBe(7_000);
    return "wait 7 s";
  }
  return error instanceof PermanentAdapterError ? "give up" : "retry";
}

/**
 * `readsNoBody`: a 2xx is the whole answer (a webhook), so a garbled body is accepted like any other.
 */
export function failureModes(
  name: string,
  /** The file's scripted API (scriptedApiPerTest). */
  scripted: () => ScriptedApi,
  setUp: (api: ScriptedApi) => AdapterUnderTest,
  options: { readsNoBody?: boolean } = {},
): void {
  let adapter: AdapterUnderTest;
  beforeEach(() => {
    adapter = setUp(scripted());
  });

  const cases: { what: string; reply: () => ApiReply; verdict: Verdict }[] = [
    { what: "a 429 with Retry-After", reply: () => replies.rateLimited(7), verdict: "wait 7 s" },
    { what: "a 503", reply: replies.unavailable, verdict: "retry" },
    { what: "a 401", reply: replies.unauthorized, verdict: "give up" },
    { what: "a 404", reply: replies.notFound, verdict: "give up" },
    { what: "a 200 whose body is not JSON", reply: replies.garbage, verdict: options.readsNoBody ? "accept" : "retry" },
    // The write happens, but its answer comes after the adapter gave up on it.
    { what: "an answer slower than the timeout", reply: () => ({ status: 200, delayMs: SLOW_ANSWER_BOUND_MS + 1_500, thenRoute: true }), verdict: "retry" },
  ];

  it.each(cases)(`${name}: after $what the step is told to $verdict, with no secret in the error`, async ({ what, reply, verdict }) => {
    scripted().inject(...adapter.writeRoute, reply());
    const slowAnswer = what.startsWith("an answer slower");
    if (verdict === "accept") {
      await expect(adapter.write("inv-1/effect", PATIENT_BOUND_MS)).resolves.toBeDefined();
      return;
    }
    const error: unknown = await adapter.write("inv-1/effect", slowAnswer ? SLOW_ANSWER_BOUND_MS : PATIENT_BOUND_MS).then(
      () => null,
      (failure: unknown) => failure,
    );
    expect(error).toBeInstanceOf(Error);
    expect(verdictOf(error)).toBe(verdict);
    expect(String((error as Error).message)).not.toContain(adapter.secret);
    if (verdict === "give up") return;

    // The retry callAdapter makes: one record in the end, also when the first write went through late.
    if (slowAnswer) await new Promise((resolve) => setTimeout(resolve, 1_800));
    await adapter.write("inv-1/effect", PATIENT_BOUND_MS);
    await adapter.write("inv-1/effect", PATIENT_BOUND_MS);
    expect(adapter.written()).toBe(1);
  });
}
