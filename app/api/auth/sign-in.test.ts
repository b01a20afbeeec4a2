// Sign-in, sessions, CSRF and personal API tokens, on a real restate-server: open sessions live in
// its ConsoleSessions object, so signing out (or changing the operator) ends a session for good.
import { readFileSync, writeFileSync } from "node:fs";
import bcrypt from "bcryptjs";
import { describe, expect, it, vi } from "vitest";
import { ApiErrorSchema, ApiTokenListSchema, CreatedTokenSchema, SessionResponseSchema } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, cookieHeaderAfter, passwordOf, routeModule, setCookies, tokenOf } from "@/lib/test/route-harness";

consoleStackPerFile();

const login = routeModule(() => import("./login/route"));
const logout = routeModule(() => import("./logout/route"));
const session = routeModule(() => import("@/app/api/session/route"));
const tokens = routeModule(() => import("@/app/api/tokens/route"));
const token = routeModule(() => import("@/app/api/tokens/[tokenId]/route"));

/** Signs in with a password; returns the Cookie header a browser would send next, and the CSRF token. */
async function signIn(username: string) {
  const answer = await callRoute(login.POST, "/api/auth/login", {
    method: "POST",
    as: null,
    body: { username, password: passwordOf(username) },
    headers: { origin: "http://console.test", host: "console.test" },
  });
  expect(answer.status).toBe(200);
  const set = setCookies(answer);
  return { set, cookieHeader: cookieHeaderAfter(answer), csrf: set.rmc_csrf?.value ?? "" };
}

describe("sign-in", () => {
  it("refuses a wrong password and an unknown operator alike", async () => {
    for (const body of [
      { username: "ana", password: "guess" },
      { username: "nobody", password: "guess" },
    ]) {
      const answer = await callRoute(login.POST, "/api/auth/login", { method: "POST", as: null, body });
      expect(answer.status).toBe(401);
      expect(ApiErrorSchema.parse(answer.body).error.message).toBe("Unknown username or wrong password.");
      expect(answer.headers.getSetCookie()).toEqual([]);
    }
  });

  it("sets an HttpOnly, SameSite session cookie and a readable CSRF cookie; the session names the operator", async () => {
    const { set, cookieHeader } = await signIn("ana");
    expect(set.rmc_session).toMatchObject({ httpOnly: true, sameSite: "lax" });
    expect(set.rmc_csrf).toMatchObject({ sameSite: "strict" });
    expect(set.rmc_csrf?.httpOnly).toBeUndefined();
    const me = await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: cookieHeader } });
    expect(SessionResponseSchema.parse(me.body).operator).toEqual({ username: "ana", name: "ANA", roles: ["approver"], groups: [], via: "password" });
    const anonymous = await callRoute(session.GET, "/api/session", { as: null });
    expect(SessionResponseSchema.parse(anonymous.body).operator).toBeNull();
  });

  it("marks cookies Secure when the console is reached over https", async () => {
    const answer = await callRoute(login.POST, "/api/auth/login", {
      method: "POST",
      as: null,
      body: { username: "ana", password: passwordOf("ana") },
      headers: { "x-forwarded-proto": "https" },
    });
    const set = Object.values(setCookies(answer));
    expect(set.map((cookie) => cookie.name).sort()).toEqual(["rmc_csrf", "rmc_session"]);
    for (const cookie of set) expect(cookie.secure).toBe(true);
  });

  it("refuses a sign-in posted from another site", async () => {
    const answer = await callRoute(login.POST, "/api/auth/login", {
      method: "POST",
      as: null,
      body: { username: "ana", password: passwordOf("ana") },
      headers: { origin: "https://evil.example", host: "console.test" },
    });
    expect(answer.status).toBe(403);
  });

  it("trusts X-Forwarded-Host for the Origin check only behind a proxy (TRUST_PROXY)", async () => {
    const { resetServerEnvForTests } = await import("@/lib/server/env");
    const post = (headers: Record<string, string>) =>
      callRoute(login.POST, "/api/auth/login", { method: "POST", as: null, body: { username: "ana", password: passwordOf("ana") }, headers });
    // Without a proxy the header is the client's own claim.
    expect((await post({ origin: "https://evil.example", host: "console.test", "x-forwarded-host": "evil.example" })).status).toBe(403);
    process.env.TRUST_PROXY = "1";
    resetServerEnvForTests();
    try {
      expect((await post({ origin: "https://console.example", host: "10.0.0.5:3000", "x-forwarded-host": "console.example" })).status).toBe(200);
      expect((await post({ origin: "https://evil.example", host: "10.0.0.5:3000", "x-forwarded-host": "console.example" })).status).toBe(403);
    } finally {
      delete process.env.TRUST_PROXY;
      resetServerEnvForTests();
    }
  });

  it("ignores a tampered session cookie", async () => {
    const { cookieHeader } = await signIn("vic");
    const tampered = cookieHeader.replace(/rmc_session=([^;]{10})/, "rmc_session=Fe26.2**xx");
    const me = await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: tampered } });
    expect(SessionResponseSchema.parse(me.body).operator).toBeNull();
  });
});

