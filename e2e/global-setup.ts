// Starts the real product for the browser journeys: restate-server (not in always-replay, for speed),
// the services with quick-but-visible stub latency and a 5 s fast-rung timeout, their registration, and
// the console's production server pointed at that Restate, with the journeys' operators (e2e/operators.ts)
// and fresh secrets (signing secret, session secret, request identity key), as `npm start` makes them. Returns the teardown that stops it all.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { consoleSecretsEnv, ensureLocalSecrets, servicesSecretsEnv } from "../scripts/secrets";
import { E2E_OPERATORS, e2ePassword } from "./operators";
import {
  freePort,
  projectRoot,
  registerDeployment,
  startConsole,
  startRestateServer,
  startServices,
  type ManagedProcess,
} from "../scripts/stack";

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
  const started: ManagedProcess[] = [];
  const teardown = async () => {
    for (const proc of started.reverse()) await proc.stop();
    const logs = join(projectRoot, "test-results", "e2e-stack-logs");
    mkdirSync(logs, { recursive: true });
    for (const file of ["restate-server.log", "services.log", "console.log"]) {
      if (existsSync(join(dir, file))) cpSync(join(dir, file), join(logs, file));
    }
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const secrets = ensureLocalSecrets(join(dir, "secrets"), {});
    const operatorsFile = join(dir, "operators.json");
    const operators = Object.entries(E2E_OPERATORS).map(([username, { name, roles }]) => ({
      username,
      name,
      roles,
      passwordHash: bcrypt.hashSync(e2ePassword(username), 10),
    }));
    writeFileSync(operatorsFile, JSON.stringify({ operators }));

    const ports = { ingress: await freePort(), admin: await freePort(), node: await freePort() };
    const server = await startRestateServer({
      baseDir: join(dir, "restate"),
      ports,
      alwaysReplay: false,
      fastRetries: true,
      identityPrivateKeyFile: secrets.identityPrivateKeyFile,
      output: { logFile: join(dir, "restate-server.log") },
    });
    started.push(server.process);

    const servicesPort = await freePort();
    started.push(
      await startServices({
        port: servicesPort,
        adminUrl: server.adminUrl,
        env: {
          STUB_LATENCY_SCALE: process.env.E2E_STUB_LATENCY_SCALE ?? "0.2",
          // Only the runaway's rung is short (its agent cannot give up before 40 × 370 ms); the
          // conservative rung keeps its 60 s, so a busy machine cannot time it out.
          RUNG_TIMEOUTS_MS: "fastExecutor=5000",
          OUTSIDE_WORLD_LEDGER: join(dir, "outside-world.jsonl"),
          ...servicesSecretsEnv(secrets),
        },
        output: { logFile: join(dir, "services.log") },
      }),
    );
    await registerDeployment(server.adminUrl, `http://127.0.0.1:${servicesPort}`);

    const consoleServer = await startConsole({
      port: await freePort(),
      env: {
        RESTATE_INGRESS: server.ingressUrl,
        RESTATE_ADMIN: server.adminUrl,
        OPERATORS_FILE: operatorsFile,
        API_TOKENS_FILE: join(dir, "api-tokens.json"),
        ...consoleSecretsEnv(secrets),
      },
      output: { logFile: join(dir, "console.log") },
    });
    started.push(consoleServer.process);

    process.env.E2E_BASE_URL = consoleServer.url;
    process.env.E2E_RESTATE_ADMIN = server.adminUrl;
    process.env.E2E_RESTATE_INGRESS = server.ingressUrl;
    console.log(`[e2e] console ${consoleServer.url} · ingress ${server.ingressUrl} · admin ${server.adminUrl}`);
  } catch (error) {
    await teardown();
    throw error;
  }
  return teardown;
}
