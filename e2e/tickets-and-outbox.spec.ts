// The embedded tracker and chat in the console: a finished run's ticket and message are listed, the
// run page links to each, and each links back to its run; on a phone too.
import { expect, fullPageShot, submitPreset, test } from "./fixtures";
import { expectFitsAPhone, expectFitsTheScreen } from "./layout";

test("a finished run's ticket and message are on the Tickets & outbox page, linked both ways", async ({ page }, testInfo) => {
  const id = await submitPreset(page, "harmless");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
  const effects = page.getByTestId("side-effects");
  const ticketLink = effects.locator('[data-effect="ticket"] a');
  await expect(ticketLink).toHaveText(/^LOCAL-\d+$/);
  const ticketId = (await ticketLink.textContent()) ?? "";
  const messageId = (await effects.locator('[data-effect="notification"] a').textContent()) ?? "";
  expect(messageId).toMatch(/^MSG-\d+$/);

  await ticketLink.click();
  await page.waitForURL(`**/tickets#ticket-${ticketId}`);
  const ticket = page.locator(`[data-ticket-id="${ticketId}"]`);
  await expect(ticket).toContainText(id);
  await expect(ticket).toContainText("open");
  const message = page.getByTestId("outbox").locator(`[data-message-id="${messageId}"]`);
  await expect(message).toContainText(ticketId);
  await expect(message).toContainText("#sec-remediation");
  await expectFitsTheScreen(page, "the tickets and outbox page");
  await expectFitsAPhone(page, "the tickets and outbox page");
  await fullPageShot(page, testInfo, "tickets-and-outbox.png");

  await message.getByRole("link", { name: id }).click();
  await expect(page.getByRole("heading", { level: 1, name: id })).toBeVisible();
});