describe("CSRF on cookie requests", () => {
  it("refuses a state change without the CSRF header, with a wrong one, or from another origin; accepts ours", async () => {
    const { cookieHeader, csrf } = await signIn("sam");
    const post = (headers: Record<string, string>) =>
      callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "laptop" }, headers: { cookie: cookieHeader, ...headers } });
    expect((await post({})).status).toBe(403);
    expect((await post({ "x-csrf-token": "not-it" })).status).toBe(403);
    expect((await post({ "x-csrf-token": csrf, origin: "https://evil.example", host: "console.test" })).status).toBe(403);
    expect((await post({ "x-csrf-token": csrf, origin: "http://console.test", host: "console.test" })).status).toBe(201);

    const out = await callRoute(logout.POST, "/api/auth/logout", { method: "POST", as: null, headers: { cookie: cookieHeader, "x-csrf-token": csrf } });
    expect(out.status).toBe(200);
    expect(setCookies(out).rmc_session?.maxAge).toBe(0);
  });
});

describe("personal API tokens", () => {
  it("are created by the signed-in operator, work as Bearer tokens, and stop working when revoked", async () => {
    const { cookieHeader, csrf } = await signIn("bo");
    const browser = { cookie: cookieHeader, "x-csrf-token": csrf };
    const created = await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "terminal" }, headers: browser });
    expect(created.status).toBe(201);
    const made = CreatedTokenSchema.parse(created.body);
    expect(made.token).toMatch(/^rmc_/);

    const bearer = { authorization: `Bearer ${made.token}` };
    const me = await callRoute(session.GET, "/api/session", { as: null, headers: bearer });
    expect(SessionResponseSchema.parse(me.body).operator).toMatchObject({ username: "bo", via: "token" });
    // A token cannot mint more tokens.
    expect((await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "x" }, headers: bearer })).status).toBe(403);

    const listed = ApiTokenListSchema.parse((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: browser })).body);
    expect(listed.items.map((item) => item.label)).toContain("terminal");
    expect(JSON.stringify(listed)).not.toContain(made.token);

    const revoked = await callRoute(token.DELETE, `/api/tokens/${made.id}`, { method: "DELETE", as: null, headers: browser, params: { tokenId: made.id } });
    expect(revoked.status).toBe(200);
    expect((await callRoute(session.GET, "/api/session", { as: null, headers: bearer })).body).toMatchObject({ operator: null });
    expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: bearer })).status).toBe(401);
  });

  it("cannot revoke another operator's token", async () => {
    const { cookieHeader, csrf } = await signIn("ana");
    const mine = CreatedTokenSchema.parse(
      (await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "a" }, headers: { cookie: cookieHeader, "x-csrf-token": csrf } }))
        .body,
    );
    const other = await signIn("bo");
    const answer = await callRoute(token.DELETE, `/api/tokens/${mine.id}`, {
      method: "DELETE",
      as: null,
      headers: { cookie: other.cookieHeader, "x-csrf-token": other.csrf },
      params: { tokenId: mine.id },
    });
    expect(answer.status).toBe(404);
  });
});

