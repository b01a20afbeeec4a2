// CODE_HOST=github's settings: each bad or missing value is named, and the services refuse to start with it.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort, projectRoot } from "../../../scripts/stack";
import { readServicesConfig } from "../../config";
import { describeIntegration } from "../../integrations/catalog";
import { githubSettingsFromEnv } from "./github-settings";

const dir = mkdtempSync(join(tmpdir(), "github-settings-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("githubSettingsFromEnv", () => {
  it("reads the token from GITHUB_TOKEN_FILE, trims it, and takes Enterprise's API URL", () => {
    writeFileSync(join(dir, "token"), "ghp_fromFILE\n");
    expect(githubSettingsFromEnv({ GITHUB_TOKEN_FILE: join(dir, "token"), GITHUB_API_URL: "https://ghe.example/api/v3/", GITHUB_OWNER: "acme" })).toEqual({
      token: "ghp_fromFILE",
      apiUrl: "https://ghe.example/api/v3",
      owner: "acme",
      timeoutMs: 30_000,
    });
  });

  it("is shown on the Integrations page as a remote adapter whose token is set, never its value", () => {
    const github = describeIntegration(
      "codeHost",
      readServicesConfig({ CODE_HOST: "github" }),
      { GITHUB_TOKEN: "ghp_secret", GITHUB_OWNER: "acme" },
      {
        lastCall: null,
        lastError: null,
        canTestConnection: true,
      },
    );
    expect(github).toMatchObject({ adapter: "github", kind: "remote", selectedBy: "CODE_HOST" });
    expect(github.settings).toContainEqual({ variable: "GITHUB_TOKEN", secret: true, set: true });
    expect(github.settings).toContainEqual({ variable: "GITHUB_OWNER", secret: false, set: true, value: "acme" });
    expect(JSON.stringify(github)).not.toContain("ghp_secret");
  });

  it.each([
    [{}, "GITHUB_TOKEN: CODE_HOST=github needs a token"],
    [{ GITHUB_TOKEN: "a", GITHUB_TOKEN_FILE: "/x" }, "GITHUB_TOKEN and GITHUB_TOKEN_FILE: set one, not both"],
    [{ GITHUB_TOKEN_FILE: "/nonexistent/token" }, "GITHUB_TOKEN_FILE: cannot read /nonexistent/token (ENOENT)"],
    [{ GITHUB_TOKEN: "a", GITHUB_API_URL: "ftp://github" }, "GITHUB_API_URL: must be an http(s) URL"],
    [{ GITHUB_TOKEN: "a", GITHUB_OWNER: "acme/web" }, "GITHUB_OWNER: must be a GitHub user or organization name"],
    [{ GITHUB_TOKEN: "a", GITHUB_TIMEOUT_MS: "soon" }, "GITHUB_TIMEOUT_MS: must be a whole number of milliseconds"],
  ])("refuses %j, naming the variable", (env, message) => {
    expect(() => githubSettingsFromEnv(env)).toThrow(message);
  });
});

it("stops the services at start-up when CODE_HOST=github has no token, naming the variable", async () => {
  const started = spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), ["--import", "tsx", join(projectRoot, "restate/app.ts")], {
    cwd: projectRoot,
    env: { ...process.env, SERVICES_PORT: String(await freePort()), OUTSIDE_WORLD_LEDGER: join(dir, "ledger.jsonl"), CODE_HOST: "github", GITHUB_TOKEN: "" },
    encoding: "utf8",
    // A process that started listening instead would be killed here, and the test fail.
    timeout: 60_000,
  });
  expect(started.signal).toBeNull();
  expect(started.status).not.toBe(0);
  expect(started.stderr).toContain("GITHUB_TOKEN: must not be empty");
});
