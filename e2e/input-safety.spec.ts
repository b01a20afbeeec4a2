// What the console does with bad and hostile input: field errors next to fields, markup shown as text.
import { expect, test } from "./fixtures";

test("invalid input shows field errors next to the fields, from the browser and from the server", async ({ page, watch }) => {
  await page.goto("/submit");
  await page.getByRole("button", { name: "Start remediation" }).click();

  // Client-side, with the shared FindingSchema: nothing is sent.
  await expect(page.locator('[data-field-error="finding-id"]')).toContainText("id must be");
  await expect(page.locator('[data-field-error="finding-repo"]')).toContainText("repo must be");
  await expect(page.locator('[data-field-error="finding-source"]')).toContainText("source");
  await expect(page.locator('[data-field-error="finding-description"]')).toContainText("description");
  await expect(page.getByLabel("Finding id")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Finding id")).toBeFocused();

  await page.getByLabel("Finding id").fill("not a valid id!");
  await page.getByLabel("Repository").fill("web-app");
  await page.getByLabel("Source").fill("snyk");
  await page.getByLabel("Description").fill("outdated lodash");
  await page.getByRole("button", { name: "Start remediation" }).click();
  await expect(page.locator('[data-field-error="finding-id"]')).toContainText("letters, digits");
  await expect(page.locator('[data-field-error="finding-repo"]')).toHaveCount(0);

  // Server-side: the form is valid, but the request is changed on the way; the API's 422 `fields`
  // land next to the same input.
  await page.getByLabel("Finding id").fill(`e2e-tampered-${Date.now().toString(36)}`);
  await page.route("**/api/findings", async (route) => {
    if (route.request().method() !== "POST") return route.continue();
    const body = JSON.parse(route.request().postData() ?? "{}") as Record<string, unknown>;
    await route.continue({ postData: JSON.stringify({ ...body, repo: "../../etc/passwd" }) });
  });
  // The browser itself logs the 422 this test provokes.
  watch.allow(/status of 422/);
  await page.getByRole("button", { name: "Start remediation" }).click();
  await expect(page.locator('[data-field-error="finding-repo"]')).toContainText("repo must be");
  await expect(page.getByRole("alert").first()).toBeVisible();
  await expect(page).toHaveURL(/\/submit$/);
});

test("a field is checked once typed in: not on a tab through, on leaving it, and again while it is fixed", async ({ page }) => {
  await page.goto("/submit");
  const id = page.getByLabel("Finding id");
  const idError = page.locator('[data-field-error="finding-id"]');
  await id.focus();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Severity")).toBeFocused();
  await expect(idError).toHaveCount(0);

  await id.fill("not a valid id!");
  await expect(idError).toHaveCount(0);
  await id.blur();
  await expect(idError).toContainText("letters, digits");
  await expect(id).toHaveAttribute("aria-describedby", /finding-id-error/);
  await id.fill("cve-2026-0042");
  await expect(idError).toHaveCount(0);
  await expect(id).toHaveAttribute("aria-invalid", "false");

  await page.locator('[data-preset="credentials"]').click();
  await expect(page.getByLabel("Severity")).toHaveValue("high");
  await expect(page.getByLabel("Repository")).toHaveValue("ci-infra");
  await page.getByRole("button", { name: "Clear", exact: true }).click();
  await expect(id).toHaveValue("");
  await expect(page.locator('[data-preset="credentials"]')).toHaveAttribute("aria-pressed", "false");
});

test("markup in a description is shown as text and never executes", async ({ page, watch }) => {
  const hostile = `<img src=x onerror=alert(1)> <script>alert(2)</script> lodash "quoted" & more`;
  const id = `e2e-xss-${Date.now().toString(36)}`;
  await page.goto("/submit");
  await page.getByLabel("Finding id").fill(id);
  await page.getByLabel("Source").fill(`<b>snyk</b>`);
  await page.getByLabel("Repository").fill("web-storefront");
  await page.getByLabel("Description").fill(hostile);
  await page.getByRole("button", { name: "Start remediation" }).click();
  await page.waitForURL(`**/findings/${id}`);

  await expect(page.getByTestId("finding-description")).toHaveText(hostile);
  await expect(page.getByText("reported by <b>snyk</b>")).toBeVisible();
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
  await expect(page.locator('img[src="x"]')).toHaveCount(0);

  await page.getByRole("link", { name: "Dashboard" }).click();
  const row = page.locator(`[data-finding-id="${id}"]`);
  await expect(row).toContainText(hostile);
  await expect(page.locator('img[src="x"]')).toHaveCount(0);
  // Give a would-be onerror handler every chance to fire.
  await page.waitForTimeout(500);
  expect(watch.dialogs).toEqual([]);
});
