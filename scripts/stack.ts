// Starts and stops the real processes of the product: a restate-server from npm, the services
// endpoint, its registration and the console. `Stack` is the one boot sequence `npm start`, the test
// harness, Playwright's global setup and the benchmark use; the functions below it are its steps.
import { mkdirSync } from "node:fs";
import { connect } from "node:net";
import { arch, platform } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { adminSql } from "../restate/contracts/admin-query";
import { ExitedBeforeReady, freePort, launch, listensOn, ManagedProcess, portIsFree, projectRoot, waitUntil, type Env, type Output } from "./processes";
import { servicesBundle } from "./services-bundle";
import { consoleSecretsEnv, ensureLocalSecrets, servicesSecretsEnv, type LocalSecrets } from "./secrets";

export { adminSql, freePort, launch, ManagedProcess, projectRoot, type Env };

/** The native server binary; the npm wrapper would not pass signals on reliably. */
export function restateServerBinary(): string {
  return join(projectRoot, "node_modules", "@restatedev", `restate-server-${platform()}-${arch()}`, "bin", "restate-server");
}

/**
 * Replaces one key of a keyed service's state through the admin API, as anyone who reaches it could:
 * tests use it to show that such tampering is flagged.
 */
export async function rewriteStateKey(adminUrl: string, service: string, key: string, stateKey: string, value: unknown): Promise<void> {
  const rows = await adminSql<{ key: string; value_utf8: string }>(
    adminUrl,
    `SELECT key, value_utf8 FROM state WHERE service_name = '${service}' AND service_key = '${key}'`,
  );
  const bytes = (text: string) => [...Buffer.from(text, "utf8")];
  const newState = Object.fromEntries(rows.map((row) => [row.key, bytes(row.key === stateKey ? JSON.stringify(value) : row.value_utf8)]));
  newState[stateKey] = bytes(JSON.stringify(value));
  const response = await fetch(`${adminUrl}/services/${service}/state`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ object_key: key, new_state: newState }),
  });
  if (!response.ok) throw new Error(`rewriting ${service}/${key} state failed: ${response.status} ${await response.text()}`);
}

export interface RestatePorts {
  ingress: number;
  admin: number;
  node: number;
}

export interface RestateServer {
  process: ManagedProcess;
  ingressUrl: string;
  adminUrl: string;
  ports: RestatePorts;
  baseDir: string;
}

/** `partitions` for the engines of the tests and the browser journeys (see RestateServerOptions). */
export const TEST_ENGINE_PARTITIONS = 4;
/**
 * The bcrypt cost of the test and journey operators' password hashes: the lowest bcrypt takes. No test is
 * about the cost, and at 10 every hash and every sign-in took 60 ms of CPU.
 */
export const TEST_BCRYPT_COST = 4;

export interface RestateServerOptions {
  baseDir: string;
  ports: RestatePorts;
  /** Every await suspends and every step replays: non-determinism fails tests instead of production. */
  alwaysReplay?: boolean;
  /** How long an invocation may wait (at the gate, on a call) before it suspends, e.g. "10s". */
  suspendAfter?: string;
  /**
   * How many partitions a new cluster gets (Restate's default: 24). Each is a processor of its own that
   * ticks while idle: a test's engine with 4 uses 2 % of a core at rest instead of 5 %, on a machine where
   * two or three engines run at once for the whole suite.
   */
  partitions?: number;
  /** Retry quickly, so a restarted services process is picked up within a second. */
  fastRetries?: boolean;
  /** ed25519 private key (PKCS#8 PEM file) the server signs its requests to the services with. */
  identityPrivateKeyFile?: string;
  env?: Env;
  output: Output;
}

