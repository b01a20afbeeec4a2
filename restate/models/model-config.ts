// Which model each role uses: LLM_* variables, checked once; a bad value names the variable.
// The API key lives in an ApiKey, which prints as "[redacted]" however it is logged or serialised.
import { readFileSync } from "node:fs";
import { inspect } from "node:util";
import { z } from "zod";
import { PriceTableError, readPriceTable, type ModelPrice } from "./prices";

export const MODEL_ROLES = ["fast", "conservative", "judge"] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

export const LLM_PROVIDERS = ["stub", "openai-compatible", "anthropic"] as const;
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

const ROLE_VARIABLE: Record<ModelRole, "LLM_MODEL_FAST" | "LLM_MODEL_CONSERVATIVE" | "LLM_MODEL_JUDGE"> = {
  fast: "LLM_MODEL_FAST",
  conservative: "LLM_MODEL_CONSERVATIVE",
  judge: "LLM_MODEL_JUDGE",
};

/** A secret that never shows: String(), JSON and util.inspect all give "[redacted]". */
export class ApiKey {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString() {
    return "[redacted]";
  }
  toJSON() {
    return "[redacted]";
  }
  [inspect.custom]() {
    return "ApiKey([redacted])";
  }
}

const modelName = z.string().trim().min(1, "must not be empty").optional();

/**
 * The LLM_* variables, each checked on its own (spread `.shape` into a larger env schema to fold them in);
 * `resolveModelSettings` then checks them together.
 */
export const ModelEnvSchema = z.object({
  LLM_PROVIDER: z.enum(LLM_PROVIDERS, { error: `must be one of ${LLM_PROVIDERS.join(", ")}` }).default("stub"),
  LLM_BASE_URL: z.url({ protocol: /^https?$/, error: "must be an http(s) URL, e.g. http://localhost:11434/v1" }).optional(),
  LLM_API_KEY: z.string().min(1, "must not be empty").optional(),
  LLM_API_KEY_FILE: z.string().min(1, "must not be empty").optional(),
  LLM_MODEL: modelName,
  LLM_MODEL_FAST: modelName,
  LLM_MODEL_CONSERVATIVE: modelName,
  LLM_MODEL_JUDGE: modelName,
  /** The price table (restate/models/prices.ts), JSON inline or in a file. */
  LLM_PRICES: z.string().optional(),
  LLM_PRICES_FILE: z.string().min(1, "must not be empty").optional(),
  /** One model call's deadline; also how long a cancelled rung's call in flight can hold its workspace. */
  LLM_TIMEOUT_MS: z.coerce
    .number({ error: "must be a whole number of milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(1_000, "must be at least 1000 milliseconds")
    .max(3_600_000, "must be at most 3600000 milliseconds")
    .default(120_000),
});
export type ModelEnv = z.infer<typeof ModelEnvSchema>;

export interface RoleModelSettings {
  role: ModelRole;
  provider: Exclude<LlmProvider, "stub">;
  /** undefined: the provider's own default (Anthropic's API). */
  baseUrl: string | undefined;
  model: string;
  apiKey: ApiKey | undefined;
  /** From LLM_PRICES by the model's id; null or absent when the table does not name it (its calls then have no cost). */
  price?: ModelPrice | null;
  /** One call's deadline (LLM_TIMEOUT_MS); the model layer's default when absent. */
  timeoutMs?: number;
}

export type ModelSettings = { provider: "stub" } | { provider: Exclude<LlmProvider, "stub">; roles: Record<ModelRole, RoleModelSettings> };

export class ModelConfigError extends Error {
  override name = "ModelConfigError";
}

function readKeyFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ModelConfigError(`LLM_API_KEY_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  const key = text.trim();
  if (!key) throw new ModelConfigError(`LLM_API_KEY_FILE: ${path} is empty`);
  return key;
}

/** Checks the variables together (which ones a provider needs) and reads the key file, once. */
export function resolveModelSettings(env: ModelEnv): ModelSettings {
  const provider = env.LLM_PROVIDER;
  if (provider === "stub") return { provider };
  if (env.LLM_API_KEY && env.LLM_API_KEY_FILE) {
    throw new ModelConfigError("LLM_API_KEY, LLM_API_KEY_FILE: set one of them, not both");
  }
  if (provider === "openai-compatible" && !env.LLM_BASE_URL) {
    throw new ModelConfigError(
      "LLM_BASE_URL: required with LLM_PROVIDER=openai-compatible (https://api.openai.com/v1, or a local server such as http://localhost:11434/v1)",
    );
  }
  const keyText = env.LLM_API_KEY ?? (env.LLM_API_KEY_FILE ? readKeyFile(env.LLM_API_KEY_FILE) : undefined);
  if (provider === "anthropic" && !keyText) {
    throw new ModelConfigError("LLM_API_KEY: required with LLM_PROVIDER=anthropic (or LLM_API_KEY_FILE)");
  }
  const apiKey = keyText ? new ApiKey(keyText) : undefined;
  let prices;
  try {
    prices = readPriceTable(env);
  } catch (error) {
    throw error instanceof PriceTableError ? new ModelConfigError(error.message) : error;
  }
  const missing = MODEL_ROLES.filter((role) => !env[ROLE_VARIABLE[role]] && !env.LLM_MODEL);
  if (missing.length) {
    throw new ModelConfigError(
      `LLM_MODEL: required with LLM_PROVIDER=${provider} (or ${missing.map((role) => ROLE_VARIABLE[role]).join(", ")} for the roles without a model)`,
    );
  }
  const roleSettings = (role: ModelRole): RoleModelSettings => {
    const model = (env[ROLE_VARIABLE[role]] ?? env.LLM_MODEL) as string;
    return { role, provider, baseUrl: env.LLM_BASE_URL, model, apiKey, timeoutMs: env.LLM_TIMEOUT_MS, price: prices[model] ?? null };
  };
  return { provider, roles: { fast: roleSettings("fast"), conservative: roleSettings("conservative"), judge: roleSettings("judge") } };
}

/** Reads the LLM_* variables of an environment; throws a ModelConfigError naming the bad variable. */
export function readModelSettings(env: Record<string, string | undefined> = process.env): ModelSettings {
  const picked = Object.fromEntries(Object.keys(ModelEnvSchema.shape).map((name) => [name, env[name] === "" ? undefined : env[name]]));
  const parsed = ModelEnvSchema.safeParse(picked);
  if (!parsed.success) {
    throw new ModelConfigError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; "));
  }
  return resolveModelSettings(parsed.data);
}
