// What the project needs from the operating system, installed from Debian's packages when missing
// (as root, where apt-get exists): the browser tests' Chromium, and git and bubblewrap for the agents'
// workspaces and their sandboxed commands.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const onPath = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

/**
 * Installs Debian's packages; false where that is not possible here (not root, not Debian, apt failed).
 * Asynchronous, so the tiers already running keep their output flowing while apt downloads.
 */
export async function aptInstall(packages: string[], why: string): Promise<boolean> {
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return false;
  console.log(`[setup] ${why}: installing Debian's ${packages.join(", ")}...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...packages]]) {
    const status = await new Promise<number | null>((done) => {
      const child = spawn("apt-get", ["-o", "DPkg::Lock::Timeout=600", "-q", ...args], { stdio: ["ignore", "ignore", "inherit"], env });
      child.on("error", () => done(null));
      child.on("close", done);
    });
    if (status !== 0) {
      console.error(`[setup] apt-get ${args.join(" ")} failed`);
      return false;
    }
  }
  console.log(`[setup] installed ${packages.join(", ")}`);
  return true;
}

/** git (demo repositories, workspaces) and bwrap (commands run without network or host files). */
export async function ensureWorkspaceTools(): Promise<void> {
  const missing = [
    { command: "git", pkg: "git" },
    { command: "bwrap", pkg: "bubblewrap" },
  ].filter(({ command }) => !onPath(command));
  if (missing.length === 0) return;
  await aptInstall(
    missing.map(({ pkg }) => pkg),
    `${missing.map(({ command }) => command).join(" and ")} not found`,
  );
  const still = missing.filter(({ command }) => !onPath(command));
  if (still.length) {
    throw new Error(
      `The agents' workspaces need ${still.map(({ pkg }) => pkg).join(" and ")}: install them (Debian: apt-get install ${still.map(({ pkg }) => pkg).join(" ")}).`,
    );
  }
}
