// Entry point of every npm script, written to run on any Node the machine has (20 included):
// installs the project's dependencies when they are missing or stale, then runs the given
// TypeScript file on the project's own Node 24 (the `node` devDependency) with tsx.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const lockfile = join(root, "package-lock.json");
const installed = join(root, "node_modules", ".package-lock.json");
const projectNode = join(root, "node_modules", "node", "bin", "node");

const stale = !existsSync(installed) || !existsSync(projectNode) || statSync(installed).mtimeMs < statSync(lockfile).mtimeMs;
if (stale) {
  console.log("[bootstrap] installing dependencies (npm ci)...");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (result.status !== 0) {
    console.error("[bootstrap] npm ci failed; see the output above.");
    process.exit(result.status ?? 1);
  }
}

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error("usage: node scripts/bootstrap.mjs <file.ts> [args...]");
  process.exit(2);
}
const child = spawn(projectNode, ["--import", "tsx", join(root, script), ...args], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, PATH: `${join(root, "node_modules", ".bin")}:${process.env.PATH ?? ""}` },
});
// Ctrl-C reaches the whole process group; forwarding SIGTERM lets `kill` stop us cleanly too.
for (const signal of ["SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
process.on("SIGINT", () => {});
child.on("exit", (code, signal) => process.exit(code ?? (signal ? 128 + 1 : 1)));