describe("ending sessions on the server", () => {
  it("sign-out ends the session: a copy of the cookie taken before answers 401 and cannot create a token", async () => {
    const { cookieHeader, csrf } = await signIn("sam");
    const copied = { cookie: cookieHeader, "x-csrf-token": csrf };
    expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: copied })).status).toBe(200);

    const out = await callRoute(logout.POST, "/api/auth/logout", { method: "POST", as: null, headers: copied });
    expect(out.status).toBe(200);

    const after = await callRoute(tokens.GET, "/api/tokens", { as: null, headers: copied });
    expect(after.status).toBe(401);
    const minted = await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "stolen" }, headers: copied });
    expect(minted.status).toBe(401);
    expect((await callRoute(session.GET, "/api/session", { as: null, headers: copied })).body).toMatchObject({ operator: null });
  });

  it("signing out one session leaves the operator's other sessions open", async () => {
    const laptop = await signIn("ana");
    const desktop = await signIn("ana");
    await callRoute(logout.POST, "/api/auth/logout", { method: "POST", as: null, headers: { cookie: laptop.cookieHeader, "x-csrf-token": laptop.csrf } });
    expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: { cookie: laptop.cookieHeader } })).status).toBe(401);
    expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: { cookie: desktop.cookieHeader } })).status).toBe(200);
  });

  it("a session ended through another console process is refused here once SESSION_CHECK_CACHE_SECONDS (5) have passed", async () => {
    const { unsealSession } = await import("@/lib/server/auth/session");
    const { operatorSessions } = await import("@/lib/server/restate-ingress");
    const { set, cookieHeader } = await signIn("sam");
    const ended = await unsealSession(set.rmc_session?.value);
    const asTokens = () => callRoute(tokens.GET, "/api/tokens", { as: null, headers: { cookie: cookieHeader } });
    // Only this process's clock is held still: Restate answers as usual.
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      expect((await asTokens()).status).toBe(200);
      // Another console process signs it out: it ends the session in Restate, not in this process.
      await operatorSessions("sam").end(ended!.id);
      expect((await asTokens()).status).toBe(200);
      vi.setSystemTime(Date.now() + 5_001);
      expect((await asTokens()).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  type OperatorRecord = { username: string; roles: string[]; passwordHash: string };
  it.each<[string, (operators: OperatorRecord[]) => OperatorRecord[]]>([
    ["removing the operator", (operators) => operators.filter((operator) => operator.username !== "vic")],
    [
      "changing their roles",
      (operators) => operators.map((operator) => (operator.username === "vic" ? { ...operator, roles: ["viewer", "submitter"] } : operator)),
    ],
    [
      "changing their password",
      (operators) => operators.map((operator) => (operator.username === "vic" ? { ...operator, passwordHash: bcrypt.hashSync("a new one", 4) } : operator)),
    ],
  ])("%s ends their open session (401 on the next request)", async (_, change) => {
    const { cookieHeader } = await signIn("vic");
    const file = process.env.OPERATORS_FILE!;
    const before = readFileSync(file, "utf8");
    expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: { cookie: cookieHeader } })).status).toBe(200);
    const { operators } = JSON.parse(before) as { operators: OperatorRecord[] };
    writeFileSync(file, JSON.stringify({ operators: change(operators) }));
    try {
      expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: { cookie: cookieHeader } })).status).toBe(401);
    } finally {
      writeFileSync(file, before);
    }
    // Putting the record back does not revive it: the session was ended in Restate too.
    expect((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: { cookie: cookieHeader } })).status).toBe(401);
  });

  it("removing an operator also stops their tokens", async () => {
    const file = process.env.OPERATORS_FILE!;
    const before = readFileSync(file, "utf8");
    const { operators } = JSON.parse(before) as { operators: { username: string }[] };
    writeFileSync(file, JSON.stringify({ operators: operators.filter((operator) => operator.username !== "vic") }));
    try {
      expect((await callRoute(session.GET, "/api/session", { as: null, headers: { authorization: `Bearer ${tokenOf("vic")}` } })).body).toMatchObject({
        operator: null,
      });
    } finally {
      writeFileSync(file, before);
    }
  });
});

