// What the project needs from the operating system, installed from Debian's packages when missing
// (as root, where apt-get exists): the browser tests' Chromium, and git and bubblewrap for the agents'
// workspaces and their sandboxed commands.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const onPath = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;

/** Installs Debian's packages; false where that is not possible here (not root, not Debian, apt failed). */
export function aptInstall(packages: string[], why: string): boolean {
  if (process.getuid?.() !== 0 || !existsSync("/usr/bin/apt-get")) return false;
  console.log(`[setup] ${why}: installing Debian's ${packages.join(", ")}...`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [["update"], ["install", "-y", "--no-install-recommends", ...packages]]) {
    const result = spawnSync("apt-get", ["-o", "DPkg::Lock::Timeout=600", ...args], { stdio: "inherit", env });
    if (result.status !== 0) {
      console.error(`[setup] apt-get ${args.join(" ")} failed`);
      return false;
    }
  }
  return true;
}

/** git (demo repositories, workspaces) and bwrap (commands run without network or host files). */
export function ensureWorkspaceTools(): void {
  const missing = [
    { command: "git", pkg: "git" },
    { command: "bwrap", pkg: "bubblewrap" },
  ].filter(({ command }) => !onPath(command));
  if (missing.length === 0) return;
  aptInstall(
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
