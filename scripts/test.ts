// `npm test`: every test of the project, in tiers of increasing cost, against real processes.
//   static       typecheck, lint and the formatter's check
//   unit         vitest projects "unit" and "unit-fresh": colocated tests that start no server, files in parallel
//   integration  vitest project "integration": each file spawns a real restate-server (and services);
//                the fault suite (restate/test/faults/) is here
//   e2e          Playwright in Chromium against the real stack, on the console's production build
// All four run side by side: static, unit, integration and the console's build start together, and the
// browser tests start when the build is done. The integration tests mostly wait on servers, and the others
// use that idle CPU. The integration tier's log is live; the others' are printed whole when each ends
// (the unit and browser tests print live when the integration tier does not run). Ends with one line "tests: N passed, N failed"
// that counts every tier that ran, after a "time:" line with each tier's own duration and the total.
// Options: --unit (the fast tier alone, same as --only=unit), --only=TIER[,TIER] (e.g. --only=unit,integration),
// --no-TIER (e.g. --no-e2e).
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ensureChromium } from "./ensure-chromium";
import { ensureWorkspaceTools } from "./system-packages";
import { projectRoot } from "./stack";

const TIERS = ["static", "unit", "integration", "e2e"] as const;
type Tier = (typeof TIERS)[number];

const args = process.argv.slice(2);
for (const arg of args) {
  const known = arg === "--unit" || TIERS.some((tier) => arg === `--no-${tier}`) || /^--only=.+/.test(arg);
  if (!known) {
    console.error(`npm test: unknown option "${arg}". Options: --unit, --only=${TIERS.join("|")}[,…], --no-${TIERS.join("|--no-")}`);
    process.exit(2);
  }
}
const only = new Set(args.flatMap((arg) => (arg === "--unit" ? ["unit"] : arg.startsWith("--only=") ? arg.slice("--only=".length).split(",") : [])));
for (const tier of only) {
  if (!TIERS.includes(tier as Tier)) {
    console.error(`npm test: unknown tier "${tier}"; tiers: ${TIERS.join(", ")}`);
    process.exit(2);
  }
}
const wants = (tier: Tier) => (only.size ? only.has(tier) : !args.includes(`--no-${tier}`));
const results = join(projectRoot, "test-results");
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures: string[] = [];
const timings: string[] = [];
const started = Date.now();
const seconds = (ms: number) => `${Math.round(ms / 1000)} s`;

/**
 * Runs one command. Its output goes straight to the terminal or, with `buffered`, is printed whole when it
 * ends, so commands running side by side do not interleave their logs. Resolves to "it passed".
 */
function run(
  title: string,
  command: string,
  commandArgs: string[],
  options: { env?: Record<string, string>; buffered?: boolean; yieldsToBrowser?: boolean } = {},
) {
  const banner = `\n=== ${title}: ${command} ${commandArgs.join(" ")}`;
  if (!options.buffered) console.log(banner);
  return new Promise<boolean>((done) => {
    // The browser tests are the suite's longest step: the tiers beside them run at a lower priority
    // (nice 10, inherited by the servers they start), so the browser and its stack go first for the CPU.
    const [program, programArgs] = options.yieldsToBrowser && wants("e2e") ? ["nice", ["-n", "10", command, ...commandArgs]] : [command, commandArgs];
    const child = spawn(program, programArgs, {
      cwd: projectRoot,
      stdio: options.buffered ? ["ignore", "pipe", "pipe"] : "inherit",
      env: { ...process.env, ...options.env },
    });
    let output = "";
    child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
    let finished = false;
    const finish = (ok: boolean, error?: Error) => {
      if (finished) return;
      finished = true;
      if (options.buffered) {
        console.log(`${banner}${ok ? "" : " (failed)"}`);
        if (output.trim()) console.log(output.trimEnd());
      }
      if (error) console.log(`${title}: ${error.message}`);
      if (!ok) failures.push(title);
      done(ok);
    };
    child.on("error", (error) => finish(false, error));
    child.on("close", (code) => finish(code === 0));
  });
}

