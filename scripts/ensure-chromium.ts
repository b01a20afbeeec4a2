// Browser tests need a Chromium. Prefer one that is already there (Debian's, or Playwright's own
// download on a laptop); otherwise, as root on Debian, install Debian's package (scripts/system-packages.ts).
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";
import { aptInstall } from "./system-packages";

export const DEBIAN_CHROMIUM = "/usr/bin/chromium";

/** The Chromium to launch, or null when none is installed. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, DEBIAN_CHROMIUM, safe(() => chromium.executablePath())];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? null;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export function ensureChromium(): string {
  const found = findChromium();
  if (found) return found;
  if (aptInstall(["chromium"], "no Chromium found for the browser tests")) {
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error("No Chromium for the browser tests: run `npx playwright install chromium`, or install your distribution's chromium and set CHROMIUM_PATH.");
}