describe("API token lifetimes", () => {
  it("gives a new token the default lifetime, or the one asked for, and lists its expiry", async () => {
    const { cookieHeader, csrf } = await signIn("bo");
    const browser = { cookie: cookieHeader, "x-csrf-token": csrf };
    const day = 24 * 3600 * 1000;
    const standard = CreatedTokenSchema.parse(
      (await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "std" }, headers: browser })).body,
    );
    expect(Date.parse(standard.expiresAt) - Date.parse(standard.createdAt)).toBe(30 * day);
    const short = CreatedTokenSchema.parse(
      (await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "short", ttlDays: 2 }, headers: browser })).body,
    );
    expect(Date.parse(short.expiresAt) - Date.parse(short.createdAt)).toBe(2 * day);
    const listed = ApiTokenListSchema.parse((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: browser })).body);
    expect(listed.lifetime).toEqual({ defaultDays: 30, maxDays: 365 });
    expect(listed.items.find((item) => item.id === short.id)?.expiresAt).toBe(short.expiresAt);
  });

  it("refuses a lifetime above the maximum with 422 naming the field, and makes no token", async () => {
    const { cookieHeader, csrf } = await signIn("bo");
    const browser = { cookie: cookieHeader, "x-csrf-token": csrf };
    const count = () =>
      callRoute(tokens.GET, "/api/tokens", { as: null, headers: browser }).then((answer) => ApiTokenListSchema.parse(answer.body).items.length);
    const before = await count();
    const answer = await callRoute(tokens.POST, "/api/tokens", { method: "POST", as: null, body: { label: "forever", ttlDays: 366 }, headers: browser });
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.fields).toEqual({ ttlDays: "must be at most 365 days" });
    expect(await count()).toBe(before);
  });

  it("refuses a token past its expiry, and an old record without one once its default lifetime is over", async () => {
    const { cookieHeader, csrf } = await signIn("bo");
    const made = CreatedTokenSchema.parse(
      (
        await callRoute(tokens.POST, "/api/tokens", {
          method: "POST",
          as: null,
          body: { label: "soon gone" },
          headers: { cookie: cookieHeader, "x-csrf-token": csrf },
        })
      ).body,
    );
    const bearer = { authorization: `Bearer ${made.token}` };
    expect((await callRoute(session.GET, "/api/session", { as: null, headers: bearer })).body).toMatchObject({ operator: { username: "bo" } });

    const file = process.env.API_TOKENS_FILE!;
    const edit = (change: (record: Record<string, unknown>) => Record<string, unknown>) => {
      const stored = JSON.parse(readFileSync(file, "utf8")) as { tokens: Record<string, unknown>[] };
      writeFileSync(file, JSON.stringify({ tokens: stored.tokens.map((record) => (record.id === made.id ? change(record) : record)) }));
    };
    edit((record) => ({ ...record, expiresAt: "2026-01-02T03:04:05.000Z" }));
    const expired = await callRoute(tokens.GET, "/api/tokens", { as: null, headers: bearer });
    expect(expired.status).toBe(401);
    expect(ApiErrorSchema.parse(expired.body).error.message).toBe("The API token expired on 2026-01-02T03:04:05.000Z.");

    // A record from before expiry existed: createdAt + API_TOKEN_TTL_DAYS (30).
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000).toISOString();
    edit(({ expiresAt: _expiresAt, ...record }) => ({ ...record, createdAt: longAgo }));
    expect(ApiErrorSchema.parse((await callRoute(tokens.GET, "/api/tokens", { as: null, headers: bearer })).body).error.message).toMatch(
      /^The API token expired on /,
    );
    const recent = new Date(Date.now() - 29 * 24 * 3600 * 1000).toISOString();
    edit((record) => ({ ...record, createdAt: recent }));
    expect((await callRoute(session.GET, "/api/session", { as: null, headers: bearer })).body).toMatchObject({ operator: { username: "bo" } });
  });
});
