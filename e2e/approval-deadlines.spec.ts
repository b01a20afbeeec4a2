// The inbox by time left: gates with a deadline (e2e/deadline-policy.ts) come first, the overdue one on
// top and marked, each with a live countdown; the run page's gate shows the deadline and the escalation.
import { apiPost, expect, test } from "./fixtures";
import { DEADLINE_REPOS } from "./deadline-policy";
import { expectFitsTheScreen } from "./layout";

test("the inbox puts the overdue gate first, then the nearest deadline, with a live countdown, and fits a phone", { tag: "@phone" }, async ({ page }) => {
  const stamp = `e2e-deadline-${Date.now().toString(36)}`;
  const ids = { overdue: `${stamp}-overdue`, soon: `${stamp}-soon`, later: `${stamp}-later` };
  for (const which of ["later", "soon", "overdue"] as const) {
    const response = await apiPost(page, "/api/findings", {
      id: ids[which],
      source: "snyk",
      severity: "medium",
      description: "Session tokens written to the access log of the checkout service",
      repo: DEADLINE_REPOS[which],
    });
    expect(response.status()).toBe(202);
  }

  await page.goto("/approvals");
  const list = page.getByTestId("approvals-list");
  const row = (which: keyof typeof ids) => list.locator(`[data-finding-id="${ids[which]}"]`);
  // Escalated at its deadline (5 s after its gate opened): the inbox says so, in red.
  await expect(row("overdue").getByTestId("deadline-countdown")).toHaveText(/^overdue \d+s, escalated to security-leads, expires in 59m$/, {
    timeout: 120_000,
  });
  await expect(row("overdue").getByTestId("deadline-countdown")).toHaveAttribute("data-overdue", "true");
  await expect(row("overdue").locator("[data-overdue]").first()).toHaveAttribute("data-overdue", "true");
  await expect(row("soon").getByTestId("deadline-countdown")).toHaveText(/^(1h 59m|2h) left$/);
  await expect(row("soon").getByTestId("deadline-countdown")).toHaveAttribute("data-overdue", "false");
  await expect(row("later").getByTestId("deadline-countdown")).toHaveText(/^(2h 59m|3h) left$/);

  // Overdue first, then the nearest deadline; gates without a deadline come after all of them.
  const order = await list
    .locator("[data-finding-id]")
    .evaluateAll((items) =>
      items.map((item) => ({ id: item.getAttribute("data-finding-id"), hasDeadline: !!item.querySelector("[data-testid=deadline-countdown]") })),
    );
  expect(order.filter(({ id }) => id?.startsWith(stamp)).map(({ id }) => id)).toEqual([ids.overdue, ids.soon, ids.later]);
  const firstWithout = order.findIndex(({ hasDeadline }) => !hasDeadline);
  if (firstWithout >= 0) expect(order.slice(firstWithout).some(({ hasDeadline }) => hasDeadline)).toBe(false);

  // The countdown is live: the overdue time grows without a reload.
  const before = await row("overdue").getByTestId("deadline-countdown").textContent();
  await expect(row("overdue").getByTestId("deadline-countdown")).not.toHaveText(before ?? "");
  await expectFitsTheScreen(page, "the inbox with deadlines");

  await row("overdue").getByRole("link", { name: ids.overdue }).click();
  const deadline = page.getByTestId("gate-deadline");
  await expect(deadline.getByTestId("escalated")).toContainText("Escalated to security-leads");
  await expect(deadline.getByTestId("reminders-sent")).toContainText("1 reminder sent");
  await expect(deadline.getByTestId("deadline-countdown")).toHaveAttribute("data-overdue", "true");
  await expectFitsTheScreen(page, "the run page with its deadline");
});