export async function startRestateServer(options: RestateServerOptions): Promise<RestateServer> {
  const { ports, baseDir } = options;
  const env: Env = {
    RESTATE_NODE_NAME: "local",
    RESTATE_LISTEN_MODE: "tcp",
    RESTATE_BIND_ADDRESS: `127.0.0.1:${ports.node}`,
    RESTATE_ADVERTISED_ADDRESS: `http://127.0.0.1:${ports.node}/`,
    RESTATE_INGRESS__BIND_ADDRESS: `127.0.0.1:${ports.ingress}`,
    RESTATE_ADMIN__BIND_ADDRESS: `127.0.0.1:${ports.admin}`,
    RESTATE_LOG_FORMAT: "compact",
    ...(options.partitions ? { RESTATE_DEFAULT_NUM_PARTITIONS: String(options.partitions) } : {}),
    ...(options.alwaysReplay || options.suspendAfter
      ? { RESTATE_WORKER__INVOKER__INACTIVITY_TIMEOUT: options.alwaysReplay ? "0s" : options.suspendAfter }
      : {}),
    ...(options.identityPrivateKeyFile ? { RESTATE_WORKER__INVOKER__REQUEST_IDENTITY_PRIVATE_KEY_PEM_FILE: options.identityPrivateKeyFile } : {}),
    ...(options.fastRetries
      ? {
          RESTATE_DEFAULT_RETRY_POLICY__INITIAL_INTERVAL: "100ms",
          RESTATE_DEFAULT_RETRY_POLICY__MAX_INTERVAL: "1s",
        }
      : {}),
    ...options.env,
  };
  mkdirSync(baseDir, { recursive: true });
  const process = launch("restate-server", restateServerBinary(), ["--base-dir", baseDir], env, options.output);
  const ingressUrl = `http://127.0.0.1:${ports.ingress}`;
  const adminUrl = `http://127.0.0.1:${ports.admin}`;
  await waitUntil(
    "the Restate server to answer",
    async () => {
      const [ingress, admin] = await Promise.all([fetch(`${ingressUrl}/restate/health`), fetch(`${adminUrl}/health`)]);
      return ingress.ok && admin.ok && (await adminSql(adminUrl, "SELECT count(1) AS n FROM sys_invocation", { timeoutMs: 2_000 })).length === 1;
    },
    process,
  );
  return { process, ingressUrl, adminUrl, ports, baseDir };
}

export interface ServicesOptions {
  port: number;
  adminUrl: string;
  env?: Env;
  output: Output;
  /** The endpoint to serve, relative to the project: the product's by default (the benchmark serves its bare one). */
  entry?: string;
  /** Extra Node flags, e.g. --expose-gc for the benchmark's heap measurement. */
  nodeArgs?: string[];
}

export async function startServices(options: ServicesOptions): Promise<ManagedProcess> {
  const entry = options.entry ?? "restate/app.ts";
  const services = launch(
    entry === "restate/app.ts" ? "services" : entry,
    join(projectRoot, "node_modules", "node", "bin", "node"),
    [
      ...(options.nodeArgs ?? []),
      // Stack traces name the TypeScript files, not the bundle's lines.
      "--enable-source-maps",
      // Before the bundle's packages load: the SDK reads its log level as it loads (a bundle's own code
      // runs after the packages it imports, so the entry's first import would come too late).
      "--import",
      pathToFileURL(join(projectRoot, "restate", "sdk-log-level.ts")).href,
      await servicesBundle(entry),
    ],
    { SERVICES_PORT: String(options.port), SERVICES_HOST: "127.0.0.1", RESTATE_ADMIN_URL: options.adminUrl, ...options.env },
    options.output,
  );
  await waitUntil(
    "the services endpoint to listen",
    async () =>
      (await new Promise<boolean>((ok) => {
        const socket = connect(options.port, "127.0.0.1");
        socket.once("connect", () => (socket.destroy(), ok(true)));
        socket.once("error", () => ok(false));
      })) && listensOn(services.child.pid, options.port),
    services,
  );
  return services;
}

