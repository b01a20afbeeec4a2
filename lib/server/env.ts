// The console's server settings, parsed from the environment on first use and cached. Read lazily
// (not at import) so tests can point process.env at a throwaway stack before the first request;
// lib/server/console-startup.ts calls serverEnv() at start-up so a bad value stops the server at once.
import "server-only";
import { readFileSync } from "node:fs";
import { z } from "zod";
import { jsonSetting } from "@/restate/contracts/json-setting";

/**
 * Extra headers as a JSON object of strings, e.g. for Restate Cloud or a proxy in front of a cluster:
 *   RESTATE_INGRESS_HEADERS='{"authorization":"Bearer …"}'
 *   RESTATE_ADMIN_HEADERS='{"authorization":"Bearer …"}'
 * Headers sent to the ingress are stored in every invocation's journal: the journal routes show only
 * the values of allowlisted harmless headers (lib/timeline.ts), and never those of the names listed here.
 */
const HeadersJson = z
  .string()
  .optional()
  .transform((text) => (text?.trim() ? text : "{}"))
  .pipe(
    jsonSetting(
      z.record(z.string().regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, "invalid header name"), z.string()),
      "must be a JSON object of header names to string values",
    ),
  );

const BaseUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" }).transform((url) => url.replace(/\/+$/, ""));

/** A whole number of days, 1 to 10 years. */
const Days = z.coerce
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(3650, "must be at most 3650 days");

