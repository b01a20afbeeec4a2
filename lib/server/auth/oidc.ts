// Sign-in through any OpenID Connect provider (production), configured by environment: OIDC_ISSUER,
// OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and CONSOLE_URL. Authorization code flow with PKCE, state and
// nonce (openid-client); the operator's roles come from an ID-token claim (OIDC_ROLES_CLAIM), or
// OIDC_DEFAULT_ROLES when it names none of ours; their approver groups from OIDC_GROUPS_CLAIM.
import "server-only";
import { sealData, unsealData } from "iron-session";
import * as oidc from "openid-client";
import { parseGroups, parseRoles, RESERVED_USERNAMES, type Role } from "@/lib/auth/roles";
import { onServerEnvReset, serverEnv, ServerConfigError } from "../env";
import { ApiRouteError } from "../errors";
import { cookie, sessionSecret } from "./session";

export const OIDC_FLOW_COOKIE = "rmc_oidc";
const FLOW_TTL_SECONDS = 600;

export function oidcConfigured(): boolean {
  const env = serverEnv();
  return !!(env.OIDC_ISSUER && env.OIDC_CLIENT_ID);
}

let discovered: Promise<oidc.Configuration> | undefined;
onServerEnvReset(() => (discovered = undefined));
function configuration(): Promise<oidc.Configuration> {
  const env = serverEnv();
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID) throw new ApiRouteError("not_found", "Single sign-on is not configured.");
  const issuer = new URL(env.OIDC_ISSUER);
  // Plain http only for a provider on this machine (a local Keycloak or Dex, the tests' fake provider).
  const loopback = issuer.protocol === "http:" && ["localhost", "127.0.0.1", "[::1]"].includes(issuer.hostname);
  discovered ??= oidc
    .discovery(issuer, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET, undefined, loopback ? { execute: [oidc.allowInsecureRequests] } : undefined)
    .catch((error: unknown) => {
      discovered = undefined;
      throw error;
    });
  return discovered;
}

function redirectUri(): string {
  const base = serverEnv().CONSOLE_URL;
  if (!base) throw new ServerConfigError("CONSOLE_URL is required for OIDC sign-in (the redirect URI is {CONSOLE_URL}/api/auth/oidc/callback).");
  return `${base}/api/auth/oidc/callback`;
}

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
}

/** Where to send the browser to sign in, and the cookie that remembers this attempt's secrets. */
export async function beginSignIn(request: Request): Promise<{ url: string; cookie: string }> {
  const config = await configuration();
  const flow: Flow = { verifier: oidc.randomPKCECodeVerifier(), state: oidc.randomState(), nonce: oidc.randomNonce() };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(),
    scope: "openid profile email",
    code_challenge: await oidc.calculatePKCECodeChallenge(flow.verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  const sealed = await sealData(flow, { password: sessionSecret(), ttl: FLOW_TTL_SECONDS });
  return { url: url.href, cookie: cookie(request, OIDC_FLOW_COOKIE, sealed, { httpOnly: true, sameSite: "Lax", maxAge: FLOW_TTL_SECONDS }) };
}

/** Finishes the code flow: the operator the provider vouched for. */
export async function completeSignIn(
  request: Request,
  sealedFlow: string | undefined,
): Promise<{ username: string; name: string; roles: Role[]; groups: string[] }> {
  const flow = sealedFlow ? await unsealData<Partial<Flow>>(sealedFlow, { password: sessionSecret(), ttl: FLOW_TTL_SECONDS }) : {};
  if (!flow.verifier || !flow.state || !flow.nonce) throw new ApiRouteError("unauthorized", "The sign-in took too long or was not started here; try again.");
  const config = await configuration();
  const current = new URL(request.url);
  const callback = new URL(redirectUri());
  callback.search = current.search;
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
  try {
    tokens = await oidc.authorizationCodeGrant(config, callback, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (error) {
    // A wrong state or nonce, a refused code, a bad signature: no session, and the reason in the log.
    console.warn(`[oidc] sign-in refused: ${error instanceof Error ? error.message : String(error)}`);
    throw new ApiRouteError("unauthorized", "The identity provider's answer did not check out; sign in again.", undefined, error);
  }
  const claims = tokens.claims();
  if (!claims) throw new ApiRouteError("unauthorized", "The identity provider returned no ID token.");
  const env = serverEnv();
  const roles = parseRoles(claims[env.OIDC_ROLES_CLAIM]);
  const username = String(claims.email ?? claims.preferred_username ?? claims.sub);
  if (RESERVED_USERNAMES.includes(username)) throw new ApiRouteError("forbidden", `"${username}" is reserved for the console's own submissions.`);
  return {
    username,
    name: String(claims.name ?? username),
    roles: roles.length ? roles : parseRoles(env.OIDC_DEFAULT_ROLES),
    groups: parseGroups(claims[env.OIDC_GROUPS_CLAIM]),
  };
}
