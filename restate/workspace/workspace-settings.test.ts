import { describe, expect, it } from "vitest";
import { workspaceSettingsFromEnv } from "./workspace-settings";

describe("workspace settings", () => {
  it("default to .data/repos and .data/workspaces under the working directory, node --test, and the best sandbox there is", () => {
    expect(workspaceSettingsFromEnv({}, "/srv/app")).toEqual({
      reposDir: "/srv/app/.data/repos",
      workspacesDir: "/srv/app/.data/workspaces",
      commands: [["node", "--test"]],
      sandbox: "auto",
      commandTimeoutMs: 120_000,
      outputCapBytes: 32_768,
    });
  });

  it("take the allowlist as a JSON array of command lines", () => {
    const settings = workspaceSettingsFromEnv({ WORKSPACE_COMMANDS: '["npm test", "node  --test  --test-reporter=tap"]' }, "/srv");
    expect(settings.commands).toEqual([
      ["npm", "test"],
      ["node", "--test", "--test-reporter=tap"],
    ]);
  });

  it.each([
    ["WORKSPACE_COMMANDS", "node --test", /^WORKSPACE_COMMANDS: must be a JSON array of command lines/],
    ["WORKSPACE_COMMANDS", "[]", /^WORKSPACE_COMMANDS: must be a JSON array/],
    ["WORKSPACE_COMMANDS", '["  "]', /^WORKSPACE_COMMANDS: must be a JSON array/],
    ["WORKSPACE_SANDBOX", "docker", /^WORKSPACE_SANDBOX: must be one of auto, bwrap, unshare, none/],
    ["WORKSPACE_COMMAND_TIMEOUT_MS", "soon", /^WORKSPACE_COMMAND_TIMEOUT_MS: must be a whole number of milliseconds/],
    ["WORKSPACE_COMMAND_TIMEOUT_MS", "0", /^WORKSPACE_COMMAND_TIMEOUT_MS: must be at least 1/],
    ["WORKSPACE_OUTPUT_CAP_BYTES", "1.5", /^WORKSPACE_OUTPUT_CAP_BYTES: must be a whole number of bytes/],
    ["REPOS_DIR", "", /^REPOS_DIR: must not be empty/],
  ])("%s=%j stops with a message naming the variable", (name, value, message) => {
    expect(() => workspaceSettingsFromEnv({ [name]: value })).toThrow(message);
  });
});
