// Browser tests need a Chromium. Prefer one that is already there (Debian's, or Playwright's own
// download on a laptop); otherwise, as root on Debian, install Debian's package.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium } from "@playwright/test";

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
  const isRoot = process.getuid?.() === 0;
  if (isRoot && existsSync("/usr/bin/apt-get")) {
    console.log("[e2e] no Chromium found: installing Debian's chromium package...");
    for (const args of [["-o", "DPkg::Lock::Timeout=600", "update"], ["-o", "DPkg::Lock::Timeout=600", "install", "-y", "--no-install-recommends", "chromium"]]) {
      const result = spawnSync("apt-get", args, { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
      if (result.status !== 0) throw new Error(`apt-get ${args.join(" ")} failed`);
    }
    const installed = findChromium();
    if (installed) return installed;
  }
  throw new Error("No Chromium for the browser tests: run `npx playwright install chromium`, or install your distribution's chromium and set CHROMIUM_PATH.");
}
