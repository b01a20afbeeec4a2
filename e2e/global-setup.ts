// Starts the real product for the browser journeys (scripts/stack.ts): restate-server (not in
// always-replay, for speed), the services with quick-but-visible stub latency and an 8 s fast-rung
// timeout, their registration, and the console's production server, with the journeys' operators
// (e2e/operators.ts) and fresh secrets, as `npm start` makes them. Returns the teardown that stops it all.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { E2E_OPERATORS, e2ePassword } from "./operators";
import { projectRoot, Stack } from "../scripts/stack";

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(projectRoot, ".next", "BUILD_ID"))) {
    console.log("[e2e] no production build found: running next build...");
    const build = spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), [join(projectRoot, "node_modules", ".bin", "next"), "build"], {
      cwd: projectRoot,
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const dir = mkdtempSync(join(tmpdir(), "console-e2e-"));
  const operatorsFile = join(dir, "operators.json");
  const stack = new Stack({
    dataDir: dir,
    engine: { alwaysReplay: false, fastRetries: true },
    services: {
      env: {
        STUB_LATENCY_SCALE: process.env.E2E_STUB_LATENCY_SCALE ?? "0.2",
        // Only the runaway's rung is short (its agent cannot give up before 40 × 370 ms), yet long
        // enough for a fast agent's clone, fix and test run in a demo repository on a busy machine; the
        // conservative rung keeps its 60 s, so a busy machine cannot time it out.
        RUNG_TIMEOUTS_MS: "fastExecutor=8000",
        // Pull requests go to the local repositories, as with npm start, so the console can show them.
        CODE_HOST: "local",
        // The embedded tracker and chat, whose tickets and messages the console lists.
        ISSUE_TRACKER: "local",
        CHAT: "local",
      },
    },
    console: { operatorsFile },
  });
  const teardown = async () => {
    await stack.stop();
    const logs = join(projectRoot, "test-results", "e2e-stack-logs");
    mkdirSync(logs, { recursive: true });
    for (const file of ["restate-server.log", "services.log", "console.log"]) {
      if (existsSync(join(dir, file))) cpSync(join(dir, file), join(logs, file));
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const operators = Object.entries(E2E_OPERATORS).map(([username, { name, roles }]) => ({
      username,
      name,
      roles,
      passwordHash: bcrypt.hashSync(e2ePassword(username), 10),
    }));
    writeFileSync(operatorsFile, JSON.stringify({ operators }));
    await stack.start();
    const { server } = stack;
    process.env.E2E_BASE_URL = stack.console.url;
    process.env.E2E_RESTATE_ADMIN = server.adminUrl;
    process.env.E2E_RESTATE_INGRESS = server.ingressUrl;
    console.log(`[e2e] console ${stack.console.url} · ingress ${server.ingressUrl} · admin ${server.adminUrl}`);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
