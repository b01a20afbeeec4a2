import { describe, expect, it } from "vitest";
import { formatCost, formatTokens, usageLine } from "./usage-format";

describe("usage in the console's words", () => {
  it.each([
    [0, "0"],
    [950, "950"],
    [5_700, "5.7k"],
    [12_345, "12k"],
    [1_250_000, "1.3M"],
  ])("shows %d tokens as %s", (tokens, shown) => {
    expect(formatTokens(tokens)).toBe(shown);
  });

  it.each([
    [null, "no price"],
    [0, "$0"],
    [0.00004, "< $0.0001"],
    [0.0166, "$0.0166"],
    [12.345, "$12.35"],
  ])("shows a cost of %s as %s", (cost, shown) => {
    expect(formatCost(cost)).toBe(shown);
  });

  it("says 'no price' for a run with an unpriced model, never a number", () => {
    expect(usageLine({ inputTokens: 400, outputTokens: 40, modelCalls: 1, costUsd: null })).toBe("400 tokens in · 40 out · 1 model call · no price");
  });
});
