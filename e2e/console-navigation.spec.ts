// Getting around the console: filters in the URL, the keyboard alone, and a rejection at the gate.
import { apiPost, expect, rung, signInAs, submitPreset, test } from "./fixtures";

test("a finding can be chosen and submitted with the keyboard alone", async ({ page }) => {
  await page.goto("/submit");
  const preset = page.locator('[data-preset="harmless"]');
  // Tab until the preset has focus: it must be reachable, not only clickable.
  for (let presses = 0; presses < 20 && !(await preset.evaluate((element) => element === document.activeElement)); presses++) {
    await page.keyboard.press("Tab");
  }
  await expect(preset).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(preset).toHaveAttribute("aria-pressed", "true");
  const id = await page.getByLabel("Finding id").inputValue();
  expect(id).toMatch(/^cve-001-[0-9a-z]+$/);

  await page.getByLabel("Description").focus();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Start remediation" })).toBeFocused();
  await page.keyboard.press("Enter");
  await page.waitForURL(`**/findings/${id}`);
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
});

test("the dashboard filters by stage and severity through the URL", async ({ page }) => {
  const waitingId = await submitPreset(page, "credentials");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");

  await page.goto("/");
  // A choice made before hydration is applied once the page hydrates; wait for that, so the test is about filtering.
  await expect(page.locator("[data-hydrated]")).toHaveCount(1);
  await page.getByLabel("Stage").selectOption("awaiting-approval");
  await expect(page).toHaveURL(/\?stage=awaiting-approval$/);
  await expect(page.locator(`[data-finding-id="${waitingId}"]`)).toBeVisible();
  // The unfiltered page may still be on screen while the filtered one loads: wait for it to go, not a snapshot.
  await expect(page.getByTestId("findings-table").locator('tbody [data-stage]:not([data-stage="awaiting-approval"])')).toHaveCount(0);

  await page.getByLabel("Severity").selectOption("low");
  await expect(page).toHaveURL(/severity=low/);
  await expect(page.locator(`[data-finding-id="${waitingId}"]`)).toHaveCount(0);

  // The back button restores the previous filter.
  await page.goBack();
  await expect(page.getByLabel("Severity")).toHaveValue("");
  await expect(page.locator(`[data-finding-id="${waitingId}"]`)).toBeVisible();

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(/\/$/);
});

test("rejecting at the policy gate stops the run before any side effect", async ({ page }) => {
  const id = await submitPreset(page, "credentials");
  const gate = page.getByTestId("approval-gate");
  await expect(gate).toContainText("Waiting for sign-off");
  await expect(rung(page, "fastExecutor")).toHaveAttribute("data-state", "accepted");

  // Another operator decides: the submitter (ada) could reject, but a different approver does here.
  await signInAs(page, "grace");
  await page.reload();
  await expect(gate.getByTestId("signing-as")).toContainText("grace");

  // A rejection needs a comment: the form says so next to the field.
  await gate.getByRole("button", { name: "Reject" }).click();
  await expect(gate.getByLabel("Comment")).toHaveAttribute("aria-invalid", "true");

  await gate.getByLabel("Comment").fill("Rotate by hand, not by a bot.");
  await gate.getByRole("button", { name: "Reject" }).click();

  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "rejected");
  await expect(gate.getByTestId("approval-decision")).toContainText("Rejected by grace");
  const effects = page.getByTestId("side-effects");
  await expect(effects.locator('[data-effect="ticket"]')).toContainText("not opened");
  await expect(effects.locator('[data-effect="pullRequest"]')).toContainText("not opened");
  await expect(effects.locator('[data-effect="auditRecord"]')).toContainText("audit-");
  expect(id).toMatch(/^cve-005-/);
});

test("the dashboard pages through runs with the API's cursor", async ({ page }) => {
  // More runs than one page holds (25), submitted straight to the console's API.
  const stamp = Date.now().toString(36);
  const submitted = await Promise.all(
    Array.from({ length: 27 }, async (_, n) => {
      const id = `e2e-page-${stamp}-${n}`;
      const response = await apiPost(page, "/api/findings", { id, source: "snyk", severity: "medium", description: "outdated lodash", repo: "web-storefront" });
      expect(response.status()).toBe(202);
      return id;
    }),
  );
  expect(submitted).toHaveLength(27);
  // The list reads the run index, which learns of a run one message after it starts: wait until the API
  // lists all 27, so the page opens on them rather than watching them arrive live (a live page grows).
  await expect
    .poll(
      async () => {
        const listed = (await (await page.request.get("/api/findings?severity=medium&limit=100")).json()) as { items: { id: string }[] };
        return submitted.filter((id) => listed.items.some((item) => item.id === id)).length;
      },
      { timeout: 60_000 },
    )
    .toBe(27);

  await page.goto("/?severity=medium");
  const rows = page.getByTestId("findings-table").locator("tbody tr[data-finding-id]");
  await expect(rows).toHaveCount(25);
  const firstPage = await rows.evaluateAll((found) => found.map((row) => row.getAttribute("data-finding-id")));
  await expect(page.getByText("Page 1")).toBeVisible();

  await page.getByRole("button", { name: "Older →" }).click();
  await expect(page.getByText("Page 2")).toBeVisible();
  await expect(rows.first()).not.toHaveAttribute("data-finding-id", firstPage[0] ?? "");
  const secondPage = await rows.evaluateAll((found) => found.map((row) => row.getAttribute("data-finding-id")));
  expect(secondPage.length).toBeGreaterThanOrEqual(2);
  expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);

  await page.getByRole("button", { name: "← Newer" }).click();
  await expect(page.getByText("Page 1")).toBeVisible();
  await expect(rows.first()).toHaveAttribute("data-finding-id", firstPage[0] ?? "");
});

test("the tab's icon loads before sign-in, so a browser asking for /favicon.ico gets no 404", async ({ playwright, baseURL }) => {
  const anonymous = await playwright.request.newContext({ baseURL });
  for (const [path, type] of [
    ["/favicon.ico", "image/x-icon"],
    ["/icon.svg", "image/svg+xml"],
  ] as const) {
    const response = await anonymous.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toContain(type);
  }
  await anonymous.dispose();
});