/** Registers (or re-registers) the services endpoint; returns the deployment id. */
export async function registerDeployment(adminUrl: string, servicesUrl: string): Promise<string> {
  const response = await fetch(`${adminUrl}/deployments`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ uri: servicesUrl, force: true }),
  });
  if (!response.ok) throw new Error(`registering ${servicesUrl} failed: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { id: string };
  return body.id;
}

export interface ConsoleOptions {
  port: number;
  /** RESTATE_INGRESS / RESTATE_ADMIN and anything else the console reads at start-up. */
  env?: Env;
  output: Output;
}

/**
 * How long the console keeps an idle connection open: longer than a proxy in front keeps one (nginx and AWS's
 * load balancers: 60 s), so the client side closes first. Playwright's request pool sets no idle limit of its
 * own, so at Node's default of 5 s a request sent just as the console closed the connection ended in
 * ECONNRESET (a browser test's second sign-in, about 5 s after its first).
 */
const CONSOLE_KEEP_ALIVE_MS = 65_000;

/** Starts the console's production server (`next build` must have run) and waits until it answers. */
export async function startConsole(options: ConsoleOptions): Promise<ConsoleServer> {
  const consoleProcess = launch(
    "console",
    join(projectRoot, "node_modules", "node", "bin", "node"),
    [
      join(projectRoot, "node_modules", ".bin", "next"),
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(options.port),
      "--keepAliveTimeout",
      String(CONSOLE_KEEP_ALIVE_MS),
    ],
    { NODE_ENV: "production", ...options.env },
    options.output,
  );
  const url = `http://127.0.0.1:${options.port}`;
  await waitUntil(
    "the console to answer",
    async () => {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      // Another process on the port (a port picked as free, taken before the console bound it) answers too.
      return response.status < 500 && listensOn(consoleProcess.child.pid, options.port);
    },
    consoleProcess,
  );
  return { process: consoleProcess, url };
}

export interface StackOptions {
  /** Holds the engine's data (restate/), the stubbed outside world's ledger and, unless given, the secrets (secrets/). */
  dataDir: string;
  /** Where the logs go; the data dir unless said. */
  logDir?: string;
  secrets?: LocalSecrets;
  engine?: Pick<RestateServerOptions, "alwaysReplay" | "suspendAfter" | "fastRetries" | "partitions"> & {
    /** Free loopback ports unless given. */
    ports?: RestatePorts;
  };
  services?: {
    /** A free port unless given. */
    port?: number;
    /** On top of the ledger file and the secrets' settings. */
    env?: Env;
    /**
     * Which stand-ins the outside world's ports use: "stub" (default: the ledger the tests count, see
     * restate/adapters/stubs) or "local" (the embedded defaults `npm start` uses, in the data dir).
     * A port named in `env` or in this process's environment (CODE_HOST=github, say) keeps that choice.
     */
    outsideWorld?: "stub" | "local";
    /** The endpoint to serve, relative to the project: the product's (restate/app.ts) unless given. */
    entry?: string;
    nodeArgs?: string[];
    /** Print to this terminal instead of a log file. */
    inheritOutput?: boolean;
  };
  /** The console's production server (`next build` must have run); not started without this. */
  console?: {
    /** A free port unless given. */
    port?: number;
    operatorsFile: string;
    /** `api-tokens.json` in the data dir unless given. */
    apiTokensFile?: string;
    /** On top of the engine's URLs, the two files and the secrets' settings. */
    env?: Env;
  };
  /** Called as each part answers (the services once registered), e.g. to print where it listens. */
  onStarted?: (part: "engine" | "services" | "console", stack: Stack) => void;
}

export interface ConsoleServer {
  process: ManagedProcess;
  url: string;
}

export interface MoreServices {
  process: ManagedProcess;
  url: string;
  /** Set when it was registered. */
  deploymentId?: string;
}

/**
 * The product on this machine: the engine, the services endpoint registered with it, and the console.
 * `start()` brings them up in that order; `stop()` stops whatever runs, in reverse, at any time (a
 * failed start stops what it had started).
 */
/** The environment variables that pick each outside-world port's adapter (restate/config.ts). */
export const OUTSIDE_WORLD_PORTS = ["CODE_HOST", "ISSUE_TRACKER", "CHAT", "AUDIT_SINK", "EVAL_STORE"] as const;

