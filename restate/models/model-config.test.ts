import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { ModelConfigError, readModelSettings } from "./model-config";

const SECRET = "sk-test-0123456789abcdef";

function failure(env: Record<string, string>): string {
  try {
    readModelSettings(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the settings to be refused");
}

describe("readModelSettings", () => {
  it("is the stub provider when nothing is set", () => {
    expect(readModelSettings({})).toEqual({ provider: "stub" });
  });

  it("gives every role LLM_MODEL unless its own variable overrides it", () => {
    const settings = readModelSettings({
      LLM_PROVIDER: "openai-compatible",
      LLM_BASE_URL: "http://localhost:11434/v1",
      LLM_MODEL: "qwen3:8b",
      LLM_MODEL_JUDGE: "llama3.3:70b",
    });
    if (settings.provider === "stub") throw new Error("expected real models");
    expect(Object.values(settings.roles).map((role) => [role.role, role.model, role.baseUrl])).toEqual([
      ["fast", "qwen3:8b", "http://localhost:11434/v1"],
      ["conservative", "qwen3:8b", "http://localhost:11434/v1"],
      ["judge", "llama3.3:70b", "http://localhost:11434/v1"],
    ]);
    expect(settings.roles.fast.apiKey).toBeUndefined();
    expect(settings.roles.judge.timeoutMs).toBe(120_000);
  });

  it("needs no LLM_MODEL when each role names its own", () => {
    const settings = readModelSettings({
      LLM_PROVIDER: "anthropic",
      LLM_API_KEY: SECRET,
      LLM_MODEL_FAST: "claude-haiku-4-5",
      LLM_MODEL_CONSERVATIVE: "claude-sonnet-4-5",
      LLM_MODEL_JUDGE: "claude-opus-4-1",
    });
    expect(settings.provider === "anthropic" && settings.roles.conservative.model).toBe("claude-sonnet-4-5");
    expect(readModelSettings({ LLM_PROVIDER: "anthropic", LLM_API_KEY: SECRET, LLM_MODEL: "m", LLM_TIMEOUT_MS: "30000" })).toMatchObject({
      roles: { fast: { timeoutMs: 30_000 }, judge: { timeoutMs: 30_000 } },
    });
  });

  it.each([
    [{ LLM_PROVIDER: "openai" }, /^LLM_PROVIDER: must be one of stub, openai-compatible, anthropic/],
    [{ LLM_PROVIDER: "openai-compatible", LLM_MODEL: "gpt-4.1" }, /^LLM_BASE_URL: required with LLM_PROVIDER=openai-compatible/],
    [{ LLM_PROVIDER: "openai-compatible", LLM_BASE_URL: "localhost:11434" }, /^LLM_BASE_URL: must be an http\(s\) URL/],
    [{ LLM_PROVIDER: "openai-compatible", LLM_BASE_URL: "ftp://models.internal/v1", LLM_MODEL: "m" }, /^LLM_BASE_URL: must be an http\(s\) URL/],
    [{ LLM_PROVIDER: "openai-compatible", LLM_BASE_URL: "http://localhost:8000/v1" }, /^LLM_MODEL: required with LLM_PROVIDER=openai-compatible/],
    [
      { LLM_PROVIDER: "anthropic", LLM_API_KEY: SECRET, LLM_MODEL_FAST: "claude-haiku-4-5" },
      /^LLM_MODEL: .*\(or LLM_MODEL_CONSERVATIVE, LLM_MODEL_JUDGE for the roles without a model\)/,
    ],
    [{ LLM_PROVIDER: "anthropic", LLM_MODEL: "claude-sonnet-4-5" }, /^LLM_API_KEY: required with LLM_PROVIDER=anthropic/],
    [{ LLM_PROVIDER: "anthropic", LLM_MODEL: "m", LLM_API_KEY: SECRET, LLM_API_KEY_FILE: "/k" }, /^LLM_API_KEY, LLM_API_KEY_FILE: set one/],
    [
      { LLM_PROVIDER: "anthropic", LLM_MODEL: "m", LLM_API_KEY_FILE: "/nonexistent/llm-key" },
      /^LLM_API_KEY_FILE: cannot read \/nonexistent\/llm-key \(ENOENT\)/,
    ],
    [{ LLM_PROVIDER: "anthropic", LLM_MODEL: "  ", LLM_API_KEY: SECRET }, /^LLM_MODEL: must not be empty/],
    [
      { LLM_PROVIDER: "anthropic", LLM_MODEL: "m", LLM_API_KEY: SECRET, LLM_TIMEOUT_MS: "2 minutes" },
      /^LLM_TIMEOUT_MS: must be a whole number of milliseconds/,
    ],
    [{ LLM_PROVIDER: "anthropic", LLM_MODEL: "m", LLM_API_KEY: SECRET, LLM_TIMEOUT_MS: "50" }, /^LLM_TIMEOUT_MS: must be at least 1000 milliseconds/],
  ])("refuses %j naming the variable", (env, message) => {
    const text = failure(env);
    expect(text).toMatch(message);
    expect(text).not.toContain(SECRET);
  });

  it("reads the key from LLM_API_KEY_FILE, and the key never shows in logs or JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "llm-key-"));
    writeFileSync(join(dir, "key"), `${SECRET}\n`);
    const settings = readModelSettings({ LLM_PROVIDER: "anthropic", LLM_MODEL: "claude-sonnet-4-5", LLM_API_KEY_FILE: join(dir, "key") });
    if (settings.provider === "stub") throw new Error("expected real models");
    expect(settings.roles.judge.apiKey?.reveal()).toBe(SECRET);
    for (const shown of [JSON.stringify(settings), inspect(settings, { depth: 10 }), String(settings.roles.judge.apiKey), `${settings.roles.fast.apiKey}`]) {
      expect(shown).not.toContain(SECRET);
    }
    expect(JSON.stringify(settings.roles.fast)).toContain('"apiKey":"[redacted]"');
  });

  it("gives each role the price LLM_PRICES names for its model, and none to a model it does not name", () => {
    const settings = readModelSettings({
      LLM_PROVIDER: "openai-compatible",
      LLM_BASE_URL: "https://api.openai.com/v1",
      LLM_MODEL: "gpt-4.1",
      LLM_MODEL_FAST: "gpt-4.1-mini",
      LLM_PRICES: '{"gpt-4.1":{"input":2,"output":8}}',
    });
    if (settings.provider === "stub") throw new Error("expected real models");
    expect(settings.roles.judge.price).toEqual({ input: 2, output: 8 });
    expect(settings.roles.fast.price).toBeNull();
  });

  it("stops at a price table that does not parse, naming LLM_PRICES", () => {
    expect(failure({ LLM_PROVIDER: "anthropic", LLM_API_KEY: SECRET, LLM_MODEL: "claude-sonnet-4-5", LLM_PRICES: '{"claude-sonnet-4-5":3}' })).toMatch(
      /^LLM_PRICES: must be a JSON object of model id/,
    );
  });
});
