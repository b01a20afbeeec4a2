// The pages an approver opens from a link on a phone: they fit the screen (the "phone" project runs
// this at 390 px; the desktop project runs it too, where it must hold as well).
import { apiPost, expect, signInAs, test } from "./fixtures";
import { expectFitsTheScreen, expectNoSidewaysScroll, overlappingText, PHONE_SCREEN } from "./layout";

test.use({ operator: null });

test("the dashboard, the inbox, a run page with its sign-off form and the tokens page fit the screen", { tag: "@phone" }, async ({ page }) => {
  // Long names are what squeeze a narrow layout: a long id, repository and description.
  await signInAs(page, "sam");
  const id = `e2e-narrow-${Date.now().toString(36)}-payments-ledger`;
  const submitted = await apiPost(page, "/api/findings", {
    id,
    source: "guardduty",
    severity: "critical",
    description: "Long-lived cloud credentials printed in the CI logs of the payments ledger deploy pipeline",
    repo: "payments-ledger-production-service",
  });
  expect(submitted.status()).toBe(202);
  // Bad input sent straight to Restate: listed as refused, with the workflow's (long) reason.
  const refusedId = `${id}-refused`;
  // (A plain fetch: the browser context's cookies must not travel to the ingress, which journals headers.)
  const refused = await fetch(`${process.env.E2E_RESTATE_INGRESS}/RemediationWorkflow/${refusedId}/run`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ id: refusedId }),
  });
  expect(refused.status).toBe(400);
  await signInAs(page, "ana");

  await page.goto("/");
  await expect(page.locator(`[data-finding-id="${id}"]`)).toContainText("Awaiting sign-off");
  await expectFitsTheScreen(page, "the dashboard");
  // Refused submissions are listed under their own filter (they never reached the workflow's run index).
  await page.goto("/?stage=refused");
  const refusedRow = page.locator(`[data-finding-id="${refusedId}"]`);
  await expect(refusedRow).toContainText("Refused at submission");
  await expect(refusedRow.getByTestId("run-progress")).toContainText("repo is required");
  await expectFitsTheScreen(page, "the dashboard's refused submissions");

  await page.goto("/approvals");
  await expect(page.getByTestId("approvals-list").locator(`[data-finding-id="${id}"]`)).toContainText("Severity is critical");
  await expectFitsTheScreen(page, "the approvals inbox");

  await page.goto(`/findings/${id}`);
  const gate = page.getByTestId("approval-gate");
  await expect(gate.getByRole("button", { name: "Approve and execute" })).toBeVisible();
  await expect(page.getByTestId("attempt-ladder")).toContainText("fastExecutor");
  await expect(page.locator("#journal")).toContainText("Input");
  await expectFitsTheScreen(page, "the run page");

  await page.goto("/tokens");
  await page.getByLabel("What it is for").fill("phone scripts for the payments on-call rotation");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token-value")).toHaveText(/^rmc_/);
  await expectFitsTheScreen(page, "the tokens page");
});

test("the layout check sees text drawn over text and a page wider than the screen, and lets ellipsized text be", async ({ page }) => {
  await page.setViewportSize(PHONE_SCREEN);
  await page.setContent(`
    <div style="font: 14px sans-serif">
      <table style="table-layout: fixed; width: 200px"><tr>
        <td style="width: 50px; white-space: nowrap">13 min 20 s ago</td><td style="width: 50px; white-space: nowrap">2.72 s</td>
      </tr></table>
      <p style="width: 120px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap">a description far longer than its box</p>
      <p>beside</p>
    </div>`);
  expect(await overlappingText(page)).toEqual(['"13 min 20 s ago" × "2.72 s"']);
  await expectNoSidewaysScroll(page);

  await page.setContent(`<div style="width: 600px">too wide</div>`);
  await expect(expectNoSidewaysScroll(page)).rejects.toThrow(/scrolls sideways/);
});

test("the header fits a laptop screen with every link an admin has and a two-digit count waiting for sign-off", async ({ page }) => {
  await signInAs(page, "sam");
  const stamp = Date.now().toString(36);
  for (let i = 0; i < 10; i++) {
    const answer = await apiPost(page, "/api/findings", {
      id: `e2e-header-${stamp}-${i}`,
      source: "guardduty",
      severity: "critical",
      description: "Cloud credentials in CI logs",
      repo: "header-width-service",
    });
    expect(answer.status()).toBe(202);
  }
  await signInAs(page, "ada");
  for (const width of [1024, 1280]) {
    await page.setViewportSize({ width, height: 800 });
    await page.goto("/approvals");
    await expect(page.getByTestId("nav-pending-count")).toHaveText(/^\d{2,}$/, { timeout: 60_000 });
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Integrations" })).toBeAttached();
    await expectNoSidewaysScroll(page);
    expect(await overlappingText(page, "header")).toEqual([]);
  }
});
