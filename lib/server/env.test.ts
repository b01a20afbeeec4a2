import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseServerEnv, ServerConfigError } from "./env";

describe("parseServerEnv", () => {
  it("defaults to a local Restate and links its UI through the admin URL", () => {
    const env = parseServerEnv({});
    expect(env).toMatchObject({
      RESTATE_INGRESS: "http://localhost:8080",
      RESTATE_ADMIN: "http://localhost:9070",
      RESTATE_INGRESS_HEADERS: {},
      RESTATE_ADMIN_HEADERS: {},
      restateUiBase: "http://localhost:9070",
    });
  });

  it("reads a Restate Cloud-style setup: URLs without trailing slash, auth headers, a separate UI", () => {
    const env = parseServerEnv({
      RESTATE_INGRESS: "https://env.example.restate.cloud:8080/",
      RESTATE_ADMIN: "https://env.example.restate.cloud:9070",
      RESTATE_INGRESS_HEADERS: '{"authorization":"Bearer key_1"}',
      RESTATE_ADMIN_HEADERS: '{"authorization":"Bearer key_1"}',
      RESTATE_UI_URL: "https://cloud.restate.dev/env",
    });
    expect(env.RESTATE_INGRESS).toBe("https://env.example.restate.cloud:8080");
    expect(env.RESTATE_INGRESS_HEADERS).toEqual({ authorization: "Bearer key_1" });
    expect(env.restateUiBase).toBe("https://cloud.restate.dev/env");
  });

  it("gives API tokens 30 days unless told, at most 365", () => {
    expect(parseServerEnv({})).toMatchObject({ API_TOKEN_TTL_DAYS: 30, API_TOKEN_MAX_TTL_DAYS: 365 });
    expect(parseServerEnv({ API_TOKEN_TTL_DAYS: "7", API_TOKEN_MAX_TTL_DAYS: "30" })).toMatchObject({ API_TOKEN_TTL_DAYS: 7, API_TOKEN_MAX_TTL_DAYS: 30 });
  });

  it("reads the GitHub webhook secret from its file, without the line break, and never needs one", () => {
    const dir = mkdtempSync(join(tmpdir(), "console-env-"));
    writeFileSync(join(dir, "webhook-secret"), "0123456789abcdef0123\n");
    expect(parseServerEnv({ GITHUB_WEBHOOK_SECRET_FILE: join(dir, "webhook-secret") }).GITHUB_WEBHOOK_SECRET).toBe("0123456789abcdef0123");
    writeFileSync(join(dir, "short-secret"), "abc\n");
    expect(() => parseServerEnv({ GITHUB_WEBHOOK_SECRET_FILE: join(dir, "short-secret") })).toThrow(/GITHUB_WEBHOOK_SECRET_FILE: must hold a secret/);
    expect(parseServerEnv({}).GITHUB_WEBHOOK_SECRET).toBeUndefined();
    expect(parseServerEnv({})).toMatchObject({ SARIF_MAX_BYTES: 10 * 1024 * 1024, SARIF_MAX_RESULTS: 1000 });
  });

  it("reads Slack's signing secret and bot token from their files, and refuses a signing secret without a token", () => {
    const dir = mkdtempSync(join(tmpdir(), "console-env-"));
    writeFileSync(join(dir, "signing-secret"), "abcdef0123456789abcd\n");
    writeFileSync(join(dir, "bot-token"), "xoxb-0123456789\n");
    const env = parseServerEnv({ SLACK_SIGNING_SECRET_FILE: join(dir, "signing-secret"), SLACK_BOT_TOKEN_FILE: join(dir, "bot-token") });
    expect(env).toMatchObject({ SLACK_SIGNING_SECRET: "abcdef0123456789abcd", SLACK_BOT_TOKEN: "xoxb-0123456789", SLACK_API_URL: "https://slack.com/api" });
    expect(() => parseServerEnv({ SLACK_SIGNING_SECRET_FILE: join(dir, "signing-secret") })).toThrow(/SLACK_BOT_TOKEN: Slack sign-off needs the bot token/);
    expect(() => parseServerEnv({ SLACK_SIGNING_SECRET: "s".repeat(20), SLACK_SIGNING_SECRET_FILE: "/x" })).toThrow(
      /SLACK_SIGNING_SECRET_FILE: set .* not both/,
    );
    expect(parseServerEnv({}).SLACK_SIGNING_SECRET).toBeUndefined();
  });

  it("hides the deep links when the UI is switched off", () => {
    expect(parseServerEnv({ RESTATE_UI_URL: "off" }).restateUiBase).toBeNull();
  });

  it.each([
    ["a URL that is not one", { RESTATE_INGRESS: "localhost:8080" }, /RESTATE_INGRESS/],
    ["headers that are not JSON", { RESTATE_ADMIN_HEADERS: "authorization: x" }, /RESTATE_ADMIN_HEADERS/],
    ["headers that are not strings", { RESTATE_INGRESS_HEADERS: '{"x-n":1}' }, /RESTATE_INGRESS_HEADERS/],
    ["a timeout that is not a number", { RESTATE_TIMEOUT_MS: "soon" }, /RESTATE_TIMEOUT_MS/],
    ["a token lifetime that is not a number", { API_TOKEN_TTL_DAYS: "a month" }, /API_TOKEN_TTL_DAYS: must be a whole number of days/],
    ["a token lifetime of zero days", { API_TOKEN_TTL_DAYS: "0" }, /API_TOKEN_TTL_DAYS: must be at least 1 day/],
    ["a fractional token lifetime", { API_TOKEN_TTL_DAYS: "1.5" }, /API_TOKEN_TTL_DAYS: must be a whole number of days/],
    [
      "a default token lifetime above the maximum",
      { API_TOKEN_TTL_DAYS: "90", API_TOKEN_MAX_TTL_DAYS: "60" },
      /API_TOKEN_TTL_DAYS: must not exceed API_TOKEN_MAX_TTL_DAYS/,
    ],
    ["a maximum token lifetime of ten years and more", { API_TOKEN_MAX_TTL_DAYS: "5000" }, /API_TOKEN_MAX_TTL_DAYS: must be at most 3650 days/],
    ["a proxy setting that is neither a flag nor a count", { TRUST_PROXY: "yes" }, /TRUST_PROXY/],
    [
      "a lockout cap below the first lockout",
      { LOGIN_LOCKOUT_SECONDS: "600", LOGIN_LOCKOUT_MAX_SECONDS: "60" },
      /LOGIN_LOCKOUT_MAX_SECONDS: must be at least LOGIN_LOCKOUT_SECONDS/,
    ],
    ["a short webhook secret", { GITHUB_WEBHOOK_SECRET: "short" }, /GITHUB_WEBHOOK_SECRET: must be at least 16 characters/],
    [
      "a webhook secret given twice",
      { GITHUB_WEBHOOK_SECRET: "s".repeat(32), GITHUB_WEBHOOK_SECRET_FILE: "/x" },
      /GITHUB_WEBHOOK_SECRET_FILE: set .* not both/,
    ],
    ["a webhook secret file that is not there", { GITHUB_WEBHOOK_SECRET_FILE: "/nonexistent/secret" }, /GITHUB_WEBHOOK_SECRET_FILE: cannot be read \(ENOENT\)/],
    ["a SARIF result limit of zero", { SARIF_MAX_RESULTS: "0" }, /SARIF_MAX_RESULTS/],
  ])("fails fast on %s", (_, env, message) => {
    expect(() => parseServerEnv(env)).toThrow(ServerConfigError);
    expect(() => parseServerEnv(env)).toThrow(message);
  });

  it.each([
    [undefined, 0],
    ["false", 0],
    ["true", 1],
    ["2", 2],
  ])("reads TRUST_PROXY=%s as %i proxies in front", (value, proxies) => {
    expect(parseServerEnv(value === undefined ? {} : { TRUST_PROXY: value }).TRUST_PROXY).toBe(proxies);
  });
});
