// Password guessing is slowed: lockouts per operator and address with growing backoff, a looser limit
// per address, a bounded slowdown per operator, and a log line for every wrong password.
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { callRoute, passwordOf, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";

// A successful sign-in opens a session in Restate (ConsoleSessions): a real stack behind the route.
consoleStackPerFile();
const login = routeModule(() => import("./login/route"));
let resetServerEnvForTests: () => void;
beforeAll(async () => {
  ({ resetServerEnvForTests } = await import("@/lib/server/env"));
});

/** Fresh counters and these settings (small numbers, short lockouts, so the tests are quick). */
function throttleSettings(settings: Record<string, string>) {
  const defaults = {
    TRUST_PROXY: "1",
    LOGIN_MAX_FAILURES: "3",
    LOGIN_LOCKOUT_SECONDS: "1",
    LOGIN_LOCKOUT_MAX_SECONDS: "8",
    LOGIN_MAX_FAILURES_PER_ADDRESS: "100",
  };
  for (const [name, value] of Object.entries({ ...defaults, ...settings })) process.env[name] = value;
  resetServerEnvForTests();
}

afterEach(() => {
  for (const name of ["TRUST_PROXY", "LOGIN_MAX_FAILURES", "LOGIN_LOCKOUT_SECONDS", "LOGIN_LOCKOUT_MAX_SECONDS", "LOGIN_MAX_FAILURES_PER_ADDRESS"])
    delete process.env[name];
  resetServerEnvForTests();
  vi.restoreAllMocks();
});

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function attempt(username: string, password: string, forwardedFor?: string) {
  const answer = await callRoute(login.POST, "/api/auth/login", {
    method: "POST",
    as: null,
    body: { username, password },
    headers: forwardedFor ? { "x-forwarded-for": forwardedFor } : {},
  });
  return { status: answer.status, retryAfter: answer.headers.get("retry-after"), body: answer.body };
}

describe("sign-in throttling", () => {
  beforeEach(() => throttleSettings({}));

  it("answers 429 with Retry-After after N wrong passwords, doubles the next lockout, and lets the operator in after it", async () => {
    const from = "203.0.113.7";
    expect((await attempt("sam", "guess-1", from)).status).toBe(401);
    expect((await attempt("sam", "guess-2", from)).status).toBe(401);
    const locked = await attempt("sam", "guess-3", from);
    expect(locked).toMatchObject({ status: 429, retryAfter: "1" });
    expect(ApiErrorSchema.parse(locked.body).error).toMatchObject({ code: "too_many_requests", message: "Too many failed sign-ins; try again in 1 s." });
    // Even the right password waits for the lockout to end.
    expect((await attempt("sam", passwordOf("sam"), from)).status).toBe(429);

    await wait(1_100);
    expect((await attempt("sam", "guess-4", from)).status).toBe(401);
    expect((await attempt("sam", "guess-5", from)).status).toBe(401);
    expect(await attempt("sam", "guess-6", from)).toMatchObject({ status: 429, retryAfter: "2" });
    await wait(1_100);
    expect((await attempt("sam", passwordOf("sam"), from)).status).toBe(429);

    await wait(1_000);
    expect((await attempt("sam", passwordOf("sam"), from)).status).toBe(200);
    // A correct password starts the count afresh: the next lockout is the first one again.
    for (const guess of ["a", "b"]) expect((await attempt("sam", guess, from)).status).toBe(401);
    expect(await attempt("sam", "c", from)).toMatchObject({ status: 429, retryAfter: "1" });
  });

  it("a guesser locks out only their own address: the operator elsewhere and other operators still sign in", async () => {
    const guesser = "198.51.100.66";
    for (const guess of ["a", "b"]) expect((await attempt("ana", guess, guesser)).status).toBe(401);
    expect((await attempt("ana", "c", guesser)).status).toBe(429);
    expect((await attempt("ana", passwordOf("ana"), "192.0.2.10")).status).toBe(200);
    expect((await attempt("bo", passwordOf("bo"), guesser)).status).toBe(200);
  });

  it("limits one address across all operators, more loosely", async () => {
    throttleSettings({ LOGIN_MAX_FAILURES_PER_ADDRESS: "4" });
    const spray = "198.51.100.99";
    for (const username of ["ada", "ada", "vic", "vic"]) expect((await attempt(username, "spray", spray)).status).toBe(401);
    expect(await attempt("sam", "spray", spray)).toMatchObject({ status: 429, retryAfter: "8" });
    expect((await attempt("sam", passwordOf("sam"), spray)).status).toBe(429);
    expect((await attempt("sam", passwordOf("sam"), "198.51.100.100")).status).toBe(200);
  });

  it("slows guessing of one operator from many addresses, but boundedly: the operator still gets in", async () => {
    for (let i = 1; i <= 13; i += 1) expect((await attempt("vic", "guess", `203.0.113.${i}`)).status).toBe(401);
    const started = Date.now();
    expect((await attempt("vic", passwordOf("vic"), "192.0.2.77")).status).toBe(200);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(550);
    expect(took).toBeLessThan(2_000 + 1_000);
  });

  it("without TRUST_PROXY, a forged X-Forwarded-For does not buy fresh attempts", async () => {
    throttleSettings({ TRUST_PROXY: "false" });
    expect((await attempt("ada", "a", "10.0.0.1")).status).toBe(401);
    expect((await attempt("ada", "b", "10.0.0.2")).status).toBe(401);
    expect((await attempt("ada", "c", "10.0.0.3")).status).toBe(429);
    expect((await attempt("ada", passwordOf("ada"), "10.0.0.4")).status).toBe(429);
  });

  it("logs each wrong password with the username and address, never the password", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    await attempt("bo", "correct-horse-battery", "203.0.113.200");
    const lines = warn.mock.calls.map((call) => call.map(String).join(" "));
    expect(lines).toContain('[sign-in] failed for username "bo" from "203.0.113.200"');
    expect(lines.join("\n")).not.toContain("correct-horse-battery");
  });
});
