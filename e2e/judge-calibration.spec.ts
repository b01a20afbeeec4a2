// The Calibration page: a plan the judge accepted and a human rejected at the gate shows as a
// disagreement linked to its run, with kappa 0 and the agreement table; the page fits a phone.
import { apiPost, expect, fullPageShot, submitPreset, test } from "./fixtures";
import { expectFitsAPhone, expectFitsTheScreen } from "./layout";

test("a gate rejection shows as a disagreement linked to its run, and the labelled set downloads", async ({ page }, testInfo) => {
  const rogue = await submitPreset(page, "rogue");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  const rejection = await apiPost(page, `/api/findings/${rogue}/approval`, { approved: false, comment: "rebuilds the sessions table" });
  expect(rejection.status()).toBe(200);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calibration" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Judge calibration" })).toBeVisible();
  const group = page.getByTestId("calibration-group").first();
  // The judge accepts every plan that reaches a human: one human rejection makes kappa 0.
  await expect(group.getByTestId("kappa")).toHaveText("0.00");
  await expect(group.getByTestId("rung-table").locator('[data-rung="1"]')).toContainText("no-destructive-operations");
  const disagreement = group.getByTestId("disagreements").locator("li", { hasText: rogue });
  await expect(disagreement).toContainText("rebuilds the sessions table");
  await expectFitsTheScreen(page, "the calibration page");
  await expectFitsAPhone(page, "the calibration page");
  await fullPageShot(page, testInfo, "calibration.png");

  const download = await page.request.get("/api/calibration/export");
  expect(download.headers()["content-disposition"]).toContain("attachment");
  const lines = (await download.text()).split("\n").filter(Boolean);
  expect(lines.map((line) => JSON.parse(line) as { findingId: string; agree: boolean }).find((line) => line.findingId === rogue)).toMatchObject({
    agree: false,
  });

  await disagreement.getByRole("link", { name: rogue }).click();
  await page.waitForURL(`**/findings/${rogue}`);
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "rejected");
});
