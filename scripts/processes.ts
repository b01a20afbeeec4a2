// Child processes of the stack: a free port, a process that can be stopped gracefully or killed, its
// output sent to a log file readable by the owner only, and a wait for it to become ready.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, fchmodSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { createServer } from "node:net";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** Environment overrides for a child process (Next.js makes NodeJS.ProcessEnv demand NODE_ENV). */
export type Env = Record<string, string | undefined>;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolvePort(address.port) : reject(new Error("no port"))));
    });
  });
}

/**
 * Whether the process `pid` itself holds the listening socket on 127.0.0.1:`port`. A port picked as free
 * can be taken by another process (another test's server) before the child binds it; a connect to the
 * port would then reach that other process, and the stack would register someone else's endpoint.
 * Read from /proc on Linux; elsewhere there is no such check and the answer is true.
 */
export function listensOn(pid: number | undefined, port: number): boolean {
  if (!existsSync("/proc/net/tcp") || pid === undefined) return true;
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  const inodes = new Set(
    readFileSync("/proc/net/tcp", "utf8")
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      // local address, state 0A (listening), inode
      .filter((fields) => fields[1] === local && fields[3] === "0A")
      .map((fields) => fields[9]),
  );
  if (inodes.size === 0) return false;
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      const target = (() => {
        try {
          return readlinkSync(`/proc/${pid}/fd/${fd}`);
        } catch {
          return "";
        }
      })();
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      return inode !== undefined && inodes.has(inode);
    });
  } catch {
    return false;
  }
}

/** Whether nothing listens on 127.0.0.1:`port` (this process can bind it). */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((answer) => {
    const server = createServer();
    server.once("error", () => answer(false));
    server.listen(port, "127.0.0.1", () => server.close(() => answer(true)));
  });
}

export class ManagedProcess {
  readonly exited: Promise<number | null>;
  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    this.exited = new Promise((resolveExit) => child.once("exit", (code) => resolveExit(code)));
  }
  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }
  /** Graceful stop, then SIGKILL when it takes too long. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
  async kill(): Promise<void> {
    if (!this.running) return;
    this.child.kill("SIGKILL");
    await this.exited;
  }
}

export type Output = "inherit" | { logFile: string };

export function launch(name: string, command: string, args: string[], env: Env, output: Output): ManagedProcess {
  const child = spawn(command, args, {
    cwd: projectRoot,
    env: { ...process.env, ...env } as NodeJS.ProcessEnv,
    stdio: output === "inherit" ? ["ignore", "inherit", "inherit"] : ["ignore", "pipe", "pipe"],
  });
  if (output !== "inherit") {
    mkdirSync(dirname(output.logFile), { recursive: true, mode: 0o700 });
    // Logs carry signatures and operator names: readable by the owner only (also a file left from before).
    const fd = openSync(output.logFile, "a", 0o600);
    fchmodSync(fd, 0o600);
    const log = createWriteStream(output.logFile, { fd });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
  }
  return new ManagedProcess(name, child);
}

/** A started process ended before it was ready (a port it wanted was taken, a setting refused...). */
export class ExitedBeforeReady extends Error {}

/**
 * Waits for a started process to be ready. A process that exits is reported at once, so the bound is a
 * hang detector only: 3 minutes, as a loaded 2-core machine took over 60 s to start the services.
 */
export async function waitUntil(what: string, probe: () => Promise<boolean>, process: ManagedProcess, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.running) throw new ExitedBeforeReady(`${process.name} exited before ${what}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
