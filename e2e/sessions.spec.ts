// Sessions end on the server: a session cookie copied before sign-out opens nothing afterwards, in a
// browser that never signed out itself. API tokens carry an expiry the operator can see, and a console
// configured with a token lifetime that makes no sense does not start.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { apiPost, expect, signInAs, test } from "./fixtures";
import { projectRoot } from "../scripts/stack";

test.use({ operator: null });

test("a session cookie copied before sign-out no longer opens the dashboard", async ({ page, browser, baseURL, watch }) => {
  await signInAs(page, "vic");
  await page.goto("/");
  await expect(page.getByTestId("signed-in-as")).toContainText("Vic Viewer");
  const copied = await page.context().cookies();
  expect(copied.map((cookie) => cookie.name)).toContain("rmc_session");

  // A refresh the dashboard had in flight when the session ended is answered 401; signing out still
  // goes to the bare sign-in page, not to one that would bring the operator back.
  watch.allow(/status of 401/);
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(/\/sign-in$/);

  // Someone else's browser, holding the copy.
  const other = await browser.newContext({ baseURL });
  const errors: string[] = [];
  try {
    await other.addCookies(copied);
    const thief = await other.newPage();
    thief.on("pageerror", (error) => errors.push(error.message));
    await thief.goto("/");
    await expect(thief).toHaveURL(/\/sign-in$/);
    await expect(thief.getByRole("button", { name: "Sign in" })).toBeVisible();
    // The page proxy also dropped the dead cookie from that browser.
    expect((await other.cookies()).map((cookie) => cookie.name)).not.toContain("rmc_session");

    // And the API refuses the copy outright, token creation included.
    const cookieHeader = copied.map((cookie) => `${cookie.name}=${cookie.value}`).join("; ");
    const csrf = decodeURIComponent(copied.find((cookie) => cookie.name === "rmc_csrf")?.value ?? "");
    const api = await other.request.get("/api/findings", { headers: { cookie: cookieHeader } });
    expect(api.status()).toBe(401);
    const minted = await other.request.post("/api/tokens", { data: { label: "stolen" }, headers: { cookie: cookieHeader, "x-csrf-token": csrf } });
    expect(minted.status()).toBe(401);
  } finally {
    await other.close();
  }
  expect(errors).toEqual([]);
});

test("a new API token gets the lifetime asked for, and the list shows when each expires", async ({ page, watch }) => {
  await signInAs(page, "grace");
  await page.goto("/tokens");
  await expect(page.getByLabel("Lifetime (days)")).toHaveAttribute("placeholder", "30");
  await page.getByLabel("What it is for").fill("nightly report");
  await page.getByLabel("Lifetime (days)").fill("7");
  await page.getByRole("button", { name: "Create token" }).click();
  await expect(page.getByTestId("new-token-value")).toHaveText(/^rmc_/);
  const row = page.getByTestId("token-list").locator("li", { hasText: "nightly report" });
  await expect(row.getByTestId("token-expiry")).toContainText("expires");

  const listed = (await (await page.request.get("/api/tokens")).json()) as { items: { label: string; createdAt: string; expiresAt: string }[] };
  const token = listed.items.find((item) => item.label === "nightly report")!;
  expect(Date.parse(token.expiresAt) - Date.parse(token.createdAt)).toBe(7 * 24 * 3600 * 1000);

  watch.allow(/422/);
  const tooLong = await apiPost(page, "/api/tokens", { label: "forever", ttlDays: 366 });
  expect(tooLong.status()).toBe(422);
  expect(((await tooLong.json()) as { error: { fields: Record<string, string> } }).error.fields).toEqual({ ttlDays: "must be at most 365 days" });
});

test("the console refuses to start with a token lifetime that is not a whole number of days", async () => {
  const child = spawn(
    join(projectRoot, "node_modules", "node", "bin", "node"),
    [join(projectRoot, "node_modules", ".bin", "next"), "start", "-H", "127.0.0.1", "-p", "0"],
    {
      cwd: projectRoot,
      env: {
        ...process.env,
        NODE_ENV: "production",
        API_TOKEN_TTL_DAYS: "a month",
        SESSION_SECRET: "s".repeat(32),
        APPROVAL_SIGNING_SECRET: "a".repeat(32),
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(null);
    }, 60_000);
    child.once("exit", (exitCode) => {
      clearTimeout(timer);
      resolve(exitCode);
    });
  });
  expect(code, output).toBe(1);
  expect(output).toContain("API_TOKEN_TTL_DAYS: must be a whole number of days");
});
