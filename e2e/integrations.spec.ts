// The Integrations page: an admin sees each outside-world port with its adapter and what it did last,
// and tests a connection; other roles are not shown the page's data. It fits a phone.
import { expect, fullPageShot, submitPreset, test } from "./fixtures";
import { expectFitsAPhone, expectFitsTheScreen } from "./layout";

test("an admin sees each port's adapter, its last call after a run, and tests a connection", async ({ page }, testInfo) => {
  await submitPreset(page, "harmless");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");

  await page.goto("/integrations");
  await expect(page.getByRole("heading", { level: 1, name: "Integrations" })).toBeVisible();
  const codeHost = page.getByTestId("integration-codeHost");
  // The browser tests' stack uses the embedded code host, as npm start does.
  await expect(codeHost.getByTestId("integration-kind")).toHaveText(/local · embedded/);
  await expect(codeHost).toContainText("CODE_HOST=local");
  await expect(codeHost.getByTestId("last-call")).toContainText("openPullRequest");
  await expect(page.getByTestId("integration-planner")).toContainText("LLM_PROVIDER=stub");

  await codeHost.getByRole("button", { name: "Test connection" }).click();
  await expect(codeHost.getByTestId("connection-result")).toContainText("Connected");
  await expect(codeHost.getByTestId("connection-result")).toContainText("nothing to connect to");
  await expectFitsTheScreen(page, "the integrations page");
  await expectFitsAPhone(page, "the integrations page");
  await fullPageShot(page, testInfo, "integrations.png");
});

test.describe("for an approver", () => {
  test.use({ operator: "ana" });
  test("the page says the role may not see it, and the header has no link to it", async ({ page }) => {
    await page.goto("/integrations");
    await expect(page.getByText("may not see the integrations")).toBeVisible();
    await expect(page.getByRole("link", { name: "Integrations" })).toHaveCount(0);
  });
});
