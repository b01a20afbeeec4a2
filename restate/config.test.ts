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

describe("RUN_INDEX_BUCKET_SIZE", () => {
  it("is 100 unless set, and takes a whole number from 4 to 1000", () => {
    expect(readServicesConfig({}).RUN_INDEX_BUCKET_SIZE).toBe(100);
    expect(readServicesConfig({ RUN_INDEX_BUCKET_SIZE: "10" }).RUN_INDEX_BUCKET_SIZE).toBe(10);
    for (const value of ["3", "1001", "12.5", "many"]) {
      expect(() => readServicesConfig({ RUN_INDEX_BUCKET_SIZE: value }), value).toThrow(/Invalid services configuration: RUN_INDEX_BUCKET_SIZE: /);
    }
  });
});
