// Child processes of the stack: a free port, a process that can be stopped gracefully or killed, its
// output sent to a log file readable by the owner only, and a wait for it to become ready.
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, fchmodSync, mkdirSync, openSync } from "node:fs";
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

/**
 * Waits for a started process to be ready. A process that exits is reported at once, so the bound is a
 * hang detector only: 3 minutes, as a loaded 2-core machine took over 60 s to start the services.
 */
export async function waitUntil(what: string, probe: () => Promise<boolean>, process: ManagedProcess, timeoutMs = 180_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!process.running) throw new Error(`${process.name} exited before ${what}`);
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
