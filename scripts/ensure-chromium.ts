// Browser tests need a Chromium. Prefer the headless shell (Debian's `chromium-headless-shell`, the
// build Playwright itself runs headless tests in), then a full Chromium (Debian's, or Playwright's own
// download on a laptop). As root on Debian, a missing headless shell is installed (scripts/system-packages.ts).
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { aptInstall } from "./system-packages";

/**
 * Debian's headless shell: the same engine without the full browser's windowing and compositing. The
 * 49 journeys took 177 CPU-seconds in it against 255 in the full Chromium on this 2-core machine, all
 * else equal. It cannot run headed: `CHROMIUM_PATH=/usr/bin/chromium npx playwright test --headed`.
 */
export const DEBIAN_HEADLESS_SHELL = "/usr/bin/chromium-headless-shell";
export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** The Chromium to launch (CHROMIUM_PATH first, then the headless shell, then a full Chromium), or null. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, DEBIAN_HEADLESS_SHELL, DEBIAN_CHROMIUM, safe(() => chromium.executablePath())];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

/**
 * The Chromium for `npm test`. Without CHROMIUM_PATH and without the headless shell, it installs Debian's
 * shell where it can (root, apt); else it uses the full Chromium found, or fails saying how to get one.
 */
export async function ensureChromium(): Promise<string> {
  const found = findChromium();
  if (found && (process.env.CHROMIUM_PATH || found === DEBIAN_HEADLESS_SHELL)) return found;
  const why = found ? "the browser tests run in Chromium's headless shell" : "no Chromium found for the browser tests";
  if (await aptInstall(["chromium-headless-shell"], why)) {
    const installed = findChromium();
    if (installed) return installed;
  }
  if (found) return found;
  throw new Error("No Chromium for the browser tests: run `npx playwright install chromium`, or install your distribution's chromium and set CHROMIUM_PATH.");
}
