// A real stack for tests (scripts/stack.ts): restate-server (always-replay) on free ports with a
// temporary data dir, the services endpoint with zero stub latency, the deployment registered, and
// the clients and waits tests use. Torn down by stop().
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import * as clients from "@restatedev/restate-sdk-clients";
import { adminSql, startStack, TEST_ENGINE_PARTITIONS, type Env, type ManagedProcess, type MoreServices, type RestateServer } from "../../scripts/stack";
import type { LocalSecrets } from "../../scripts/secrets";
import { readLedger, type LedgerEntry } from "../adapters/stubs/ledger";
import { LADDER_AGENTS } from "../contracts/rungs";
import { signApproval, signSubmission } from "../identity/signed-claims";
import type { RemediationWorkflow } from "../workflow/remediation-workflow";
import type { Approval, Finding, Stage, Status } from "../contracts/schemas";
import { PATIENCE_MS, pollUntil } from "./poll-until";

export { PATIENCE_MS, pollUntil };

function remediationClient(ingress: clients.Ingress, findingId: string) {
  return ingress.workflowClient<RemediationWorkflow>({ name: "RemediationWorkflow" }, findingId);
}
export type RemediationClient = ReturnType<typeof remediationClient>;

export interface TestStackOptions {
  /** Extra settings for the services process (e.g. STUB_LATENCY_SCALE). */
  servicesEnv?: Env;
  alwaysReplay?: boolean;
  /** The endpoint the services process serves, relative to the project (restate/app.ts unless given). */
  servicesEntry?: string;
}

/** A decision as an operator makes it; the harness signs it the way the console does. */
export interface Decision {
  approved: boolean;
  approver: string;
  /** The approver's groups, signed with the decision. */
  approverGroups?: string[];
  comment?: string;
}

