// The benchmark's stack (scripts/stack.ts): restate-server, the product's services (with --expose-gc
// and a heap report file), the bare services beside them, and the console, with an admin API token
// and a local viewer to sign in as. Phases reach it through `Bench`.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import bcrypt from "bcryptjs";
import { adminSql, Stack } from "../scripts/stack";
import type { Settings } from "./settings";

/**
 * Writes one API token the way the console stores them (its hash only); "oidc" because no operators
 * file vouches for its operator.
 */
/** A repository name no code host has (see the README's stub table): the stub provider plays it without a workspace. */
export const BENCH_UNHOSTED_REPO = "bench-storefront";

export function writeApiToken(file: string, token: string, operator: { username: string; name: string; roles: string[] }): void {
  const stored = {
    id: randomUUID(),
    ...operator,
    source: "oidc",
    label: "bench",
    sha256: createHash("sha256").update(token).digest("hex"),
    createdAt: new Date().toISOString(),
  };
  writeFileSync(file, JSON.stringify({ tokens: [stored] }));
}

export interface Bench {
  settings: Settings;
  stack: Stack;
  ingressUrl: string;
  consoleUrl: string;
  /** The local viewer the page-weight phase signs in as, and its password. */
  viewer: { username: string; password: string };
  /** The file the services write their memory report to (SERVICES_HEAP_REPORT). */
  heapReportFile: string;
  /** POSTs JSON as the bench's admin (API token); the parsed answer, or throws on an error status. */
  post(url: string, body: unknown): Promise<unknown>;
  get(url: string): Promise<unknown>;
  sql<T>(query: string): Promise<T[]>;
  /** A new workflow key with this prefix. */
  nextId(prefix: string): string;
  /** A low-severity finding: the auto-clear path. */
  lowFinding(id: string): { id: string; source: string; severity: string; description: string; repo: string };
  /** Finished runs of the read path's history, for the phases that show one. */
  seeded: string[];
}

export async function startBench(settings: Settings, dir: string): Promise<Bench> {
  const token = `rmc_${randomBytes(32).toString("base64url")}`;
  const viewer = { username: "bench-viewer", password: token };
  // An admin with an API token, written the way the console stores them (hashes only); "oidc" because
  // no operators file vouches for it. And a local viewer, to load the pages signed in.
  const operatorsFile = join(dir, "operators.json");
  writeFileSync(
    operatorsFile,
    JSON.stringify({ operators: [{ username: viewer.username, name: "Bench viewer", roles: ["viewer"], passwordHash: bcrypt.hashSync(viewer.password, 10) }] }),
  );
  const apiTokensFile = join(dir, "api-tokens.json");
  writeApiToken(apiTokensFile, token, { username: "bench", name: "Bench", roles: ["admin"] });
  const heapReportFile = join(dir, "services-memory.json");
  const stack = new Stack({
    dataDir: dir,
    engine: { suspendAfter: "10s" }, // as npm start
    services: {
      nodeArgs: ["--expose-gc"],
      // A ~200-entry journal for the read path: the runaway agent journals ~4 entries per 250 ms turn.
      env: { STUB_LATENCY_SCALE: "0", RUNG_TIMEOUT_MS: "12500", SERVICES_HEAP_REPORT: heapReportFile },
    },
    console: { operatorsFile, apiTokensFile },
  });
  await stack.start();
  try {
    // Logging as the product's services log (restate/sdk-log-level.ts), so neither side pays for lines the other skips.
    await stack.startMoreServices({ entry: "bench/bare-services.ts", register: true, env: { RESTATE_LOGGING: "WARN" } });
  } catch (error) {
    await stack.stop();
    throw error;
  }

  const auth = { authorization: `Bearer ${token}` };
  let counter = 0;
  return {
    settings,
    stack,
    ingressUrl: stack.server.ingressUrl,
    consoleUrl: stack.console.url,
    viewer,
    heapReportFile,
    async post(url, body) {
      const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: JSON.stringify(body) });
      const text = await response.text();
      if (!response.ok) throw new Error(`${url}: ${response.status} ${text}`);
      return text ? JSON.parse(text) : null;
    },
    async get(url) {
      const response = await fetch(url, { headers: auth });
      const text = await response.text();
      if (!response.ok) throw new Error(`${url}: ${response.status} ${text.slice(0, 300)}`);
      return JSON.parse(text);
    },
    sql: (query) => adminSql(stack.server.adminUrl, query),
    nextId: (prefix) => `${prefix}-${(counter++).toString(36)}`,
    // A repository no code host has: the stub's agents pretend, so the runs measure the engine, not git and test runs.
    lowFinding: (id) => ({ id, source: "bench", severity: "low", description: "outdated lodash", repo: BENCH_UNHOSTED_REPO }),
    seeded: [],
  };
}
