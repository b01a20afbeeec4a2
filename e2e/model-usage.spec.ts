// The run page with real models' work on it: a second product stack whose services use
// LLM_PROVIDER=openai-compatible against the scripted model server (restate/test/scripted-models.ts), with a
// price table, real git workspaces of the demo repositories and real test runs. The journeys' own stack
// runs the stub provider, which reports no usage and no diff; this spec pays for its own stack (engine,
// services, console on the same build) only while it runs.
import { rmSync } from "node:fs";
import { apiPost, expect, fullPageShot, test } from "./fixtures";
import { startJourneyStack, type JourneyStack } from "./journey-stack";
import { expectNoSidewaysScroll, PHONE_SCREEN } from "./layout";
import { e2ePassword } from "./operators";
import { findingScripts, realAgentsEnv } from "../restate/test/real-agents-stack";
import { fixingScript } from "../restate/test/scripted-findings";
import { startScriptedModelServer, type ScriptedModelServer } from "../restate/test/scripted-models";
import { demoRepoFix } from "../restate/workspace/demo-repos";

test.use({ operator: null });

const scripts = findingScripts();
let models: ScriptedModelServer;
let journey: JourneyStack;
let root: string;

test.beforeAll(async () => {
  // A second stack to start on a busy machine.
  test.setTimeout(180_000);
  models = await startScriptedModelServer((request) => scripts.route(request));
  // USD per million tokens; scripted-conservative (unused here) has no price.
  const prices = { "scripted-fast": { input: 2, output: 8 }, "scripted-judge": { input: 10, output: 30 } };
  const provider = realAgentsEnv("openai-compatible", models.url);
  root = provider.root;
  journey = await startJourneyStack({
    servicesEnv: { ...provider.env, LLM_PRICES: JSON.stringify(prices) },
    logsName: "e2e-models-stack-logs",
  });
});

test.afterAll(async () => {
  await journey?.teardown();
  await models?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test("the run page shows each rung's tokens and cost, the run's total, the plan's diff and test run, and the rung's tool calls", async ({ page }, testInfo) => {
  const consoleUrl = journey.stack.console.url;
  const signIn = await page.request.post(`${consoleUrl}/api/auth/login`, { data: { username: "ada", password: e2ePassword("ada") } });
  expect(signIn.status()).toBe(200);

  const finding = {
    id: `e2e-models-${Date.now().toString(36)}`,
    source: "snyk",
    severity: "low",
    description: "outdated lodash with prototype pollution",
    repo: "web-storefront",
  };
  scripts.script(finding.id, fixingScript(await demoRepoFix("web-storefront"), "Bump lodash to 4.17.21."));
  expect((await apiPost(page, `${consoleUrl}/api/findings`, finding)).status()).toBe(202);

  await page.goto(`${consoleUrl}/findings/${finding.id}`);
  const fast = page.getByTestId("attempt-ladder").locator('[data-agent="fastExecutor"]');
  await expect(fast).toHaveAttribute("data-state", "accepted", { timeout: 120_000 });

  // Four executor turns: 5,700 tokens in and 650 out at $2/$8 per million; the judge's one: 3,000 and 40 at $10/$30.
  await expect(fast.getByTestId("rung-usage")).toHaveText("5.7k tokens in · 650 out · 4 model calls · $0.0166");
  await expect(page.getByTestId("run-usage")).toHaveText("8.7k tokens in · 690 out · 5 model calls · $0.0478");
  await expect(page.getByTestId("verdict-usage")).toHaveText("3.0k tokens in · 40 out · 1 model call · $0.0312");

  const toolCalls = fast.getByTestId("rung-tool-calls");
  await expect(toolCalls.locator("summary")).toHaveText("4 tool calls");
  await toolCalls.locator("summary").click();
  await expect(toolCalls.getByTestId("tool-call")).toHaveCount(4);
  const testRun = toolCalls.locator('[data-tool="run_tests"]');
  await expect(testRun).toHaveAttribute("data-error", "false");
  await expect(testRun.locator("pre")).toContainText("$ node --test\nexit code 0");

  const plan = page.locator('[data-testid="plan"][data-agent="fastExecutor"]');
  await expect(plan.getByTestId("plan-tests")).toHaveAttribute("data-passed", "true");
  await expect(plan.getByTestId("plan-tests")).toContainText("$ node --test");
  const diff = plan.getByTestId("plan-diff");
  await expect(diff.getByRole("region", { name: "Changes to package.json" })).toBeVisible();
  await expect(diff.locator(".diff-code-delete")).toContainText(['"lodash": "4.17.15"']);
  await expect(diff.locator(".diff-code-insert")).toContainText(['"lodash": "4.17.21"']);
  await fullPageShot(page, testInfo, "run-page-with-models.png");

  // On a phone the page keeps its width: a wide diff scrolls inside its own box.
  await page.setViewportSize(PHONE_SCREEN);
  await expectNoSidewaysScroll(page);
  const box = await diff.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
  expect(box.client).toBeLessThan(PHONE_SCREEN.width);
  expect(box.scroll, "the lockfile's long lines scroll inside the diff's box").toBeGreaterThan(box.client);
  await plan.scrollIntoViewIfNeeded();
  await fullPageShot(page, testInfo, "run-page-with-models-phone.png");
});
