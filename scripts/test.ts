// `npm test`: every test of the project, in order of cost, against real processes.
//   1. typecheck and lint
//   2. vitest: unit tests, then integration tests that each spawn a real restate-server
//   3. the console's production build, then Playwright in Chromium against the real stack
// Ends with one line "tests: N passed, N failed". Options: --no-e2e, --only=e2e.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ensureChromium } from "./ensure-chromium";
import { projectRoot } from "./stack";

const args = new Set(process.argv.slice(2));
const only = [...args].find((arg) => arg.startsWith("--only="))?.slice("--only=".length);
const wants = (phase: string) => (only ? only === phase : !(args.has(`--no-${phase}`)));
const results = join(projectRoot, "test-results");
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];

function step(title: string, command: string, commandArgs: string[], env: Record<string, string> = {}): boolean {
  console.log(`\n=== ${title}: ${command} ${commandArgs.join(" ")}`);
  const result = spawnSync(command, commandArgs, { cwd: projectRoot, stdio: "inherit", env: { ...process.env, ...env } });
  if (result.status !== 0) failures.push(title);
  return result.status === 0;
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

if (wants("static")) {
  step("typecheck", "tsc", ["--noEmit", "-p", "."]);
  step("lint", "eslint", ["."]);
}

if (wants("vitest")) {
  const report = join(results, "vitest.json");
  step("unit and integration tests", "vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
  const summary = readJson<{ numPassedTests: number; numFailedTests: number; numTotalTests: number }>(report);
  if (summary) {
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
    skipped += summary.numTotalTests - summary.numPassedTests - summary.numFailedTests;
  }
}

if (wants("e2e")) {
  const chromiumPath = ensureChromium();
  if (step("console production build", "next", ["build"])) {
    const report = join(results, "playwright.json");
    step("browser tests", "playwright", ["test"], { CHROMIUM_PATH: chromiumPath, PLAYWRIGHT_JSON_OUTPUT_NAME: report });
    const summary = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(report);
    if (summary) {
      passed += summary.stats.expected + summary.stats.flaky;
      failed += summary.stats.unexpected;
      skipped += summary.stats.skipped;
    }
  }
}

console.log("");
if (failures.length) console.log(`failed steps: ${failures.join(", ")}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failures.length || failed ? 1 : 0);
