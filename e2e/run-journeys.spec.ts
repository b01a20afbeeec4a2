// Operator journeys through the console against the real stack: submit, watch, recalibrate, sign off.
import { expect, fullPageShot, rung, signInAs, submitPreset, test } from "./fixtures";

test("a harmless finding submitted from the form runs to completion without a human", async ({ page }, testInfo) => {
  const id = await submitPreset(page, "harmless");

  await expect(page.getByRole("heading", { level: 1, name: id })).toBeVisible();
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
  await expect(rung(page, "fastExecutor")).toHaveAttribute("data-state", "accepted");
  await expect(rung(page, "conservativeExecutor")).toHaveAttribute("data-state", "not-reached");
  await expect(rung(page, "conservativeExecutor")).toContainText("Not reached");
  await expect(page.getByTestId("approval-gate")).toContainText("Auto-cleared");
  const effects = page.getByTestId("side-effects");
  for (const effect of ["ticket", "pullRequest", "notification", "evalExport", "auditRecord"]) {
    await expect(effects.locator(`[data-effect="${effect}"]`)).not.toContainText("pending");
  }
  await expect(effects.locator('[data-effect="pullRequest"]')).toContainText("web-storefront#");
  await expect(page.getByTestId("identity-card")).toContainText(/inv_[0-9A-Za-z]+/);
  await expect(page.getByTestId("identity-card")).toContainText(/prompts-[0-9a-f]{12}/);
  // Finished: the page stops saying it is live, and stops asking.
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "false");
  const reads: string[] = [];
  page.on("request", (request) => {
    if (request.url().includes(`/api/findings/${id}`) || request.url().includes("/journal")) reads.push(request.url());
  });
  await page.waitForTimeout(4_000);
  expect(reads, "a finished run is not polled").toEqual([]);

  await fullPageShot(page, testInfo, "run-page-completed.png");

  // The dashboard lists the run with its stage.
  await page.getByRole("link", { name: "Dashboard" }).click();
  const row = page.locator(`[data-finding-id="${id}"]`);
  await expect(row).toBeVisible();
  await expect(row.locator("[data-stage]")).toHaveAttribute("data-stage", "completed");
  await fullPageShot(page, testInfo, "dashboard.png");
});

test("the prod-db finding: the judge rejects the fast agent's destructive plan and the conservative agent's plan is accepted", async ({ page }, testInfo) => {
  const id = await submitPreset(page, "rogue");

  const fast = rung(page, "fastExecutor");
  await expect(fast).toHaveAttribute("data-state", "rejected");
  await expect(fast).toContainText("Rejected by judge");
  await expect(fast).toContainText("Plan contains destructive operations.");
  await expect(rung(page, "conservativeExecutor")).toHaveAttribute("data-state", "accepted");

  // Both plans side by side, each with its verdict; the failed check shows its evidence.
  const fastPlan = page.getByTestId("plan").and(page.locator('[data-agent="fastExecutor"]'));
  const conservativePlan = page.getByTestId("plan").and(page.locator('[data-agent="conservativeExecutor"]'));
  await expect(fastPlan.getByTestId("verdict")).toHaveAttribute("data-approved", "false");
  await expect(fastPlan.getByTestId("verdict-reason")).toHaveText("Plan contains destructive operations.");
  await expect(fastPlan.locator('[data-check="no-destructive-operations"]')).toHaveAttribute("data-passed", "false");
  await expect(fastPlan).toContainText("DROP TABLE");
  await expect(conservativePlan.getByTestId("verdict")).toHaveAttribute("data-approved", "true");
  await expect(conservativePlan.locator('[data-change="added"]').first()).toBeVisible();
  await expect(conservativePlan.locator('[data-change="dropped"]')).toContainText("Drop the affected table");

  // A production repository: the accepted plan waits at the policy gate.
  await expect(page.getByTestId("approval-gate")).toContainText("Waiting for sign-off");
  await expect(page.getByTestId("signoff-reasons")).toContainText("Repository prod-db matches");

  await fullPageShot(page, testInfo, "run-page-recalibrated.png");
  expect(id).toMatch(/^cve-006-/);
});

test(
  "a high-severity finding waits in the inbox, is signed off in the browser and completes with the approver shown",
  { tag: "@phone" },
  async ({ page }, testInfo) => {
    const id = await submitPreset(page, "credentials");
    await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");

    // The dashboard counts it and links to the inbox.
    await page.getByRole("link", { name: "Dashboard" }).click();
    await expect(page.getByTestId("waiting-for-signoff")).toContainText("for sign-off");
    await page.getByTestId("waiting-for-signoff").click();
    await expect(page).toHaveURL(/\/approvals$/);

    const item = page.getByTestId("approvals-list").locator(`[data-finding-id="${id}"]`);
    await expect(item).toContainText("exposed credentials in CI logs");
    await expect(item).toContainText("Severity is high");
    await expect(item).toContainText(/waiting \d/);
    await expect(page.getByTestId("nav-pending-count")).toBeVisible();
    await fullPageShot(page, testInfo, "approvals-inbox.png");
    await item.getByRole("link", { name: "Review and sign off" }).click();
    await page.waitForURL(`**/findings/${id}#approval`);

    // The submitter (ada) may not approve her own finding: an approver signs off.
    const gate = page.getByTestId("approval-gate");
    await expect(gate.getByTestId("submitted-by")).toHaveText("ada");
    await signInAs(page, "ana");
    await page.reload();
    await expect(gate.getByTestId("signing-as")).toContainText("ana");
    await gate.getByLabel("Comment").fill("Rotation verified in the vault, LGTM");
    await gate.getByRole("button", { name: "Approve and execute" }).click();

    await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
    await expect(gate.getByTestId("approver")).toHaveText("ana");
    await expect(gate.getByTestId("approval-decision")).toContainText("Rotation verified in the vault, LGTM");
    await expect(page.getByTestId("side-effects").locator('[data-effect="ticket"]')).toContainText("LOCAL-");

    await fullPageShot(page, testInfo, "run-page-signed-off.png");

    // Gone from the inbox.
    await page.getByRole("link", { name: /^Approvals/ }).click();
    await expect(page.locator(`[data-finding-id="${id}"]`)).toHaveCount(0);
  },
);

