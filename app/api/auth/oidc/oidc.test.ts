// Single sign-on against a fake OpenID Connect provider on loopback: discovery, the redirect with
// PKCE, state and nonce, the code exchange, a signed ID token, and roles from its claim.
import { createSign, generateKeyPairSync, randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SessionResponseSchema } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, cookieHeaderAfter, setCookies } from "@/lib/test/route-harness";

// Sessions are registered in Restate (ConsoleSessions), so sign-in needs a real stack.
consoleStackPerFile();

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const kid = randomUUID();
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/** What the provider says about the next operator who signs in. */
let nextClaims: Record<string, unknown> = {};
/** The nonce the console sent with the authorization request (the provider echoes it in the ID token). */
const nonces = new Map<string, string>();
let issuer = "";
let provider: Server;

function idToken(claims: Record<string, unknown>): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: "RS256", typ: "JWT", kid })}.${b64({ iss: issuer, aud: "console", iat: now, exp: now + 300, ...claims })}`;
  const signature = createSign("RSA-SHA256").update(body).sign(privateKey).toString("base64url");
  return `${body}.${signature}`;
}

beforeAll(async () => {
  provider = createServer((request, response) => {
    const url = new URL(request.url ?? "/", issuer);
    const json = (value: unknown) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(value));
    };
    if (url.pathname === "/.well-known/openid-configuration") {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
      });
    }
    if (url.pathname === "/jwks") return json({ keys: [{ ...publicKey.export({ format: "jwk" }), kid, alg: "RS256", use: "sig" }] });
    if (url.pathname === "/token") {
      let form = "";
      request.on("data", (chunk: Buffer) => (form += chunk.toString()));
      request.on("end", () => {
        const code = new URLSearchParams(form).get("code") ?? "";
        json({ access_token: "at", token_type: "Bearer", expires_in: 300, id_token: idToken({ ...nextClaims, nonce: nonces.get(code) }) });
      });
      return;
    }
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => provider.listen(0, "127.0.0.1", resolve));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}`;
  process.env.OIDC_ISSUER = issuer;
  process.env.OIDC_CLIENT_ID = "console";
  process.env.OIDC_CLIENT_SECRET = "console-secret";
  process.env.CONSOLE_URL = "http://console.test";
  (await import("@/lib/server/env")).resetServerEnvForTests();
});

afterAll(() => new Promise<void>((resolve) => provider.close(() => resolve())));

/** Runs the browser's part: start, "sign in at the provider", come back with the code. */
async function signInThroughProvider(claims: Record<string, unknown>) {
  const login = await import("./login/route");
  const callback = await import("./callback/route");
  const started = await callRoute(login.GET, "/api/auth/oidc/login", { as: null });
  expect(started.status).toBe(302);
  const authorize = new URL(started.headers.get("location")!);
  expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
  expect(authorize.searchParams.get("code_challenge_method")).toBe("S256");
  expect(authorize.searchParams.get("redirect_uri")).toBe("http://console.test/api/auth/oidc/callback");
  const flowCookie = cookieHeaderAfter(started);

  const code = randomUUID();
  nonces.set(code, authorize.searchParams.get("nonce")!);
  nextClaims = claims;
  const state = authorize.searchParams.get("state")!;
  return { callback, flowCookie, code, state };
}

describe("single sign-on", () => {
  it("is offered by GET /api/session when configured", async () => {
    const session = await import("@/app/api/session/route");
    expect(SessionResponseSchema.parse((await callRoute(session.GET, "/api/session", { as: null })).body).oidc).toBe(true);
  });

  it("signs in the operator the provider vouched for, with the roles and groups of its claims", async () => {
    const { callback, flowCookie, code, state } = await signInThroughProvider({
      sub: "u-1",
      email: "lin@corp.example",
      name: "Lin",
      roles: ["approver", "root"],
      groups: ["security", "not a group", "platform"],
    });
    const back = await callRoute(callback.GET, `/api/auth/oidc/callback?code=${code}&state=${state}`, { as: null, headers: { cookie: flowCookie } });
    expect(back.status).toBe(303);
    const cookies = cookieHeaderAfter(back);
    const session = await import("@/app/api/session/route");
    const me = SessionResponseSchema.parse((await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: cookies } })).body);
    expect(me.operator).toEqual({ username: "lin@corp.example", name: "Lin", roles: ["approver"], groups: ["security", "platform"], via: "oidc" });
  });

  it("signing out ends the single sign-on session on the server: a copy of the cookie no longer signs anyone in", async () => {
    const { callback, flowCookie, code, state } = await signInThroughProvider({ sub: "u-4", email: "max@corp.example", roles: ["viewer"] });
    const back = await callRoute(callback.GET, `/api/auth/oidc/callback?code=${code}&state=${state}`, { as: null, headers: { cookie: flowCookie } });
    const cookies = cookieHeaderAfter(back);
    const csrf = setCookies(back).rmc_csrf?.value ?? "";
    const session = await import("@/app/api/session/route");
    const logout = await import("../logout/route");
    expect(
      SessionResponseSchema.parse((await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: cookies } })).body).operator?.username,
    ).toBe("max@corp.example");
    expect((await callRoute(logout.POST, "/api/auth/logout", { method: "POST", as: null, headers: { cookie: cookies, "x-csrf-token": csrf } })).status).toBe(
      200,
    );
    expect(SessionResponseSchema.parse((await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: cookies } })).body).operator).toBeNull();
  });

  it("gives the default role when the token names none of ours", async () => {
    const { callback, flowCookie, code, state } = await signInThroughProvider({ sub: "u-2", email: "kim@corp.example" });
    const back = await callRoute(callback.GET, `/api/auth/oidc/callback?code=${code}&state=${state}`, { as: null, headers: { cookie: flowCookie } });
    const cookies = cookieHeaderAfter(back);
    const session = await import("@/app/api/session/route");
    const me = SessionResponseSchema.parse((await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: cookies } })).body);
    expect(me.operator?.roles).toEqual(["viewer"]);
    expect(me.operator?.groups).toEqual([]);
  });

  it("takes groups given as one string separated by spaces or commas", async () => {
    const { callback, flowCookie, code, state } = await signInThroughProvider({
      sub: "u-5",
      email: "noa@corp.example",
      roles: "approver",
      groups: "security, sre ops",
    });
    const back = await callRoute(callback.GET, `/api/auth/oidc/callback?code=${code}&state=${state}`, { as: null, headers: { cookie: flowCookie } });
    const session = await import("@/app/api/session/route");
    const me = SessionResponseSchema.parse((await callRoute(session.GET, "/api/session", { as: null, headers: { cookie: cookieHeaderAfter(back) } })).body);
    expect(me.operator?.groups).toEqual(["security", "sre", "ops"]);
  });

  it("refuses a callback whose state is not the one it sent, or that it did not start", async () => {
    const { callback, flowCookie, code } = await signInThroughProvider({ sub: "u-3", email: "eve@corp.example" });
    const forged = await callRoute(callback.GET, `/api/auth/oidc/callback?code=${code}&state=not-it`, { as: null, headers: { cookie: flowCookie } });
    expect(forged.status).toBe(401);
    expect(setCookies(forged).rmc_session).toBeUndefined();
    const unstarted = await callRoute(callback.GET, `/api/auth/oidc/callback?code=${code}&state=x`, { as: null });
    expect(unstarted.status).toBe(401);
  });
});
