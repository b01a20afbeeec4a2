// Operators in the browser: sign-in is required, the approver is whoever is signed in, roles decide
// what the page offers (the API enforces them too), and signing out ends the session.
import { apiPost, expect, signInAs, test } from "./fixtures";
import { e2ePassword } from "./operators";

test.use({ operator: null });

/** A finding that waits at the gate, submitted through the console API as sam. */
async function gatedFindingBySam(page: import("@playwright/test").Page): Promise<string> {
  await signInAs(page, "sam");
  const id = `e2e-gate-${Date.now().toString(36)}`;
  const response = await apiPost(page, "/api/findings", {
    id,
    source: "guardduty",
    severity: "high",
    description: "exposed credentials in CI logs",
    repo: "ci-infra",
  });
  expect(response.status()).toBe(202);
  return id;
}

test("sign in, sign off, sign out", { tag: "@phone" }, async ({ page, watch }) => {
  const id = await gatedFindingBySam(page);
  await page.context().clearCookies();

  // Every page asks who you are first, and comes back to where you were going.
  await page.goto(`/findings/${id}`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Username").fill("ana");
  await page.getByLabel("Password").fill("not her password");
  watch.allow(/401/);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toContainText("Unknown username or wrong password.");
  await page.getByLabel("Password").fill(e2ePassword("ana"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**/findings/${id}`);
  await expect(page.getByTestId("signed-in-as")).toContainText("Ana Approver");

  const gate = page.getByTestId("approval-gate");
  await expect(gate).toContainText("Waiting for sign-off");
  await expect(gate.getByTestId("submitted-by")).toHaveText("sam");
  await expect(gate.getByTestId("signing-as")).toContainText("ana");
  await gate.getByLabel("Comment").fill("Checked the rotation myself");
  await gate.getByRole("button", { name: "Approve and execute" }).click();
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "completed");
  await expect(gate.getByTestId("approver")).toHaveText("ana");

  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL("**/sign-in");
  await page.goto("/");
  await expect(page).toHaveURL(/\/sign-in/);
  expect((await page.request.get("/api/findings")).status()).toBe(401);
});

test("a viewer sees runs but no sign-off form and no submit form, and the API refuses them too", async ({ page, watch }) => {
  const id = await gatedFindingBySam(page);
  await signInAs(page, "vic");
  await page.goto(`/findings/${id}`);
  const gate = page.getByTestId("approval-gate");
  await expect(gate).toContainText("Waiting for sign-off");
  await expect(gate.getByTestId("no-signoff-role")).toContainText("Your role (viewer) cannot sign off");
  await expect(gate.getByRole("button", { name: "Approve and execute" })).toHaveCount(0);
  await expect(gate.getByLabel("Comment")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Submit finding" })).toHaveCount(0);

  await page.goto("/submit");
  await expect(page.getByTestId("no-submit-role")).toBeVisible();

  watch.allow(/403/);
  const refused = await apiPost(page, `/api/findings/${id}/approval`, { approved: true });
  expect(refused.status()).toBe(403);
});

test("pages carry security headers and the session cookie is HttpOnly", async ({ page }) => {
  await signInAs(page, "vic");
  const response = await page.goto("/");
  const headers = response!.headers();
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["x-frame-options"]).toBe("DENY");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("same-origin");
  const session = (await page.context().cookies()).find((cookie) => cookie.name === "rmc_session");
  expect(session?.httpOnly).toBe(true);
  expect(session?.sameSite).toBe("Lax");
});

test("scripts run only with the page's nonce: a fresh one per response, and injected inline script does not run", async ({ page, watch }) => {
  await signInAs(page, "vic");
  const nonceOf = (policy: string | undefined) => /script-src [^;]*'nonce-([^']+)'/.exec(policy ?? "")?.[1];
  const first = await page.goto("/");
  const policy = first!.headers()["content-security-policy"];
  expect(policy).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic'(;|$)/);
  const nonce = nonceOf(policy);
  // The page works (its own scripts ran) and every script Next.js wrote carries this nonce.
  await expect(page.getByTestId("signed-in-as")).toBeVisible();
  const scriptTags = (await first!.text()).match(/<script\b[^>]*>/g) ?? [];
  expect(scriptTags.length).toBeGreaterThan(0);
  for (const tag of scriptTags) expect(tag).toContain(`nonce="${nonce}"`);
  expect(nonceOf((await page.goto("/approvals"))!.headers()["content-security-policy"])).not.toBe(nonce);

  watch.allow(/Content Security Policy/);
  // Markup that slipped into the page with an inline handler, as an XSS would bring it ('unsafe-inline' ran it).
  const ran = await page.evaluate(async () => {
    const holder = document.createElement("div");
    holder.innerHTML = '<img src="data:," onerror="window.__injected = true">';
    document.body.append(holder);
    await new Promise((resolve) => setTimeout(resolve, 300));
    return (window as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  const api = await page.request.get("/api/session");
  expect(api.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'");
});