const ServerEnvSchema = z
  .object({
    /** Restate ingress: where findings are submitted and the workflow's handlers are called. */
    RESTATE_INGRESS: BaseUrl.default("http://localhost:8080"),
    /** Restate admin API: SQL introspection (invocations, journals, state). Never exposed to the browser. */
    RESTATE_ADMIN: BaseUrl.default("http://localhost:9070"),
    RESTATE_INGRESS_HEADERS: HeadersJson,
    RESTATE_ADMIN_HEADERS: HeadersJson,
    /**
     * Base of the deep links into Restate's own UI (`{base}/ui/invocations/{id}`). Defaults to the admin
     * URL; set it when operators reach the UI elsewhere (a proxy, Restate Cloud), or to "off" to hide links.
     */
    RESTATE_UI_URL: z.union([z.literal("off"), BaseUrl]).optional(),
    /** Upper bound for one call to Restate; past it the route answers 503. */
    RESTATE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),

    /** Local operator accounts (JSON, bcrypt hashes): see lib/server/auth/operators.ts and `npm run operators`. */
    OPERATORS_FILE: z.string().default(".data/operators.json"),
    /** Personal API tokens (hashed): see lib/server/auth/api-tokens.ts. */
    API_TOKENS_FILE: z.string().default(".data/api-tokens.json"),
    /** How long a new API token lasts when its maker does not say (days). */
    API_TOKEN_TTL_DAYS: Days.default(30),
    /** The longest lifetime an operator may give a token (days); at least API_TOKEN_TTL_DAYS. */
    API_TOKEN_MAX_TTL_DAYS: Days.default(365),
    /** Seals the session cookie (iron-session); at least 32 characters. `npm start` generates one. */
    SESSION_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /** HMAC key shared with the services: signs every sign-off and submitter. `npm start` generates one. */
    APPROVAL_SIGNING_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
    /**
     * The services' record-signing public key (`ed25519:…`; `npm start` passes it): the run page
     * re-verifies approvals, the sign-off trail and the submitter with it and flags what does not verify.
     */
    RECORD_VERIFY_KEY: z
      .string()
      .regex(/^ed25519:[A-Za-z0-9_-]{43}$/, "must be ed25519:<32-byte key in base64url>")
      .optional(),
    /** How long a sign-in lasts. */
    SESSION_TTL_HOURS: z.coerce
      .number()
      .min(0.1)
      .max(24 * 30)
      .default(12),
    /**
     * How long a console process reuses Restate's "this session is open" before asking again: a
     * session ended through another console process is refused here within this bound (0: ask every time).
     */
    SESSION_CHECK_CACHE_SECONDS: z.coerce.number().min(0).max(60).default(5),
    /**
     * Cookies get the Secure flag: "auto" sets it when the request came over https (directly or as
     * x-forwarded-proto from a proxy), "true" always, "false" never (plain-http loopback only).
     */
    COOKIE_SECURE: z.enum(["auto", "true", "false"]).default("auto"),
    /**
     * How many reverse proxies stand in front of the console. 0 (the default, also "false"): none, so
     * X-Forwarded-* headers come from the client and are ignored. N (or "true" for 1): the client's
     * address is the Nth X-Forwarded-For entry from the right, and X-Forwarded-Host names the console.
     */
    TRUST_PROXY: z
      .string()
      .default("false")
      .transform((value) => (value === "false" ? "0" : value === "true" ? "1" : value))
      .pipe(z.coerce.number<string>().int("must be false, true or a number of proxies").min(0).max(10)),

    /** Sign-in throttling (lib/server/auth/sign-in-throttle.ts). Wrong passwords in a row, per operator and address, before a lockout. */
    LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
    /** The first lockout; each further one (within a day) doubles, up to LOGIN_LOCKOUT_MAX_SECONDS. */
    LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
    LOGIN_LOCKOUT_MAX_SECONDS: z.coerce.number().int().min(1).max(86_400).default(3600),
    /** Wrong passwords per client address and hour, all operators together (only with TRUST_PROXY). */
    LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(100),

    /** OpenID Connect sign-in (production): issuer URL, client id and secret, and where roles come from. */
    OIDC_ISSUER: z.url().optional(),
    OIDC_CLIENT_ID: z.string().optional(),
    OIDC_CLIENT_SECRET: z.string().optional(),
    /** The console's public URL, for the redirect URI `{CONSOLE_URL}/api/auth/oidc/callback`. */
    CONSOLE_URL: BaseUrl.optional(),
    /** ID-token claim holding the operator's roles (an array or a space/comma-separated string). */
    OIDC_ROLES_CLAIM: z.string().default("roles"),
    /** The ID-token claim with the operator's approver groups: an array of strings, or one string separated by spaces or commas. */
    OIDC_GROUPS_CLAIM: z.string().default("groups"),
    /** Roles for an OIDC operator whose token carries none of ours. */
    OIDC_DEFAULT_ROLES: z.string().default("viewer"),

    /** Findings intake (lib/intake, app/api/intake): the largest SARIF upload, and the most results in one. */
    SARIF_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(256 * 1024 * 1024)
      .default(10 * 1024 * 1024),
    SARIF_MAX_RESULTS: z.coerce.number().int().min(1).max(100_000).default(1000),
    /** The secret GitHub signs its webhook deliveries with (X-Hub-Signature-256); or a file that holds it. Unset: the GitHub intake is off. */
    GITHUB_WEBHOOK_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    GITHUB_WEBHOOK_SECRET_FILE: z.string().min(1).optional(),
    /** How long delivery ids are remembered (a replay within it is refused), and the age past which an alert's event is stale. */
    GITHUB_WEBHOOK_MAX_AGE_HOURS: z.coerce
      .number()
      .min(1)
      .max(24 * 90)
      .default(72),
    /** Slack sign-off (app/api/slack/interactions): the app's signing secret, or a file that holds it. Unset: the endpoint is off. */
    SLACK_SIGNING_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
    SLACK_SIGNING_SECRET_FILE: z.string().min(1).optional(),
    /** The bot token the endpoint reads who clicked with (users.info); the same one the services post with. */
    SLACK_BOT_TOKEN: z.string().min(8, "must be at least 8 characters").optional(),
    SLACK_BOT_TOKEN_FILE: z.string().min(1).optional(),
    /** Slack's Web API; another base only for a proxy or a test server. */
    SLACK_API_URL: BaseUrl.default("https://slack.com/api"),
  })
  .refine((env) => env.API_TOKEN_TTL_DAYS <= env.API_TOKEN_MAX_TTL_DAYS, {
    path: ["API_TOKEN_TTL_DAYS"],
    message: "must not exceed API_TOKEN_MAX_TTL_DAYS",
  })
  .refine((env) => env.LOGIN_LOCKOUT_MAX_SECONDS >= env.LOGIN_LOCKOUT_SECONDS, {
    path: ["LOGIN_LOCKOUT_MAX_SECONDS"],
    message: "must be at least LOGIN_LOCKOUT_SECONDS",
  })
  .refine((env) => !(env.GITHUB_WEBHOOK_SECRET && env.GITHUB_WEBHOOK_SECRET_FILE), {
    path: ["GITHUB_WEBHOOK_SECRET_FILE"],
    message: "set GITHUB_WEBHOOK_SECRET or GITHUB_WEBHOOK_SECRET_FILE, not both",
  })
  .refine((env) => !(env.SLACK_SIGNING_SECRET && env.SLACK_SIGNING_SECRET_FILE), {
    path: ["SLACK_SIGNING_SECRET_FILE"],
    message: "set SLACK_SIGNING_SECRET or SLACK_SIGNING_SECRET_FILE, not both",
  })
  .refine((env) => !(env.SLACK_BOT_TOKEN && env.SLACK_BOT_TOKEN_FILE), {
    path: ["SLACK_BOT_TOKEN_FILE"],
    message: "set SLACK_BOT_TOKEN or SLACK_BOT_TOKEN_FILE, not both",
  })
  .transform((env, ctx) => {
    const github = secretFromFile(env.GITHUB_WEBHOOK_SECRET_FILE, "GITHUB_WEBHOOK_SECRET_FILE", 16, ctx);
    const signing = secretFromFile(env.SLACK_SIGNING_SECRET_FILE, "SLACK_SIGNING_SECRET_FILE", 16, ctx);
    const token = secretFromFile(env.SLACK_BOT_TOKEN_FILE, "SLACK_BOT_TOKEN_FILE", 8, ctx);
    if (github === z.NEVER || signing === z.NEVER || token === z.NEVER) return z.NEVER;
    return {
      ...env,
      GITHUB_WEBHOOK_SECRET: github ?? env.GITHUB_WEBHOOK_SECRET,
      SLACK_SIGNING_SECRET: signing ?? env.SLACK_SIGNING_SECRET,
      SLACK_BOT_TOKEN: token ?? env.SLACK_BOT_TOKEN,
    };
  })
  .refine((env) => !env.SLACK_SIGNING_SECRET || !!env.SLACK_BOT_TOKEN, {
    path: ["SLACK_BOT_TOKEN"],
    message: "Slack sign-off needs the bot token too (to look up who clicked)",
  });