export class Stack {
  readonly secrets: LocalSecrets;
  readonly ledgerFile: string;
  private readonly logDir: string;
  private enginePorts?: RestatePorts;
  private engine?: RestateServer;
  private servicesProcess?: ManagedProcess;
  private servicesPortNumber?: number;
  private deployment?: string;
  private consoleServer?: ConsoleServer;
  private readonly extraServices: ManagedProcess[] = [];
  private stopped = false;
  private readonly restarts: Record<"engine" | "services", Promise<void>> = { engine: Promise.resolve(), services: Promise.resolve() };

  constructor(readonly options: StackOptions) {
    this.secrets = options.secrets ?? ensureLocalSecrets(join(options.dataDir, "secrets"), {});
    this.ledgerFile = join(options.dataDir, "outside-world.jsonl");
    this.logDir = options.logDir ?? options.dataDir;
  }

  get server(): RestateServer {
    return started(this.engine, "the engine");
  }
  get services(): ManagedProcess {
    return started(this.servicesProcess, "the services");
  }
  get servicesPort(): number {
    return started(this.servicesPortNumber, "the services");
  }
  get servicesUrl(): string {
    return `http://127.0.0.1:${this.servicesPort}`;
  }
  /** The id the services endpoint is registered under. */
  get deploymentId(): string {
    return started(this.deployment, "the services' registration");
  }
  get console(): ConsoleServer {
    return started(this.consoleServer, "the console");
  }
  /** Every process running, in the order they started. */
  get processes(): ManagedProcess[] {
    return [this.engine?.process, this.servicesProcess, ...this.extraServices, this.consoleServer?.process].filter(
      (running): running is ManagedProcess => !!running,
    );
  }

