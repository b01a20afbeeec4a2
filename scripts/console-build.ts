// The console's production build, made only when it is missing or older than its sources.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "./stack";

const SOURCES = [
  "app",
  "components",
  "lib",
  "proxy.ts",
  "instrumentation.ts",
  "restate/contracts",
  "restate/identity",
  "next.config.mjs",
  "postcss.config.mjs",
  "package-lock.json",
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((newest, name) => Math.max(newest, newestMtime(join(path, name))), stat.mtimeMs);
}

export function consoleBuildIsStale(): boolean {
  const buildId = join(projectRoot, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return SOURCES.some((source) => newestMtime(join(projectRoot, source)) > built);
}

export function buildConsole(): void {
  const result = spawnSync(join(projectRoot, "node_modules", ".bin", "next"), ["build"], { cwd: projectRoot, stdio: "inherit" });
  if (result.status !== 0) throw new Error("next build failed; see the output above");
}

export function ensureConsoleBuild(): void {
  if (consoleBuildIsStale()) {
    console.log("building the console (next build)...");
    buildConsole();
  }
}
