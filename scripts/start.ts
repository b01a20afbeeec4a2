// `npm start`: the whole product on this machine. An embedded Restate server (data kept in
// .data/restate, so runs survive restarts), the services endpoint, their registration, and the
// console. Everything binds to 127.0.0.1; Ctrl-C stops all of it. On first start it also generates the
// secrets (signing secret, session secret, request identity key) and a first admin operator.
import { join, resolve } from "node:path";
import { loadPolicy, PolicyFileError } from "../restate/policy/policy-file";
import { ensureConsoleBuild } from "./console-build";
import { ensureOperators, operatorsFile } from "./operators";
import { ensureLocalSecrets } from "./secrets";
import { startEngineGuard } from "./engine-guard";
import { freePort, projectRoot, Stack } from "./stack";

const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const ports = {
  ingress: port("RESTATE_INGRESS_PORT", 8080),
  admin: port("RESTATE_ADMIN_PORT", 9070),
  node: port("RESTATE_NODE_PORT", 5122),
  services: port("SERVICES_PORT", 9080),
  console: port("CONSOLE_PORT", 3000),
};
const dataDir = process.env.DATA_DIR ?? join(projectRoot, ".data");

let stack: Stack | undefined;
let stopping = false;
async function stopAll(code: number) {
  if (stopping) return;
  stopping = true;
  console.log("\nstopping...");
  await stack?.stop();
  process.exit(code);
}
process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));

/**
 * The sign-off policy is checked before anything starts: an invalid SIGNOFF_POLICY_FILE stops `npm start`
 * with each problem's line and column (the services would refuse to start with it anyway).
 */
function checkPolicyFile(): void {
  const file = process.env.SIGNOFF_POLICY_FILE;
  try {
    const policy = loadPolicy(file ? resolve(file) : undefined);
    console.log(`Sign-off policy  ${policy.source} (${policy.policy.rules.length} rules)`);
  } catch (error) {
    if (!(error instanceof PolicyFileError)) throw error;
    console.error(error.message);
    process.exit(1);
  }
}

async function main() {
  checkPolicyFile();
  ensureConsoleBuild();
  const secrets = ensureLocalSecrets(dataDir);
  const operators = operatorsFile(dataDir);
  const firstAdmin = ensureOperators(operators);
  // The engine listens on internal loopback ports; the published ones go through the guard
  // (scripts/engine-guard.ts), which keeps browsers and rebinding pages away from it.
  const internal = { ingress: await freePort(), admin: await freePort(), node: ports.node };
  const guards = await Promise.all([
    startEngineGuard({ kind: "ingress", port: ports.ingress, upstream: { host: "127.0.0.1", port: internal.ingress } }),
    startEngineGuard({ kind: "admin", port: ports.admin, upstream: { host: "127.0.0.1", port: internal.admin } }),
  ]);
  for (const guard of guards) guard.unref();
  const publicIngress = `http://127.0.0.1:${ports.ingress}`;
  const publicAdmin = `http://127.0.0.1:${ports.admin}`;

  stack = new Stack({
    dataDir,
    logDir: join(dataDir, "logs"),
    secrets,
    engine: {
      ports: internal,
      // A run waiting at the gate (or on a slow agent) suspends after 10 s: it holds no process resources.
      suspendAfter: "10s",
    },
    services: {
      port: ports.services,
      inheritOutput: true,
      outsideWorld: "local",
      // The pull requests' provenance links to the run's page in this console.
      env: { CONSOLE_URL: process.env.CONSOLE_URL ?? `http://127.0.0.1:${ports.console}` },
    },
    console: {
      port: ports.console,
      operatorsFile: operators,
      apiTokensFile: process.env.API_TOKENS_FILE,
      // Admins' deep links go to the published admin port (Restate's UI), not the internal one.
      env: { RESTATE_UI_URL: process.env.RESTATE_UI_URL ?? publicAdmin },
    },
    onStarted(part, started) {
      if (part === "engine") console.log(`Restate server   ingress ${publicIngress}   admin ${publicAdmin}   (log: .data/logs/restate-server.log)`);
      if (part === "services") console.log(`Services         ${started.servicesUrl}   registered as ${started.deploymentId}`);
      if (part === "console") console.log(`Console          ${started.console.url}   (log: .data/logs/console.log)`);
    },
  });
  await stack.start();

  for (const proc of stack.processes) {
    void proc.exited.then(() => {
      if (!stopping) {
        console.error(`${proc.name} exited unexpectedly`);
        void stopAll(1);
      }
    });
  }
  const consoleUrl = stack.console.url;
  if (firstAdmin) {
    console.log(`\nFirst start: sign in to ${consoleUrl} as "${firstAdmin.username}" with the password ${firstAdmin.password}`);
    console.log(`  (shown only now; stored as a bcrypt hash in ${operators}). Add operators with:`);
    console.log("  npm run operators -- add ana approver Ana Lopez     # prints ana's generated password");
  } else {
    console.log(`\nSign in with an operator from ${operators} (npm run operators -- list; a lost password: npm run operators -- password <name>).`);
  }
  console.log(`\nReady. Open ${consoleUrl}, or with an API token (console → API tokens):`);
  console.log(
    `  curl -H "authorization: Bearer $TOKEN" ${consoleUrl}/api/findings --json '{"id":"cve-001","source":"snyk","severity":"low","description":"outdated lodash","repo":"web-app"}'`,
  );
  console.log("Ctrl-C stops everything.");
}

main().catch(async (error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  await stopAll(1);
});
