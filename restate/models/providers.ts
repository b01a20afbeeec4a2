// One AI SDK language model per role, from the checked settings. openai-compatible is used for what
// OpenAI, Ollama, vLLM, llama.cpp's server and LM Studio share: chat completions with tool calls (no
// provider-enforced JSON schema; structured output is validated by us, see structured.ts).
import { createAnthropic } from "@ai-sdk/anthropic";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModel } from "ai";
import type { ModelRole, ModelSettings, RoleModelSettings } from "./model-config";
import type { ModelPrice } from "./prices";

/** A role's model, with the name error messages and usage records give it ("anthropic claude-…"). */
export interface RoleModel {
  role: ModelRole;
  label: string;
  model: LanguageModel;
  /** What its calls cost (LLM_PRICES); null: no price. */
  price: ModelPrice | null;
  /** One call's deadline, unless the call names its own. */
  timeoutMs?: number;
}

export function languageModelFor(settings: RoleModelSettings): RoleModel {
  const label = `${settings.provider} ${settings.model}`;
  const key = settings.apiKey;
  if (settings.provider === "anthropic") {
    const anthropic = createAnthropic({ baseURL: settings.baseUrl, apiKey: key?.reveal() });
    return { role: settings.role, label, model: anthropic(settings.model), price: settings.price ?? null, timeoutMs: settings.timeoutMs };
  }
  if (!settings.baseUrl) throw new Error("openai-compatible needs a base URL (LLM_BASE_URL)");
  const compatible = createOpenAICompatible({
    name: "openai-compatible",
    baseURL: settings.baseUrl,
    // A function, so the key is read at request time and the provider object holds no copy of it.
    ...(key ? { apiKey: () => key.reveal() } : {}),
  });
  return { role: settings.role, label, model: compatible.chatModel(settings.model), price: settings.price ?? null, timeoutMs: settings.timeoutMs };
}

/** Every role's model, or null for the stub provider (the agents keep their stubs). */
export function roleModels(settings: ModelSettings): Record<ModelRole, RoleModel> | null {
  if (settings.provider === "stub") return null;
  return {
    fast: languageModelFor(settings.roles.fast),
    conservative: languageModelFor(settings.roles.conservative),
    judge: languageModelFor(settings.roles.judge),
  };
}
