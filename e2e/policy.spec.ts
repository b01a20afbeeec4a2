// The sign-off policy in the browser: the run page's gate names the rule that decided it, and the
// Policy page shows the effective policy and what an edited one would decide, for a finding and over
// the latest runs (with links to them); an invalid policy is answered with its line and column. It fits a phone.
import { expect, fullPageShot, submitPreset, test } from "./fixtures";
import { expectFitsAPhone, expectFitsTheScreen } from "./layout";

const CANDIDATE = `version: 1
rules:
  - name: security-looks
    description: every plan goes to security
    approvals: 1
    from: [security]
`;

test("the gate shows its rule, and the Policy page lists the runs an edited policy would decide differently", async ({ page, watch }, testInfo) => {
  const id = await submitPreset(page, "credentials");
  await expect(page.locator("h1 + [data-stage]")).toHaveAttribute("data-stage", "awaiting-approval");
  const rule = page.getByTestId("gate-rule");
  await expect(rule.getByTestId("gate-rule-name")).toHaveText("high-severity");
  await expect(rule.getByTestId("gate-rule-because")).toContainText("Severity is high");
  await expect(rule.getByTestId("gate-rule-approvals")).toHaveText("1 approver");
  await expect(rule.getByTestId("gate-rule-groups")).toHaveText("any approver");

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Sign-off policy" })).toBeVisible();
  await expect(page.getByTestId("effective-policy-text")).toContainText("name: critical-severity");
  const policyText = page.getByLabel("Policy (YAML or JSON)");
  await expect(policyText).toHaveValue(/name: critical-severity/);

  // The effective policy decided every run: nothing would change.
  await page.getByRole("button", { name: "Evaluate" }).click();
  const result = page.getByTestId("what-if-result");
  await expect(result.getByTestId("what-if-finding")).toContainText("high-severity");
  await expect(result.getByTestId("what-if-difference-count")).toHaveText("0");

  await policyText.fill(CANDIDATE);
  await page.getByLabel("Repository").fill("payments-api");
  await page.getByRole("button", { name: "Evaluate" }).click();
  await expect(result.getByTestId("what-if-finding")).toContainText("security-looks");
  await expect(result.getByTestId("what-if-finding")).toContainText("security");
  const difference = result.getByTestId("what-if-difference").filter({ hasText: id });
  await expect(difference).toContainText("from security instead of any approver");
  await expect(difference).toContainText("rule security-looks instead of high-severity");
  await expectFitsTheScreen(page, "the policy page");
  await expectFitsAPhone(page, "the policy page");
  await fullPageShot(page, testInfo, "policy.png");

  watch.allow(/422/);
  await policyText.fill("version: 1\nrules:\n  - name: a\n    when: { severity: [urgent] }\n    approvals: 1\n");
  await page.getByRole("button", { name: "Evaluate" }).click();
  await expect(page.getByTestId("what-if-error")).toContainText("4:24: rules[0].when.severity[0]");
  await expectFitsTheScreen(page, "the policy page with an error");

  await policyText.fill(CANDIDATE);
  await page.getByRole("button", { name: "Evaluate" }).click();
  await difference.getByRole("link", { name: id }).click();
  await page.waitForURL(`**/findings/${id}`);
  await expect(page.getByTestId("gate-rule-name")).toHaveText("high-severity");
});

test.describe("as a viewer", () => {
  test.use({ operator: "vic" });
  test("the Policy link is not offered", async ({ page }) => {
    await page.goto("/");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Calibration" })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Policy" })).toHaveCount(0);
  });
});
