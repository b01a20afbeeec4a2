// After sign-in the console sends the operator to `next` only when the browser's own URL parser keeps
// it on the console: these values all look like paths or are rewritten into another host by the parser.
import { expect, test } from "./fixtures";
import { e2ePassword } from "./operators";

test.use({ operator: null });

const HOSTILE_NEXT = [
  "/\\evil.example",
  "/\t/evil.example",
  "https:evil.example",
  "//evil.example",
  "\\/evil.example",
  "/%5Cevil.example",
  " //evil.example",
  "javascript:alert(1)",
  "http://127.0.0.1.evil.example/",
  "/.//evil.example",
];

test("signing in with a hostile next never leaves the console", async ({ page, baseURL, watch }) => {
  const home = new URL(baseURL!).origin;
  // "/%5Cevil.example" is a path on the console that does not exist: its 404 is expected.
  watch.allow(/404/);
  // Nothing may reach another host; were the browser sent there, its URL would show it anyway.
  const offSite: string[] = [];
  await page.context().route(
    (url) => url.origin !== home,
    (route) => {
      offSite.push(route.request().url());
      return route.abort();
    },
  );
  for (const next of [...HOSTILE_NEXT, `http://127.0.0.1.evil.example:${new URL(home).port}/`]) {
    await page.context().clearCookies();
    await page.goto(`/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Username").fill("vic");
    await page.getByLabel("Password").fill(e2ePassword("vic"));
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL((url) => url.pathname !== "/sign-in", { waitUntil: "commit" });
    expect(new URL(page.url()).origin, `next=${JSON.stringify(next)} ended at ${page.url()}`).toBe(home);
    // Leave the page before signing out: its reads still in flight would come back 401 once the cookies
    // are gone, and its redirect to the sign-in page would cut the next round's navigation short.
    await page.goto("about:blank");
  }
  expect(offSite).toEqual([]);
});

test("a same-console next still brings the operator back where they were going", async ({ page }) => {
  await page.goto("/approvals");
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fapprovals$/);
  await page.getByLabel("Username").fill("vic");
  await page.getByLabel("Password").fill(e2ePassword("vic"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL("**/approvals");
});
