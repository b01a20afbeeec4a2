// Starts the real product for the browser journeys (e2e/journey-stack.ts): the services with
// quick-but-visible stub latency and an 8 s fast-rung timeout, the console's production server (built
// first when there is no build). Returns the teardown that stops it all.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { writeJourneyPolicy } from "./deadline-policy";
import { startJourneyStack } from "./journey-stack";
import { projectRoot } from "../scripts/stack";

export default async function globalSetup(): Promise<() => Promise<void>> {
  if (!existsSync(join(projectRoot, ".next", "BUILD_ID"))) {
    console.log("[e2e] no production build found: running next build...");
    const build = spawnSync(join(projectRoot, "node_modules", "node", "bin", "node"), [join(projectRoot, "node_modules", ".bin", "next"), "build"], {
      cwd: projectRoot,
      stdio: "inherit",
    });
    if (build.status !== 0) throw new Error("next build failed");
  }

  const { stack, teardown, dataDir } = await startJourneyStack({
    servicesEnv: {
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
      // The embedded audit log and eval dataset, as with npm start: a journey verifies the log.
      AUDIT_SINK: "local",
      EVAL_STORE: "local",
      // The built-in rules, plus deadlines for the inbox's countdown (e2e/deadline-policy.ts).
      SIGNOFF_POLICY_FILE: writeJourneyPolicy(),
    },
    logsName: "e2e-stack-logs",
  });
  const { server } = stack;
  process.env.E2E_BASE_URL = stack.console.url;
  process.env.E2E_OUTSIDE_WORLD_DIR = join(dataDir, "outside");
  process.env.E2E_REPOS_DIR = join(dataDir, "repos");
  process.env.E2E_RECORD_VERIFY_KEY = stack.secrets.recordVerifyKey;
  process.env.E2E_RESTATE_ADMIN = server.adminUrl;
  process.env.E2E_RESTATE_INGRESS = server.ingressUrl;
  console.log(`[e2e] console ${stack.console.url} · ingress ${server.ingressUrl} · admin ${server.adminUrl}`);
  return teardown;
}
