// Browser journeys against the real stack: e2e/global-setup.ts starts restate-server, the services
// and the console's production server on free loopback ports and hands the console URL to the tests.
import { defineConfig } from "@playwright/test";
import { PHONE_SCREEN } from "./e2e/layout";
import { findChromium } from "./scripts/ensure-chromium";

export default defineConfig({
  testDir: "./e2e",
  globalSetup: "./e2e/global-setup.ts",
  outputDir: "./test-results/e2e",
  // Journeys share one stack on a small machine: one at a time keeps timings honest.
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  timeout: 90_000,
  expect: { timeout: 20_000 },
  reporter: [["list"], ...(process.env.PLAYWRIGHT_JSON_OUTPUT_NAME ? ([["json"]] as const) : [])],
  use: {
    // Set by the global setup before workers start (workers load this file again).
    baseURL: process.env.E2E_BASE_URL,
    viewport: { width: 1280, height: 800 },
    // Journeys assert what a page says, not how it moves: the browser asks for reduced motion, so the
    // pulsing dots and moving bars (app/globals.css) do not repaint every frame of every test.
    contextOptions: { reducedMotion: "reduce" },
    // No trace is recorded: recording one for every journey (to keep it when one fails) cost 23 of the
    // browser tier's 176 CPU-seconds. A failed journey keeps its screenshot and its page's snapshot
    // (error-context.md in test-results/e2e), and its console errors name their URLs (e2e/fixtures.ts);
    // for a trace, run it again with `npx playwright test --trace retain-on-failure`.
    trace: "off",
    screenshot: "only-on-failure",
    launchOptions: {
      // Chromium's headless shell where there is one (scripts/ensure-chromium.ts); no browser downloads here.
      executablePath: findChromium() ?? undefined,
      args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", "--no-sandbox"],
    },
  },
  projects: [
    { name: "chromium", use: { browserName: "chromium" } },
    // Approvers open the console from a link on their phone: the journeys tagged @phone run again at
    // a phone's size (Chromium's mobile emulation: meta viewport, touch, a 3x screen).
    {
      name: "phone",
      grep: /@phone/,
      use: { browserName: "chromium", viewport: PHONE_SCREEN, deviceScaleFactor: 3, isMobile: true, hasTouch: true },
    },
  ],
});
