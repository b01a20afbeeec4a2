// Tampering through Restate's admin API shows on the run page: an approver rewritten in the engine's
// state, without the services' signature, is flagged loudly instead of shown as the truth.
import { rewriteStateKey } from "../scripts/stack";
import { apiPost, expect, signInAs, test } from "./fixtures";

const rewriteState = (findingId: string, stateKey: string, value: unknown) =>
  rewriteStateKey(process.env.E2E_RESTATE_ADMIN ?? "", "RemediationWorkflow", findingId, stateKey, value);

test.use({ operator: "sam" });

test("an approval rewritten through the admin API is flagged on the run page; a genuine one is not", async ({ page }) => {
  const id = `trust-${Date.now().toString(36)}`;
  const submitted = await apiPost(page, "/api/findings", {
    id,
    source: "guardduty",
    severity: "high",
    description: "exposed credentials in CI logs",
    repo: "ci-infra",
  });
  expect(submitted.status()).toBe(202);
  await page.goto(`/findings/${id}`);
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");

  await signInAs(page, "ana");
  expect((await apiPost(page, `/api/findings/${id}/approval`, { approved: true, comment: "checked" })).status()).toBe(200);
  await page.reload();
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
  await expect(page.getByTestId("integrity-tampered")).toHaveCount(0);

  // Someone with the admin API puts another name on the approval.
  const detail = (await (await page.request.get(`/api/findings/${id}`)).json()) as { status: { approvals: unknown[] } };
  await rewriteState(
    id,
    "approvals",
    detail.status.approvals.map((approval) => ({ ...(approval as object), approver: "mallory" })),
  );
  await page.reload();
  const banner = page.getByTestId("integrity-tampered");
  await expect(banner).toBeVisible();
  await expect(banner).toContainText("Do not trust this run's sign-off record");
  await expect(banner).toContainText('Approval 1 ("approved" by mallory) is not signed by the services');
});
