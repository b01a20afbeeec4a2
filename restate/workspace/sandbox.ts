// Runs an allowlisted command in a workspace without network access: bubblewrap (a fresh mount, network
// and PID namespace that shows only the system's programs, Node and the workspace, read-only) or a
// network and PID namespace from util-linux's unshare; as root, the command runs as `nobody` either way.
// Bounded by a time limit (the whole process tree is killed) and an output cap.
import { spawn } from "node:child_process";
import { lstatSync, readlinkSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { SandboxMode } from "./workspace-settings";

const NOBODY = 65534;
const isRoot = () => process.getuid?.() === 0;

export interface Isolation {
  mode: "bwrap" | "unshare" | "none";
  /** What the command can and cannot reach, in words for the tool's result. */
  description: string;
  wrap(argv: readonly string[], cwd: string): string[];
}

/** Node for the commands: the one running the services, first on the sandbox's PATH. */
const nodeDir = () => dirname(realpathSync(process.execPath));
/** Where bubblewrap shows that Node (and, at /workspace, the workspace): fixed paths, whatever the directories above them allow. */
const SANDBOX_NODE_DIR = "/opt/node/bin";

const dropToNobody = (argv: readonly string[]) =>
  isRoot() ? ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups", "--no-new-privs", "--", ...argv] : [...argv];

function systemDirArgs(): string[] {
  const args = ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"];
  for (const dir of ["/bin", "/sbin", "/lib", "/lib64", "/lib32"]) {
    try {
      if (lstatSync(dir).isSymbolicLink()) args.push("--symlink", readlinkSync(dir), dir);
      else args.push("--ro-bind", dir, dir);
    } catch {
      // not on this system
    }
  }
  return args;
}

const BWRAP: Isolation = {
  mode: "bwrap",
  description: `bubblewrap: no network, its own PID namespace, a read-only view of the system, Node and the workspace (at /workspace) only${isRoot() ? ", as user nobody" : ""}`,
  wrap: (argv, cwd) => [
    "bwrap",
    "--unshare-net",
    "--unshare-pid",
    "--unshare-ipc",
    "--unshare-uts",
    "--die-with-parent",
    "--new-session",
    ...systemDirArgs(),
    "--proc",
    "/proc",
    "--dev",
    "/dev",
    "--tmpfs",
    "/tmp",
    // Directories bubblewrap makes for a mount point are root's alone unless given a mode.
    ...["/opt", "/opt/node"].flatMap((dir) => ["--perms", "0755", "--dir", dir]),
    "--ro-bind",
    nodeDir(),
    SANDBOX_NODE_DIR,
    "--ro-bind",
    cwd,
    "/workspace",
    "--chdir",
    "/workspace",
    "--",
    ...dropToNobody(argv),
  ],
};

const UNSHARE: Isolation = {
  mode: "unshare",
  description: isRoot()
    ? "unshare: no network, its own PID namespace, as user nobody (the files that user may read stay readable)"
    : "unshare: no network, its own PID namespace, as the services' user in a user namespace (the files that user may read and write stay reachable)",
  wrap: (argv) => ["unshare", ...(isRoot() ? [] : ["--user", "--map-root-user"]), "--net", "--pid", "--fork", "--kill-child", "--", ...dropToNobody(argv)],
};

const UNISOLATED: Isolation = {
  mode: "none",
  description: "no isolation (WORKSPACE_SANDBOX=none): the command has the network and the services' own file access",
  wrap: (argv) => [...argv],
};

const probes = new Map<Isolation, Promise<boolean>>();

/** Whether the wrapper works on this machine: it runs `true` in a throwaway directory. */
function works(isolation: Isolation): Promise<boolean> {
  let probe = probes.get(isolation);
  if (!probe) {
    probe = runCommand(isolation.wrap(["true"], "/tmp"), { cwd: "/tmp", timeoutMs: 10_000, outputCapBytes: 4096 }).then(
      (result) => result.exitCode === 0,
      () => false,
    );
    probes.set(isolation, probe);
  }
  return probe;
}

export type IsolationChoice = { ok: true; isolation: Isolation } | { ok: false; reason: string };

export async function chooseIsolation(mode: SandboxMode): Promise<IsolationChoice> {
  if (mode === "none") return { ok: true, isolation: UNISOLATED };
  const candidates = mode === "auto" ? [BWRAP, UNSHARE] : mode === "bwrap" ? [BWRAP] : [UNSHARE];
  for (const candidate of candidates) if (await works(candidate)) return { ok: true, isolation: candidate };
  const wanted =
    mode === "auto"
      ? "bubblewrap (apt-get install bubblewrap) nor unshare (util-linux, as root or with user namespaces)"
      : mode === "bwrap"
        ? "bubblewrap"
        : "unshare";
  return {
    ok: false,
    reason: `commands are refused: no sandbox works on this machine (tried ${wanted}); WORKSPACE_SANDBOX=none allows commands without isolation`,
  };
}

/**
 * As root the command runs as `nobody`, who must be able to enter the workspace: under unshare every
 * directory above it too; bubblewrap mounts the workspace on its own, so only the workspace itself.
 * Answers the first directory in the way, if any.
 */
export function unreachableByNobody(isolation: Isolation, dir: string): string | undefined {
  if (!isRoot() || isolation.mode === "none") return undefined;
  for (let current = resolve(dir); ; current = dirname(current)) {
    if ((statSync(current).mode & 0o001) === 0) return current;
    if (isolation.mode === "bwrap" || dirname(current) === current) return undefined;
  }
}

export interface CommandResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** stdout and stderr as they arrived, at most `outputCapBytes`. */
  output: string;
  /** How many bytes of output were dropped past the cap. */
  droppedBytes: number;
}

export interface RunOptions {
  cwd: string;
  timeoutMs: number;
  outputCapBytes: number;
}

/** The environment a command gets: nothing of the services' own (no keys, no secrets). */
function commandEnv(): Record<string, string> {
  return { PATH: `${nodeDir()}:${SANDBOX_NODE_DIR}:/usr/local/bin:/usr/bin:/bin`, HOME: "/tmp", LANG: "C.UTF-8", NO_COLOR: "1", CI: "1" };
}

/** Runs argv (already wrapped) in its own process group; past the time limit the whole group is killed. */
export function runCommand(argv: readonly string[], options: RunOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (!file) return Promise.reject(new Error("runCommand: empty command"));
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    // Only what the command needs (Next.js makes NodeJS.ProcessEnv demand NODE_ENV, which a command does not get).
    const child = spawn(file, args, { cwd: options.cwd, env: commandEnv() as NodeJS.ProcessEnv, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let droppedBytes = 0;
    let timedOut = false;
    let settled = false;
    const collect = (chunk: Buffer) => {
      const room = options.outputCapBytes - keptBytes;
      if (room > 0) {
        const part = chunk.subarray(0, room);
        kept.push(part);
        keptBytes += part.length;
      }
      droppedBytes += Math.max(0, chunk.length - Math.max(room, 0));
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const killGroup = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        // already gone
      }
    };
    const finish = (exitCode: number | null, signal: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(straggler);
      // Nothing the command started outlives it.
      killGroup();
      resolvePromise({
        exitCode,
        signal,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        output: Buffer.concat(kept).toString("utf8"),
        droppedBytes,
      });
    };
    let straggler: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
      // A process that left the group may still hold the pipes: stop waiting for them.
      straggler = setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
        finish(child.exitCode, child.signalCode);
      }, 2_000);
    }, options.timeoutMs);
    child.on("error", (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => finish(code, signal));
  });
}
