// Live views: open pages learn of changes from the console's change stream instead of asking, and fall
// back to asking when the stream is cut.
import type { Page, Request } from "@playwright/test";
import { apiPost, expect, signInAs, submitPreset, test } from "./fixtures";

/** The routes a page polls when it has no stream: the lists, the run's status, journals. */
const POLLED = /^\/api\/(findings|approvals|invocations)(\/|$)/;

function polledBy(page: Page): string[] {
  const asked: string[] = [];
  page.on("request", (request: Request) => {
    const url = new URL(request.url());
    if (POLLED.test(url.pathname)) asked.push(`${request.method()} ${url.pathname}`);
  });
  return asked;
}

// How fast the stream delivers is the benchmark's to measure (npm run bench -- --only=live: p99 ≤ 1 s);
// these tests hold what a busy machine cannot change: the stream brings the change, and no page asks.
test("a second tab sees a sign-off given in the first from the stream, without asking for it", async ({ page, context, watch }, testInfo) => {
  const id = await submitPreset(page, "credentials");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  // The submitter (ada) may not approve her own finding: both tabs are an approver's.
  await signInAs(page, "ana");
  await page.reload();

  const second = await context.newPage();
  second.on("console", (message) => {
    if (message.type() === "error") watch.errors.push(`second tab: ${message.text()}`);
  });
  await second.goto(`/findings/${id}`);
  await expect(second.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  await expect(second.locator("[data-stream]").first()).toHaveAttribute("data-stream", "open");
  // The page's first reads are done: the journal timeline and the header's count (the header's links load
  // after the session answers, and their first read of the inbox can come after the stream opened).
  await expect(second.getByTestId("journal-timeline").first()).toBeVisible();
  await expect(second.getByTestId("nav-pending-count")).toBeVisible();
  const asked = polledBy(second);
  // A page without a stream would have asked within this time (it polls every 1.5 s while a run is live).
  await second.waitForTimeout(2_000);
  expect(asked, "an open stream means no polling").toEqual([]);

  const gate = page.getByTestId("approval-gate");
  await expect(gate.getByTestId("signing-as")).toContainText("ana");
  const decided = page.waitForResponse((response) => response.url().endsWith(`/api/findings/${id}/approval`) && response.request().method() === "POST");
  await gate.getByRole("button", { name: "Approve and execute" }).click();
  expect((await decided).status()).toBe(200);
  const signedOffAt = Date.now();

  const approver = second.getByTestId("approval-gate").getByTestId("approver");
  await expect(approver).toHaveText("ana");
  testInfo.annotations.push({ type: "sign-off seen in the second tab after", description: `${Date.now() - signedOffAt} ms` });
  expect(asked, "the second tab learned of it from the stream, asking nothing").toEqual([]);

  // The run carries on to the end in the second tab, still without asking.
  await expect(second.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
  expect(asked).toEqual([]);
  await second.close();
});

test("with the stream cut, a run page polls and still shows a sign-off", async ({ page, watch }, testInfo) => {
  const id = await submitPreset(page, "credentials");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  await signInAs(page, "ana");

  // Every attempt to open the stream fails, as behind a proxy that drops it.
  watch.allow(/api\/events|ERR_FAILED/);
  await page.route("**/api/events**", (route) => route.abort("failed"));
  await page.reload();
  await expect(page.locator("[data-stream]").first()).toHaveAttribute("data-stream", "down");
  await expect(page.getByText("· reconnecting").first()).toBeVisible();

  const asked = polledBy(page);
  const decided = await apiPost(page, `/api/findings/${id}/approval`, { approved: true, comment: "approved from a script" });
  expect(decided.status()).toBe(200);
  const signedOffAt = Date.now();
  await expect(page.getByTestId("approval-gate").getByTestId("approver")).toHaveText("ana");
  testInfo.annotations.push({ type: "sign-off seen by polling after", description: `${Date.now() - signedOffAt} ms` });
  expect(asked.some((request) => request === `GET /api/findings/${id}`)).toBe(true);
});
