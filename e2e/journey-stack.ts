// A whole product for browser journeys (scripts/stack.ts): restate-server (not in always-replay, for
// speed), the services with `servicesEnv`, their registration, and the console's production server with
// the journeys' operators (e2e/operators.ts) and fresh secrets, as `npm start` makes them.
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { E2E_OPERATORS, e2ePassword } from "./operators";
import { projectRoot, Stack, TEST_BCRYPT_COST, TEST_ENGINE_PARTITIONS, type Env } from "../scripts/stack";

export interface JourneyStack {
  stack: Stack;
  /** Where the stack keeps its data (the engine's, the outside world's records under outside/). */
  dataDir: string;
  /** Stops it all, keeps its logs under test-results/<logsName>, and removes its data. */
  teardown(): Promise<void>;
}

export async function startJourneyStack({ servicesEnv, logsName }: { servicesEnv: Env; logsName: string }): Promise<JourneyStack> {
  const dir = mkdtempSync(join(tmpdir(), "console-e2e-"));
  const operatorsFile = join(dir, "operators.json");
  const stack = new Stack({
    dataDir: dir,
    engine: { alwaysReplay: false, fastRetries: true, partitions: TEST_ENGINE_PARTITIONS },
    services: { env: servicesEnv },
    console: { operatorsFile },
  });
  const teardown = async () => {
    await stack.stop();
    const logs = join(projectRoot, "test-results", logsName);
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
      passwordHash: bcrypt.hashSync(e2ePassword(username), TEST_BCRYPT_COST),
    }));
    writeFileSync(operatorsFile, JSON.stringify({ operators }));
    await stack.start();
  } catch (error) {
    await teardown();
    throw error;
  }
  return { stack, teardown, dataDir: dir };
}
