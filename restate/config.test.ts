import { describe, expect, it } from "vitest";
import { readServicesConfig } from "./config";
import { LADDER_AGENTS } from "./contracts/rungs";

describe("RUNG_TIMEOUTS_MS", () => {
  it("sets the timeout of each rung it names and leaves the others alone", () => {
    expect(readServicesConfig({ RUNG_TIMEOUTS_MS: "fastExecutor=5000" }).RUNG_TIMEOUTS_MS).toEqual({ fastExecutor: 5000 });
    expect(readServicesConfig({ RUNG_TIMEOUTS_MS: " fastExecutor = 5000 , conservativeExecutor=90000" }).RUNG_TIMEOUTS_MS).toEqual({
      fastExecutor: 5000,
      conservativeExecutor: 90000,
    });
    expect(readServicesConfig({}).RUNG_TIMEOUTS_MS).toEqual({});
  });

  it.each([
    ["slowExecutor=5000", `RUNG_TIMEOUTS_MS: "slowExecutor" is not a rung (rungs: ${LADDER_AGENTS.join(", ")})`],
    ["fastExecutor=soon", /RUNG_TIMEOUTS_MS: fastExecutor's timeout must be a positive whole number of ms, got "soon"/],
    ["fastExecutor=0", /got "0"/],
    ["fastExecutor", /got ""/],
  ])("refuses %s, naming what is wrong", (value, message) => {
    expect(() => readServicesConfig({ RUNG_TIMEOUTS_MS: value })).toThrow(message);
  });
});

describe("LLM_PROVIDER", () => {
  it("uses the stub adapters unless told otherwise", () => {
    expect(readServicesConfig({}).LLM_PROVIDER).toBe("stub");
  });

  it("refuses a provider nobody knows, naming the variable and the choices", () => {
    expect(() => readServicesConfig({ LLM_PROVIDER: "openai" })).toThrow("LLM_PROVIDER: must be one of stub, openai-compatible, anthropic");
  });
});