export interface TestStack {
  server: RestateServer;
  services: ManagedProcess;
  servicesPort: number;
  ledgerFile: string;
  dir: string;
  /** The stack's signing secret, session secret and request identity key (as `npm start` makes them). */
  secrets: LocalSecrets;
  ingress: clients.Ingress;
  /** Signs a decision with the stack's secret for the gate the run waits at (as the console does) and sends it to `approve`. */
  approve(findingId: string, decision: Decision): Promise<Approval>;
  /** The id of the gate the run waits at ("" when none is open), as the console reads it before signing. */
  gateOf(findingId: string): Promise<string>;
  /** Submits a finding with a signed submitter, as the console does for a signed-in operator. */
  submitAs(submittedBy: string, finding: Finding): Promise<void>;
  workflow(findingId: string): RemediationClient;
  /** POSTs raw JSON to the ingress, as curl would. */
  post(path: string, body: unknown): Promise<{ status: number; body: unknown }>;
  sql<T = Record<string, unknown>>(query: string): Promise<T[]>;
  ledger(findingId?: string): LedgerEntry[];
  status(findingId: string): Promise<Status>;
  waitFor(findingId: string, done: (status: Status) => boolean, timeoutMs?: number): Promise<Status>;
  waitForStage(findingId: string, stage: Stage, timeoutMs?: number): Promise<Status>;
  restartServices(how: "kill" | "stop"): Promise<void>;
  /** Starts a second services endpoint (a new code revision, say) on its own port; not registered. */
  startMoreServices(env: Env): Promise<MoreServices>;
  /** Stops (or SIGKILLs) the restate-server and starts it again on the same data and ports. */
  restartServer(how: "kill" | "stop"): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The fast rung's timeout in tests, and the only rung timeout a test relies on: scenarios are decided by
 * what the agents do, not by how fast a busy machine runs them. With the stubs at scale 0 a plan comes
 * back in milliseconds without a workspace, and in 1 to 4 s in a demo repository (a clone, the fix and a
 * test run, measured with the machine's two cores loaded 15 deep); the runaway agent cannot give up on
 * its own before 40 paced turns (10 s of durable sleeps), so 8 s sits clear of both. The conservative
 * rung keeps its default (60 s).
 */
export const TEST_FAST_RUNG_TIMEOUT_MS = 8_000;

/**
 * For tests that crash processes mid-run (they are about crashes, not about timeouts): every rung's
 * timeout an hour, so no rung can run out of time however long a restart takes on a busy machine. The
 * runaway agent then ends on its own, after its 40 turns ("failed"), and the conservative rung takes
 * over: see Scenario.untimedResults. Stubs at 0.3 of their latency, so there are steps to crash into.
 */
export const CRASH_SERVICES_ENV: Env = {
  STUB_LATENCY_SCALE: "0.3",
  RUNG_TIMEOUTS_MS: LADDER_AGENTS.map((agent) => `${agent}=${60 * 60_000}`).join(","),
};

/**
 * The code host every test stack shares: the demo repositories, seeded once per test run instead of once
 * per stack (seconds on a busy machine). The agents only clone them. Named by a hash of the repositories'
 * files and of the seeding code, so a change to either seeds a fresh directory.
 */
function sharedReposDir(): string {
  const workspaceDir = fileURLToPath(new URL("../workspace/", import.meta.url));
  const hash = createHash("sha256").update(readFileSync(join(workspaceDir, "demo-repos.ts")));
  for (const file of readdirSync(join(workspaceDir, "demo-repo-files"), { recursive: true }).map(String).sort()) {
    const path = join(workspaceDir, "demo-repo-files", file);
    if (statSync(path).isFile()) hash.update(file).update(readFileSync(path));
  }
  return join(tmpdir(), `remediation-test-repos-${hash.digest("hex").slice(0, 16)}`);
}
export const TEST_REPOS_DIR = sharedReposDir();

export const DEFAULT_SERVICES_ENV: Env = {
  STUB_LATENCY_SCALE: "0",
  RUNG_TIMEOUTS_MS: `fastExecutor=${TEST_FAST_RUNG_TIMEOUT_MS}`,
  REPOS_DIR: TEST_REPOS_DIR,
};

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  if (process.env.TEST_TIER === "unit") {
    throw new Error("This test starts a restate-server: list its file in INTEGRATION_TESTS (vitest.config.ts), not in the unit tier.");
  }
  const dir = mkdtempSync(join(tmpdir(), "remediation-test-"));
  const launched = await startStack({
    dataDir: dir,
    engine: { alwaysReplay: options.alwaysReplay ?? true, fastRetries: true, partitions: TEST_ENGINE_PARTITIONS },
    services: { env: { ...DEFAULT_SERVICES_ENV, ...options.servicesEnv }, entry: options.servicesEntry },
  });
  const { secrets, ledgerFile } = launched;
  const ingress = clients.connect({ url: launched.server.ingressUrl });

  const stack: TestStack = {
    get server() {
      return launched.server;
    },
    get services() {
      return launched.services;
    },
    servicesPort: launched.servicesPort,
    ledgerFile,
    dir,
    secrets,
    ingress,
    approve: async (findingId, decision) =>
      await remediationClient(ingress, findingId).approve(
        signApproval(secrets.approvalSigningSecret, { findingId, gateId: await stack.gateOf(findingId), ...decision }),
      ),
    gateOf: async (findingId) => (await stack.status(findingId).catch(() => null))?.gateId ?? "",
    async submitAs(submittedBy, submitted) {
      await remediationClient(ingress, submitted.id).workflowSubmit({
        ...submitted,
        submission: signSubmission(secrets.approvalSigningSecret, { findingId: submitted.id, submittedBy }),
      });
    },
    workflow: (findingId) => remediationClient(ingress, findingId),
    async post(path, body) {
      const response = await fetch(`${launched.server.ingressUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON: keep the text
      }
      return { status: response.status, body: parsed };
    },
    sql: (query) => adminSql(launched.server.adminUrl, query),
    ledger(findingId) {
      const entries = readLedger(ledgerFile);
      return findingId ? entries.filter((entry) => entry.findingId === findingId) : entries;
    },
    status: async (findingId) => await stack.workflow(findingId).status(),
    waitFor: (findingId, done, timeoutMs = PATIENCE_MS) =>
      pollUntil(
        async () => {
          const last = await stack.status(findingId).catch(() => undefined);
          if (last && done(last)) return last;
          throw new Error(`timed out waiting on ${findingId}; last status: ${JSON.stringify(last?.stage)}`);
        },
        { timeoutMs },
      ),
    waitForStage: (findingId, stage, timeoutMs) => stack.waitFor(findingId, (status) => status.stage === stage, timeoutMs),
    restartServices: (how) => launched.restartServices(how),
    startMoreServices: (env) => launched.startMoreServices({ env }),
    restartServer: (how) => launched.restartEngine(how),
    async stop() {
      await launched.stop();
      if (!process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

let counter = 0;
/** A finding with a unique id, so tests never collide on a workflow key. */
export function finding(overrides: Partial<Finding> = {}): Finding {
  counter += 1;
  return {
    id: `test-${Date.now().toString(36)}-${counter}`,
    source: "snyk",
    severity: "low",
    description: "outdated lodash with prototype pollution",
    repo: "web-storefront",
    ...overrides,
  };
}

/** Non-duplicate ledger entries of one action: what really happened outside. */
export function effects(entries: LedgerEntry[], action: string): LedgerEntry[] {
  return entries.filter((entry) => entry.action === action && !entry.duplicate);
}
