// The adapters are chosen at start-up: a provider's settings that do not fit stop the services process
// before it listens, with a message naming the variable.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { freePort, projectRoot } from "../../scripts/stack";

it("stops the services at start-up when a real provider lacks its model, naming the variable and not the key", async () => {
  const dir = mkdtempSync(join(tmpdir(), "adapters-"));
  try {
    const started = spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), ["--import", "tsx", join(projectRoot, "restate/app.ts")], {
      cwd: projectRoot,
      env: {
        ...process.env,
        SERVICES_PORT: String(await freePort()),
        OUTSIDE_WORLD_LEDGER: join(dir, "ledger.jsonl"),
        LLM_PROVIDER: "anthropic",
        LLM_API_KEY: "sk-test",
      },
      encoding: "utf8",
      // A process that started listening instead would be killed here, and the test fail.
      timeout: 60_000,
    });
    expect(started.status).not.toBe(0);
    expect(started.signal).toBeNull();
    expect(started.stderr).toContain("LLM_MODEL: required with LLM_PROVIDER=anthropic");
    expect(started.stderr).not.toContain("sk-test");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
