// The embedded code host in the browser: a run's pull request is a branch in the local repository, shown
// on the run page and in the Pull requests list.
import { expect, submitPreset, test } from "./fixtures";

test("a harmless finding's pull request lands on the embedded code host: the run page shows its branch and the list has it", async ({ page }) => {
  const id = await submitPreset(page, "harmless");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");

  const card = page.getByTestId("pull-request");
  await expect(card.getByTestId("pull-request-status")).toHaveText("open");
  await expect(card.getByTestId("pull-request-branch")).toContainText(/@ [0-9a-f]{12}/);
  const branch = ((await card.getByTestId("pull-request-branch").textContent()) ?? "").split(" @ ")[0]!;

  await card.getByRole("link", { name: /web-storefront#\d+/ }).click();
  await expect(page).toHaveURL(/\/pull-requests#pr-\d+$/);
  const listed = page.getByTestId("pull-requests-list").locator("li", { hasText: id });
  await expect(listed.getByTestId("pull-request-branch")).toContainText(branch);
  await listed.getByText("Description and provenance").click();
  await expect(listed.locator("pre")).toContainText("Restate-Invocation");
  await expect(listed.locator("pre")).toContainText("Approved-By");
});
