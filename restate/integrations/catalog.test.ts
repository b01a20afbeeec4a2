import { describe, expect, it } from "vitest";
import { readServicesConfig } from "../config";
import { PORT_NAMES } from "../contracts/integrations";
import { describeIntegration } from "./catalog";

const nothingSeen = { lastCall: null, lastError: null, canTestConnection: false };

describe("the Integrations page's catalog", () => {
  it("names each port's adapter and whether it is embedded, a stand-in or an outside system", () => {
    const config = readServicesConfig({ CODE_HOST: "stub", ISSUE_TRACKER: "local" });
    expect(describeIntegration("codeHost", config, {}, nothingSeen)).toMatchObject({ adapter: "stub", kind: "stub", selectedBy: "CODE_HOST" });
    expect(describeIntegration("issueTracker", config, {}, nothingSeen)).toMatchObject({ adapter: "local", kind: "embedded" });
    expect(describeIntegration("planner", config, {}, nothingSeen)).toMatchObject({ adapter: "stub", selectedBy: "LLM_PROVIDER" });
    expect(PORT_NAMES.map((port) => describeIntegration(port, config, {}, nothingSeen).port)).toEqual([...PORT_NAMES]);
  });

  it("shows a plain setting's value but only whether a secret is set, from the variable or its _FILE", () => {
    const config = readServicesConfig({ LLM_PROVIDER: "openai-compatible" });
    const secret = "sk-do-not-show-9f8e7d";
    const withKey = describeIntegration("planner", config, { LLM_API_KEY: secret, LLM_BASE_URL: "http://127.0.0.1:11434/v1" }, nothingSeen);
    expect(withKey.kind).toBe("remote");
    expect(withKey.settings.find((setting) => setting.variable === "LLM_API_KEY")).toEqual({ variable: "LLM_API_KEY", secret: true, set: true });
    expect(withKey.settings.find((setting) => setting.variable === "LLM_BASE_URL")).toMatchObject({ set: true, value: "http://127.0.0.1:11434/v1" });
    expect(JSON.stringify(withKey)).not.toContain(secret);
    const fromFile = describeIntegration("planner", config, { LLM_API_KEY_FILE: "/run/secrets/llm" }, nothingSeen);
    expect(fromFile.settings.find((setting) => setting.variable === "LLM_API_KEY")).toMatchObject({ set: true });
    expect(JSON.stringify(fromFile)).not.toContain("/run/secrets");
    const without = describeIntegration("planner", config, {}, nothingSeen);
    expect(without.settings.find((setting) => setting.variable === "LLM_API_KEY")).toMatchObject({ set: false });
  });

  it("lists the SIEM's and Langfuse's settings, their secrets as set or not", () => {
    const config = readServicesConfig({ AUDIT_SINK: "siem", EVAL_STORE: "langfuse" });
    const env = {
      SIEM_URL: "https://siem.corp.example/hec",
      SIEM_TOKEN_FILE: "/run/secrets/siem",
      LANGFUSE_PUBLIC_KEY: "pk-lf-1",
      LANGFUSE_SECRET_KEY: "sk-lf-do-not-show",
    };
    const audit = describeIntegration("audit", config, env, nothingSeen);
    expect(audit).toMatchObject({ adapter: "siem", kind: "remote", selectedBy: "AUDIT_SINK" });
    expect(audit.settings.filter((setting) => setting.set).map((setting) => setting.variable)).toEqual(["SIEM_URL", "SIEM_TOKEN"]);
    const evalStore = describeIntegration("evalStore", config, env, nothingSeen);
    expect(evalStore.settings.find((setting) => setting.variable === "LANGFUSE_SECRET_KEY")).toEqual({
      variable: "LANGFUSE_SECRET_KEY",
      secret: true,
      set: true,
    });
    expect(JSON.stringify([audit, evalStore])).not.toMatch(/sk-lf-do-not-show|run\/secrets/);
  });
});
