import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { SlowFilesFirst } from "./lib/test/slow-files-first";

/**
 * Test files that start a real restate-server (restate/test/harness.ts, lib/test/route-harness.ts's
 * consoleStackPerFile, scripts/cluster.ts). Everything else is a unit test: no server, run in parallel.
 * startTestStack refuses to run in the unit tier, so a file that needs a server cannot hide there.
 */
export const INTEGRATION_TESTS = [
  "restate/test/**/*.test.ts",
  "app/api/hostile-input.test.ts",
  "app/api/findings/**/*.test.ts",
  "app/api/invocations/**/*.test.ts",
  "app/api/events/**/*.test.ts",
  "app/api/auth/**/*.test.ts",
  "app/api/integrations/**/*.test.ts",
  "app/api/calibration/**/*.test.ts",
  "app/api/intake/**/*.test.ts",
  "app/api/slack/**/*.test.ts",
  "app/api/policy/**/*.test.ts",
  "scripts/engine-guard.test.ts",
];

const UNIT_TESTS = ["restate/**/*.test.ts", "lib/**/*.test.ts", "app/**/*.test.ts", "scripts/**/*.test.ts"];

/**
 * Unit test files that set process.env and then import modules that read it as they load: they need
 * modules of their own, so they run isolated (project "unit-fresh"); every other unit file shares its
 * worker's modules. A unit file that sets the environment before an import belongs here.
 */
export const FRESH_MODULE_TESTS = ["lib/server/unreachable.test.ts"];

/** Twice as many test files as cores at once (at most 8): the slow files of both tiers wait rather than compute. */
const TWICE_THE_CORES = Math.min(8, 2 * availableParallelism());

const UNIT_SETTINGS = {
  env: { TEST_TIER: "unit" },
  // The slow unit files wait rather than compute (a Retry-After, a slow answer, a child process
  // refusing to start, git in a workspace), so twice as many files as cores run at once; vitest's
  // default (cores - 1) ran them one by one on a 2-core machine.
  maxWorkers: TWICE_THE_CORES,
  // Hang detectors only: a fresh clone transforms every module on first import and the operators'
  // bcrypt hashes take seconds on a busy machine; vitest's 5 s / 10 s defaults are budgets it can exhaust.
  testTimeout: 120_000,
  hookTimeout: 120_000,
  sequence: { groupOrder: 0 },
};

export default defineConfig({
  resolve: {
    alias: {
      "@": fileURLToPath(new URL("./", import.meta.url)),
      // Route handlers import "server-only"; under test they run on the server anyway.
      "server-only": fileURLToPath(new URL("./node_modules/server-only/empty.js", import.meta.url)),
    },
  },
  test: {
    // The integration tier's slowest files start first (lib/test/slow-files-first.ts); the others keep vitest's order.
    sequence: { sequencer: SlowFilesFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: UNIT_TESTS,
          exclude: [...INTEGRATION_TESTS, ...FRESH_MODULE_TESTS],
          ...UNIT_SETTINGS,
          // One module graph per worker, not per file: every file importing the routes, zod schemas and
          // SDKs again was a third of the tier's CPU. Each file still starts with the environment,
          // timers and mocks it would have had alone (lib/test/unit-file-reset.ts).
          isolate: false,
          setupFiles: ["lib/test/unit-file-reset.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "unit-fresh",
          include: FRESH_MODULE_TESTS,
          ...UNIT_SETTINGS,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: INTEGRATION_TESTS,
          // Each file starts its own restate-server (and services) on free ports. Its files wait on servers,
          // timers and crashes far more than they compute, so twice as many files as cores at once, with the
          // browser tests beside them (three on 2 cores left a third of a core idle for the suite's second
          // half). The tests wait on behaviour, not on the clock, so a slower machine makes them slower, not red.
          maxWorkers: TWICE_THE_CORES,
          // Hang detectors only: every wait inside a test is bounded by PATIENCE_MS (restate/test/poll-until.ts).
          testTimeout: 300_000,
          hookTimeout: 300_000,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
