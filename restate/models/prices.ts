// What a model call costs: the price table from LLM_PRICES (JSON) or LLM_PRICES_FILE, per model id, in
// US dollars per million input and output tokens. A model the table does not name has no price, and its
// calls cost null ("no price"), never a guess.
import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Usage } from "../contracts/schemas";
import { jsonSetting } from "../contracts/json-setting";

const perMillion = z.number().finite().min(0);
export const ModelPriceSchema = z.object({ input: perMillion, output: perMillion }).strict();
/** US dollars per million tokens. */
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export type PriceTable = Readonly<Record<string, ModelPrice>>;

const PRICE_TABLE = jsonSetting(
  z.record(z.string().trim().min(1), ModelPriceSchema),
  'must be a JSON object of model id → {"input": USD per million input tokens, "output": USD per million output tokens}, e.g. {"gpt-4.1":{"input":2,"output":8}}',
);

export class PriceTableError extends Error {
  override name = "PriceTableError";
}

/** The table from LLM_PRICES or LLM_PRICES_FILE (empty when neither is set); throws naming the variable. */
export function readPriceTable(env: { LLM_PRICES?: string; LLM_PRICES_FILE?: string }): PriceTable {
  const inline = env.LLM_PRICES || undefined;
  const file = env.LLM_PRICES_FILE || undefined;
  if (inline && file) throw new PriceTableError("LLM_PRICES, LLM_PRICES_FILE: set one of them, not both");
  let text = inline;
  const variable = file ? "LLM_PRICES_FILE" : "LLM_PRICES";
  if (file) {
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new PriceTableError(`LLM_PRICES_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }
  if (text === undefined) return {};
  const parsed = PRICE_TABLE.safeParse(text);
  if (!parsed.success) throw new PriceTableError(`${variable}: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/**
 * One model call's usage as the provider reported it, priced. Tokens the provider did not report count
 * as 0, and then the cost is unknown too.
 */
export function modelCallUsage(price: ModelPrice | null, tokens: { inputTokens: number | null; outputTokens: number | null }): Usage {
  const inputTokens = tokens.inputTokens ?? 0;
  const outputTokens = tokens.outputTokens ?? 0;
  const reported = tokens.inputTokens !== null && tokens.outputTokens !== null;
  const costUsd = price && reported ? (inputTokens * price.input + outputTokens * price.output) / 1_000_000 : null;
  return { inputTokens, outputTokens, modelCalls: 1, costUsd };
}