async function tier(name: Tier, body: () => Promise<void>) {
  if (!wants(name)) return;
  const tierStarted = Date.now();
  await body();
  const line = `${name} ${seconds(Date.now() - tierStarted)}`;
  timings.push(line);
  console.log(`--- ${line}`);
}

function readJson<T>(file: string): T | null {
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as T) : null;
}

// The unit and browser tests' output, when they run beside the integration tier, is printed when each ends.
const besideIntegration = wants("integration");

async function vitestProject(project: "unit" | "integration", title: string, buffered: boolean) {
  const report = join(results, `vitest-${project}.json`);
  rmSync(report, { force: true });
  // The unit tier is two vitest projects: "unit" and "unit-fresh" (vitest.config.ts).
  const projects = project === "unit" ? ["--project", "unit", "--project", "unit-fresh"] : ["--project", project];
  await run(title, "vitest", ["run", ...projects, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
    buffered,
    yieldsToBrowser: true,
  });
  const summary = readJson<{ numPassedTests: number; numFailedTests: number; numTotalTests: number }>(report);
  if (summary) {
    passed += summary.numPassedTests;
    failed += summary.numFailedTests;
    skipped += summary.numTotalTests - summary.numPassedTests - summary.numFailedTests;
  }
}

if (wants("unit") || wants("integration")) await ensureWorkspaceTools();
// A missing browser is installed while the console builds and the other tiers run.
const chromium = wants("e2e") ? ensureChromium() : null;

// The console's production build, which only the browser tests need, starts with the other tiers.
// When the static tier runs, its tsc checks every file the build would: the build does not check them again.
const consoleBuild = wants("e2e")
  ? run("console production build (alongside)", "next", ["build"], {
      buffered: true,
      env: wants("static") ? { CONSOLE_BUILD_TYPECHECKED_ELSEWHERE: "1" } : {},
    })
  : null;
// The browser tests start as soon as the build is done, beside whatever still runs: the integration tests
// mostly wait on servers.
const browserTests = tier("e2e", async () => {
  let chromiumPath: string;
  try {
    chromiumPath = (await chromium)!;
  } catch (error) {
    console.log(`browser tests: ${(error as Error).message}`);
    failures.push("browser tests");
    return;
  }
  if (!(await consoleBuild)) return;
  const report = join(results, "playwright.json");
  rmSync(report, { force: true });
  await run("browser tests", "playwright", ["test"], {
    env: { CHROMIUM_PATH: chromiumPath, PLAYWRIGHT_JSON_OUTPUT_NAME: report },
    buffered: besideIntegration,
  });
  const summary = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(report);
  if (summary) {
    passed += summary.stats.expected + summary.stats.flaky;
    failed += summary.stats.unexpected;
    skipped += summary.stats.skipped;
  }
});
const STATIC_CHECK = { buffered: true, yieldsToBrowser: true };
await Promise.all([
  tier("static", async () => {
    await Promise.all([
      run("typecheck", "tsc", ["--noEmit", "-p", "."], STATIC_CHECK),
      run("lint", "eslint", ["."], STATIC_CHECK),
      run("format", "prettier", ["--check", "--log-level=warn", "."], STATIC_CHECK),
    ]);
  }),
  tier("unit", () => vitestProject("unit", "unit tests (no server, in parallel)", besideIntegration)),
  tier("integration", () => vitestProject("integration", "integration and fault tests (real restate-server)", false)),
  browserTests,
]);

console.log("");
timings.sort((a, b) => TIERS.indexOf(a.split(" ")[0] as Tier) - TIERS.indexOf(b.split(" ")[0] as Tier));
console.log(`time: ${[...timings, `total ${seconds(Date.now() - started)}`].join(", ")}`);
if (failures.length) console.log(`failed steps: ${failures.join(", ")}`);
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
process.exit(failures.length || failed ? 1 : 0);
