// The journeys' test object: every page fails its test on a browser console error, an uncaught
// exception or any dialog (alert() from injected markup would be one).
import { test as base, expect, type Page, type TestInfo } from "@playwright/test";
import { e2ePassword } from "./operators";

interface ConsoleWatch {
  /** Messages seen so far; the fixture asserts none at the end of each test. */
  errors: string[];
  dialogs: string[];
  /** Expects one console error a test causes on purpose (e.g. the browser logging a 422 it provoked). */
  allow(pattern: RegExp): void;
}

/** Signs the page's browser context in through the API (as the sign-in form does), replacing any session. */
export async function signInAs(page: Page, username: string): Promise<void> {
  const response = await page.request.post("/api/auth/login", { data: { username, password: e2ePassword(username) } });
  expect(response.status(), `sign-in as ${username}`).toBe(200);
}

/** A state-changing call to the console API with the browser's session, CSRF token included. */
export async function apiPost(page: Page, path: string, data: unknown) {
  const csrf = (await page.context().cookies()).find((cookie) => cookie.name === "rmc_csrf")?.value ?? "";
  return await page.request.post(path, { data, headers: { "x-csrf-token": decodeURIComponent(csrf) } });
}

export const test = base.extend<{ watch: ConsoleWatch; operator: string | null; signedIn: void }>({
  /** Who the test starts signed in as; null for nobody. An admin unless a test says otherwise. */
  operator: ["ada", { option: true }],
  signedIn: [
    async ({ page, operator }, use) => {
      if (operator) await signInAs(page, operator);
      await use();
    },
    { auto: true },
  ],
  watch: [
    async ({ page }, use) => {
      const allowed: RegExp[] = [];
      const watch: ConsoleWatch = { errors: [], dialogs: [], allow: (pattern) => void allowed.push(pattern) };
      page.on("console", (message) => {
        if (message.type() !== "error" || allowed.some((pattern) => pattern.test(message.text()))) return;
        // "Failed to load resource" does not say which: its location does.
        const { url } = message.location();
        watch.errors.push(url ? `${message.text()} (${url})` : message.text());
      });
      page.on("pageerror", (error) => watch.errors.push(`uncaught: ${error.message}`));
      page.on("dialog", (dialog) => {
        watch.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
        void dialog.dismiss();
      });
      await use(watch);
      expect(watch.dialogs, "no dialog may open").toEqual([]);
      expect(watch.errors, "the browser console must stay free of errors").toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

/** Fills the form from a preset and submits it; resolves with the new run's finding id. */
export async function submitPreset(page: Page, preset: string): Promise<string> {
  await page.goto("/submit");
  await page.locator(`[data-preset="${preset}"]`).click();
  const id = await page.getByLabel("Finding id").inputValue();
  await page.getByRole("button", { name: "Start remediation" }).click();
  await page.waitForURL(`**/findings/${id}`);
  return id;
}

export function rung(page: Page, agent: string) {
  return page.getByTestId("attempt-ladder").locator(`[data-agent="${agent}"]`);
}

/** A full-page screenshot kept with the test's artifacts (scrolled to the top so the sticky nav sits there). */
export async function fullPageShot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const path = testInfo.outputPath(name);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: "image/png" });
}
