import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addUsage } from "../contracts/usage";
import { modelCallUsage, PriceTableError, readPriceTable } from "./prices";

function refusal(env: Record<string, string>): string {
  try {
    readPriceTable(env);
  } catch (error) {
    expect(error).toBeInstanceOf(PriceTableError);
    return (error as Error).message;
  }
  throw new Error("expected the price table to be refused");
}

describe("readPriceTable", () => {
  it("is empty when neither variable is set", () => {
    expect(readPriceTable({})).toEqual({});
  });

  it("reads USD per million tokens per model id, inline or from a file", () => {
    const table = '{"gpt-4.1":{"input":2,"output":8},"claude-sonnet-4-5":{"input":3,"output":15}}';
    expect(readPriceTable({ LLM_PRICES: table })["gpt-4.1"]).toEqual({ input: 2, output: 8 });
    const file = join(mkdtempSync(join(tmpdir(), "prices-")), "prices.json");
    writeFileSync(file, table);
    expect(readPriceTable({ LLM_PRICES_FILE: file })["claude-sonnet-4-5"]).toEqual({ input: 3, output: 15 });
  });

  it.each([
    [{ LLM_PRICES: "gpt-4.1=2/8" }, /^LLM_PRICES: must be a JSON object of model id/],
    [{ LLM_PRICES: '{"gpt-4.1":{"input":-1,"output":8}}' }, /^LLM_PRICES: must be a JSON object/],
    [{ LLM_PRICES: '{"gpt-4.1":{"input":2}}' }, /^LLM_PRICES: must be a JSON object/],
    [{ LLM_PRICES: '{"gpt-4.1":{"in":2,"out":8}}' }, /^LLM_PRICES: must be a JSON object/],
    [{ LLM_PRICES_FILE: "/nonexistent/prices.json" }, /^LLM_PRICES_FILE: cannot read \/nonexistent\/prices.json \(ENOENT\)$/],
    [{ LLM_PRICES: "{}", LLM_PRICES_FILE: "/tmp/p.json" }, /^LLM_PRICES, LLM_PRICES_FILE: set one of them, not both$/],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(refusal(env)).toMatch(message);
  });

  it("names LLM_PRICES_FILE when the file's JSON is wrong", () => {
    const file = join(mkdtempSync(join(tmpdir(), "prices-")), "prices.json");
    writeFileSync(file, "[1, 2]");
    expect(refusal({ LLM_PRICES_FILE: file })).toMatch(/^LLM_PRICES_FILE: must be a JSON object/);
  });
});

describe("modelCallUsage", () => {
  it("prices a call's tokens per million", () => {
    expect(modelCallUsage({ input: 2, output: 8 }, { inputTokens: 1_500, outputTokens: 500 })).toEqual({
      inputTokens: 1_500,
      outputTokens: 500,
      modelCalls: 1,
      costUsd: 0.007,
    });
  });

  it("gives no cost, never a guess, for a model without a price or tokens the provider did not report", () => {
    expect(modelCallUsage(null, { inputTokens: 100, outputTokens: 20 }).costUsd).toBeNull();
    expect(modelCallUsage({ input: 2, output: 8 }, { inputTokens: null, outputTokens: 20 })).toMatchObject({ inputTokens: 0, costUsd: null });
    const priced = modelCallUsage({ input: 2, output: 8 }, { inputTokens: 100, outputTokens: 20 });
    expect(addUsage(priced, modelCallUsage(null, { inputTokens: 1, outputTokens: 1 })).costUsd).toBeNull();
  });
});