/**
 * A secret read once, at start-up, from the file `variable` names: a missing or short file stops the
 * console with the variable's name. Undefined when the variable is unset.
 */
function secretFromFile(file: string | undefined, variable: string, minLength: number, ctx: z.RefinementCtx): string | undefined {
  if (!file) return undefined;
  let secret: string;
  try {
    secret = readFileSync(file, "utf8").trim();
  } catch (error) {
    ctx.addIssue({ code: "custom", path: [variable], message: `cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})` });
    return z.NEVER;
  }
  if (secret.length < minLength) {
    ctx.addIssue({ code: "custom", path: [variable], message: `must hold a secret of at least ${minLength} characters` });
    return z.NEVER;
  }
  return secret;
}

export type ServerEnv = z.infer<typeof ServerEnvSchema> & { restateUiBase: string | null };

export class ServerConfigError extends Error {
  override name = "ServerConfigError";
}

let cached: ServerEnv | undefined;

export function parseServerEnv(env: Record<string, string | undefined>): ServerEnv {
  const parsed = ServerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ");
    throw new ServerConfigError(`Invalid console configuration: ${problems}`);
  }
  const settings = parsed.data;
  const restateUiBase = settings.RESTATE_UI_URL === "off" ? null : (settings.RESTATE_UI_URL ?? settings.RESTATE_ADMIN);
  return { ...settings, restateUiBase };
}

/** The parsed settings; the first call reads process.env, later calls return the same object. */
export function serverEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}

/** Forgets the cached settings (and whatever was built from them): tests only. */
export function resetServerEnvForTests(): void {
  cached = undefined;
  for (const reset of resetHooks) reset();
}

const resetHooks: (() => void)[] = [];
/** Lets modules that cache clients built from the settings drop them when the settings are reset. */
export function onServerEnvReset(reset: () => void): void {
  resetHooks.push(reset);
}