test("an approver cancels a run waiting at the gate with a reason; the run shows who and why", { tag: "@phone" }, async ({ page }) => {
  await submitPreset(page, "credentials");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  await signInAs(page, "ana");
  await page.reload();

  const cancel = page.getByTestId("cancel-run");
  await cancel.locator("summary").click();
  await cancel.getByRole("button", { name: "Cancel run" }).click();
  await expect(cancel.getByText("reason must not be empty")).toBeVisible();
  await cancel.getByLabel("Reason").fill("Duplicate of INC-42, handled by hand");
  await cancel.getByRole("button", { name: "Cancel run" }).click();

  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "failed");
  await expect(page.getByTestId("run-cancelled")).toContainText("Cancelled by ana");
  await expect(page.getByTestId("run-cancelled")).toContainText("Duplicate of INC-42, handled by hand");
  await expect(page.getByTestId("cancel-run")).toHaveCount(0);
});

test("a runaway agent is timed out and cancelled; the journal timeline expands the sub-agent call inline", async ({ page }, testInfo) => {
  await submitPreset(page, "runaway");

  const fast = rung(page, "fastExecutor");
  // While the fast agent explores, the page is live and says which rung is working.
  await expect(fast).toHaveAttribute("data-state", "running");
  await expect(page.locator("[data-live]").first()).toHaveAttribute("data-live", "true");
  await fullPageShot(page, testInfo, "run-page-live.png");
  await expect(fast).toHaveAttribute("data-state", "timed-out", { timeout: 30_000 });
  await expect(fast).toContainText("Timed out · cancelled");
  await expect(rung(page, "conservativeExecutor")).toHaveAttribute("data-state", "accepted");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");

  const journal = page.locator("#journal");
  await journal.scrollIntoViewIfNeeded();
  const timeline = journal.getByTestId("journal-timeline").first();
  await expect(timeline.locator('[data-kind="run"]').filter({ hasText: "record workload identity" })).toBeVisible();
  // Two sub-agent calls, and the read of the run's sign-off attempts for the audit record.
  await expect(timeline.locator('[data-kind="call"]').filter({ hasText: "subAgents/" })).toHaveCount(2);
  await expect(timeline.locator('[data-kind="call"]').filter({ hasText: "SignoffAttempts/" })).toHaveCount(1);
  // Bookkeeping (state writes, clock reads) stays out of the way until asked for.
  await expect(timeline.locator('[data-kind="state"]')).toHaveCount(0);
  await timeline
    .getByLabel(/state writes and clock reads/)
    .first()
    .check();
  await expect(timeline.locator('[data-kind="state"]').first()).toBeVisible();
  await timeline
    .getByLabel(/state writes and clock reads/)
    .first()
    .uncheck();
  await expect(timeline.locator('[data-kind="sleep"]').first()).toBeVisible();

  // Expand the first sub-agent call inline: its own journal, with its agent turns.
  const call = timeline.locator('[data-kind="call"]').first();
  await call.getByRole("button", { name: /Show sub-agent journal of/ }).click();
  const child = call.getByTestId("child-journal").getByTestId("journal-timeline");
  await expect(child).toHaveAttribute("data-depth", "1");
  await expect(child).toContainText("agent turn 1");
  await expect(child).toContainText("discard scratch workspace");

  // An entry's payload on demand.
  const identityStep = timeline.locator('[data-kind="run"]').filter({ hasText: "record workload identity" });
  await identityStep.getByRole("button", { name: /Show details of entry/ }).click();
  await expect(identityStep.getByTestId("entry-payload")).toBeVisible();
  // ...with the step's result: the identity it recorded.
  await expect(identityStep.getByTestId("entry-result")).toContainText(/prompts-[0-9a-f]{12}/);

  await journal.screenshot({ path: testInfo.outputPath("journal-timeline.png") });
  await testInfo.attach("journal-timeline.png", { path: testInfo.outputPath("journal-timeline.png"), contentType: "image/png" });
  await fullPageShot(page, testInfo, "run-page-runaway.png");

  // The ladder's journal link opens that sub-agent's journal in the timeline.
  await fast.getByRole("link", { name: "Open journal of fastExecutor" }).click();
  await expect(page).toHaveURL(/journal=inv_/);
  await expect(journal.getByTestId("journal-timeline").first()).toContainText("subAgents");
});

test("a finding no rung can fix exhausts the ladder and escalates to manual handling", async ({ page }) => {
  await submitPreset(page, "exhausted");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "failed");
  await expect(rung(page, "fastExecutor")).toHaveAttribute("data-state", "rejected");
  await expect(rung(page, "conservativeExecutor")).toHaveAttribute("data-state", "rejected");
  await expect(page.getByText("Escalated to manual handling.")).toBeVisible();
  await expect(page.getByTestId("approval-gate")).toContainText("Never reached");
});