  async start(): Promise<this> {
    try {
      this.engine = await onFreePorts(
        this.options.engine?.ports,
        async () => ({ ingress: await freePort(), admin: await freePort(), node: await freePort() }),
        (ports) => Object.values(ports),
        (ports) => ((this.enginePorts = ports), this.launchEngine()),
      );
      this.refuseIfStopped();
      this.options.onStarted?.("engine", this);
      this.servicesProcess = await onFreePorts(
        this.options.services?.port,
        freePort,
        (port) => [port],
        (port) => ((this.servicesPortNumber = port), this.launchServices()),
      );
      this.refuseIfStopped();
      this.deployment = await registerDeployment(this.server.adminUrl, this.servicesUrl);
      this.options.onStarted?.("services", this);
      if (this.options.console) {
        const { port, operatorsFile, apiTokensFile, env } = this.options.console;
        const launchConsole = (consolePort: number) =>
          startConsole({
            port: consolePort,
            env: {
              RESTATE_INGRESS: this.server.ingressUrl,
              RESTATE_ADMIN: this.server.adminUrl,
              OPERATORS_FILE: operatorsFile,
              API_TOKENS_FILE: apiTokensFile ?? join(this.options.dataDir, "api-tokens.json"),
              ...consoleSecretsEnv(this.secrets),
              ...env,
            },
            output: { logFile: join(this.logDir, "console.log") },
          });
        this.consoleServer = await onFreePorts(port, freePort, (consolePort) => [consolePort], launchConsole);
        this.refuseIfStopped();
        this.options.onStarted?.("console", this);
      }
      return this;
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /**
   * Stops (or SIGKILLs) the engine and starts it again on the same data and ports. A restart asked for
   * while another is under way waits for it, then restarts what that one started.
   */
  restartEngine(how: "kill" | "stop"): Promise<void> {
    return this.oneAtATime("engine", async () => {
      await (how === "kill" ? this.server.process.kill() : this.server.process.stop());
      this.engine = await this.launchEngine();
    });
  }

  /**
   * Stops (or SIGKILLs) the services and starts them again on the same port. A restart asked for while
   * another is under way waits for it: otherwise the second would stop the process the first had already
   * stopped, and start a second one on the port the first's new process is taking.
   */
  restartServices(how: "kill" | "stop"): Promise<void> {
    return this.oneAtATime("services", async () => {
      await (how === "kill" ? this.services.kill() : this.services.stop());
      this.servicesProcess = await this.launchServices();
    });
  }

  /** Runs `restart` after every restart of the same process asked for before it has ended. */
  private oneAtATime(which: "engine" | "services", restart: () => Promise<void>): Promise<void> {
    const next = this.restarts[which].catch(() => undefined).then(restart);
    this.restarts[which] = next;
    return next;
  }

  /**
   * Another services endpoint on its own port, with the stack's services settings plus `env`: a new
   * code revision, say, or another `entry`. Registered only when asked.
   */
  async startMoreServices(more: { env?: Env; entry?: string; register?: boolean }): Promise<MoreServices> {
    const port = await freePort();
    const endpoint = await startServices({
      port,
      adminUrl: this.server.adminUrl,
      entry: more.entry,
      env: { ...this.servicesEnv(), ...more.env },
      output: { logFile: join(this.logDir, `services-${port}.log`) },
    });
    this.extraServices.push(endpoint);
    const url = `http://127.0.0.1:${port}`;
    return { process: endpoint, url, deploymentId: more.register ? await registerDeployment(this.server.adminUrl, url) : undefined };
  }

  /** Stops every process, the last started first. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const running of this.processes.reverse()) await running.stop();
  }

  private refuseIfStopped() {
    if (this.stopped) throw new Error("stopped while starting");
  }

  private launchEngine(): Promise<RestateServer> {
    const { ports: _ports, ...engine } = this.options.engine ?? {};
    return startRestateServer({
      ...engine,
      baseDir: join(this.options.dataDir, "restate"),
      ports: started(this.enginePorts, "the engine's ports"),
      // Restate signs every request to the services with this key; the services accept no other caller.
      identityPrivateKeyFile: this.secrets.identityPrivateKeyFile,
      output: { logFile: join(this.logDir, "restate-server.log") },
    });
  }

  private servicesEnv(): Env {
    const outsideWorld = this.options.services?.outsideWorld ?? "stub";
    // A choice made in this process's environment (CODE_HOST=github npm start) wins.
    const ports = Object.fromEntries(OUTSIDE_WORLD_PORTS.map((port) => [port, process.env[port] ?? outsideWorld]));
    return {
      OUTSIDE_WORLD_LEDGER: this.ledgerFile,
      OUTSIDE_WORLD_DIR: join(this.options.dataDir, "outside"),
      // The code host's repositories and the agents' workspaces live with the stack's data (.data for npm start).
      REPOS_DIR: process.env.REPOS_DIR ?? join(this.options.dataDir, "repos"),
      WORKSPACES_DIR: process.env.WORKSPACES_DIR ?? join(this.options.dataDir, "workspaces"),
      ...ports,
      ...servicesSecretsEnv(this.secrets),
      ...this.options.services?.env,
    };
  }

  private launchServices(): Promise<ManagedProcess> {
    return startServices({
      port: this.servicesPort,
      adminUrl: this.server.adminUrl,
      env: this.servicesEnv(),
      entry: this.options.services?.entry,
      nodeArgs: this.options.services?.nodeArgs,
      output: this.options.services?.inheritOutput ? "inherit" : { logFile: join(this.logDir, "services.log") },
    });
  }
}

/**
 * Starts a server on the ports given or, when none were, on ports picked as free. A port picked as free
 * can be taken by another process before the server binds it (tests start stacks side by side): when the
 * server exits before it is ready and one of its ports is taken, it starts again on others, three tries in all.
 */
async function onFreePorts<P, T>(given: P | undefined, pick: () => Promise<P>, numbers: (ports: P) => number[], start: (ports: P) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const ports = given ?? (await pick());
    try {
      return await start(ports);
    } catch (error) {
      const taken =
        error instanceof ExitedBeforeReady && given === undefined && attempt < 3 && !(await Promise.all(numbers(ports).map(portIsFree))).every(Boolean);
      if (!taken) throw error;
    }
  }
}

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} has not started`);
  return value;
}

/** Starts a stack; see `Stack`. */
export function startStack(options: StackOptions): Promise<Stack> {
  return new Stack(options).start();
}
