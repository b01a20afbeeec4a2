// POST /api/intake/github against a real restate-server and the real services: signed alert deliveries
// start runs once; forged, replayed, stale, malformed and oversized ones start nothing and are logged.
import { createHmac, randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { ApiErrorSchema, GithubIgnoredSchema, IntakeResponseSchema, type IntakeResponse } from "@/lib/api/contracts";
import { edit, sample, type JsonDocument } from "@/lib/intake/fixtures/samples";
import { alertIntake } from "@/lib/intake/github-alerts";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import type { WebhookDeliveries } from "@/restate";

const SECRET = `gh-webhook-${randomUUID()}`;
// The secret comes from a file, as in production.
const secretDir = mkdtempSync(join(tmpdir(), "github-webhook-"));
writeFileSync(join(secretDir, "secret"), `${SECRET}\n`);
process.env.GITHUB_WEBHOOK_SECRET_FILE = join(secretDir, "secret");

const ctx = consoleStackPerFile();
const routes = routeModule(() => import("./route"));

const FIXTURES = {
  code_scanning_alert: "github-code-scanning-alert.json",
  dependabot_alert: "github-dependabot-alert.json",
  secret_scanning_alert: "github-secret-scanning-alert.json",
} as const;
type AlertEvent = keyof typeof FIXTURES;

let alerts = 0;
/** A sample alert, just created, in a repository of its own (so earlier tests' runs do not count). */
function alert(event: AlertEvent): JsonDocument {
  const payload = sample(FIXTURES[event]);
  alerts += 1;
  edit(payload, "repository.full_name", `acme/gh-${Date.now().toString(36)}-${alerts}`);
  const now = new Date().toISOString();
  edit(payload, "alert.created_at", now);
  edit(payload, "alert.updated_at", now);
  return payload;
}
const findingIdOf = (event: AlertEvent, payload: JsonDocument) => {
  const intake = alertIntake(event, payload, { now: Date.now(), maxAgeMs: 3600_000 });
  if (intake.kind !== "finding") throw new Error("not a finding");
  return intake.finding.id;
};

const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

function deliver(event: string, payload: unknown, options: { delivery?: string; signature?: string | null; headers?: Record<string, string> } = {}) {
  const body = typeof payload === "string" ? payload : JSON.stringify(payload);
  const headers: Record<string, string> = {
    "user-agent": "GitHub-Hookshot/5f1c2a9",
    "x-github-event": event,
    "x-github-delivery": options.delivery ?? randomUUID(),
    "x-github-hook-id": "471233",
    ...options.headers,
  };
  const signature = options.signature === undefined ? sign(body) : options.signature;
  if (signature !== null) headers["x-hub-signature-256"] = signature;
  return callRoute<IntakeResponse>(routes.POST, "/api/intake/github", { method: "POST", body, as: null, headers });
}

async function runsOf(findingId: string): Promise<number> {
  const rows = await ctx.stack.sql<{ id: string }>(
    `SELECT id FROM sys_invocation WHERE target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run' AND target_service_key = '${findingId}'`,
  );
  return rows.length;
}

/** Everything the console logged during a test, to check what was (not) written. */
let logged: string[] = [];
beforeEach(() => {
  logged = [];
  for (const level of ["log", "info", "warn", "error"] as const) {
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map((arg) => (arg instanceof Error ? `${arg.message} ${arg.stack}` : typeof arg === "string" ? arg : JSON.stringify(arg))).join(" "));
    });
  }
});
afterEach(() => {
  vi.restoreAllMocks();
  expect(logged.join("\n")).not.toContain(SECRET);
});

describe("POST /api/intake/github", () => {
  it.each(["code_scanning_alert", "dependabot_alert", "secret_scanning_alert"] as const)(
    "starts a run for a signed %s delivery, submitted by github-webhook and signed",
    async (event) => {
      const payload = alert(event);
      const answer = await deliver(event, payload);
      expect(answer.status).toBe(202);
      const intake = IntakeResponseSchema.parse(answer.body);
      expect(intake.submittedBy).toBe("github-webhook");
      expect(intake.started.map((run) => run.findingId)).toEqual([findingIdOf(event, payload)]);
      const status = await ctx.stack.waitFor(findingIdOf(event, payload), (current) => current.submittedBy !== null);
      expect(status.submittedBy).toBe("github-webhook");
      expect(status.submittedByAttestation).toEqual(expect.any(String));
      expect(status.finding?.repo).toBe((payload.repository as { full_name: string }).full_name);
      expect(status.finding?.severity).toBe({ code_scanning_alert: "high", dependabot_alert: "high", secret_scanning_alert: "critical" }[event]);
    },
  );

  it("refuses a replayed delivery (409, logged) and starts nothing new; the same alert in a new delivery is known", async () => {
    const payload = alert("dependabot_alert");
    const delivery = randomUUID();
    const first = await deliver("dependabot_alert", payload, { delivery });
    expect(first.status).toBe(202);
    const replayed = await deliver("dependabot_alert", payload, { delivery });
    expect(replayed.status).toBe(409);
    expect(ApiErrorSchema.parse(replayed.body).error.message).toMatch(/received before/);
    expect(logged.join("\n")).toContain(`refused (409) delivery ${delivery}`);

    const redelivered = await deliver("dependabot_alert", payload);
    expect(redelivered.status).toBe(200);
    expect(redelivered.body.started).toEqual([]);
    expect(redelivered.body.known.map((run) => run.invocationId)).toEqual(first.body.started.map((run) => run.invocationId));
    expect(await runsOf(findingIdOf("dependabot_alert", payload))).toBe(1);
  });

  it.each([
    ["another secret", sign("{}", "not-the-webhook-secret-0123456789")],
    ["no signature", null],
    ["a signature of another body", "other-body"],
    ["a SHA-1 signature", "sha1"],
  ])("refuses a delivery with %s (401, logged) and starts nothing", async (_, signature) => {
    const payload = alert("code_scanning_alert");
    const body = JSON.stringify(payload);
    const header =
      signature === "other-body"
        ? sign(body.replace("js/sql-injection", "js/harmless"))
        : signature === "sha1"
          ? `sha1=${createHmac("sha1", SECRET).update(body).digest("hex")}`
          : signature;
    const delivery = randomUUID();
    const forged = await deliver("code_scanning_alert", body, { signature: header, delivery });
    expect(forged.status).toBe(401);
    expect(ApiErrorSchema.parse(forged.body).error.message).toMatch(/X-Hub-Signature-256/);
    expect(logged.join("\n")).toMatch(new RegExp(`refused \\(401\\).*delivery ${delivery}`));
    expect(await runsOf(findingIdOf("code_scanning_alert", payload))).toBe(0);
    // The forger's delivery id was not taken: the real delivery under it still counts.
    expect((await deliver("code_scanning_alert", body, { delivery })).status).toBe(202);
  });

  it("refuses a stale delivery (400, logged) and starts nothing", async () => {
    const payload = alert("secret_scanning_alert");
    const old = new Date(Date.now() - 80 * 3600_000).toISOString();
    edit(payload, "alert.created_at", old);
    edit(payload, "alert.updated_at", old);
    const stale = await deliver("secret_scanning_alert", payload);
    expect(stale.status).toBe(400);
    expect(ApiErrorSchema.parse(stale.body).error.message).toMatch(/^Stale secret_scanning_alert delivery/);
    expect(logged.join("\n")).toMatch(/refused \(400\).*Stale/);
    expect(
      await runsOf(
        findingIdOf("secret_scanning_alert", { ...payload, alert: { ...(payload.alert as object), created_at: new Date().toISOString(), updated_at: null } }),
      ),
    ).toBe(0);
  });

  it.each([
    ["a body that is not JSON", "code_scanning_alert", "{not json", {}, "$"],
    ["an alert without a number", "code_scanning_alert", "no-number", {}, "$.alert.number"],
    ["no event header", "", "fixture", {}, "x-github-event"],
    ["a delivery id that is not one", "code_scanning_alert", "fixture", { "x-github-delivery": "a b" }, "x-github-delivery"],
  ])("refuses %s (400, naming where) and starts nothing", async (_, event, body, headers, where) => {
    const payload = alert("code_scanning_alert");
    if (body === "no-number") edit(payload, "alert.number", undefined);
    const refused = await deliver(event, body === "fixture" || body === "no-number" ? payload : body, { headers });
    expect(refused.status).toBe(400);
    expect(Object.keys(ApiErrorSchema.parse(refused.body).error.fields ?? {})).toContain(where);
    edit(payload, "alert.number", 42);
    expect(await runsOf(findingIdOf("code_scanning_alert", payload))).toBe(0);
  });

  it("refuses a delivery over 1 MiB (413) before reading it", async () => {
    const payload = alert("dependabot_alert");
    edit(payload, "alert.security_advisory.description", "x".repeat(1024 * 1024));
    const oversized = await deliver("dependabot_alert", payload);
    expect(oversized.status).toBe(413);
    expect(await runsOf(findingIdOf("dependabot_alert", payload))).toBe(0);
  });

  it("answers a ping, and ignores other events and actions with 202 and the reason", async () => {
    const ping = await deliver("ping", { zen: "Keep it logically awesome.", hook_id: 471233 });
    expect(ping.status).toBe(202);
    expect(GithubIgnoredSchema.parse(ping.body).ignored).toMatch(/^ping/);

    const push = await deliver("push", { ref: "refs/heads/main" });
    expect(push.status).toBe(202);
    expect(GithubIgnoredSchema.parse(push.body).ignored).toMatch(/"push" event is not read here/);

    const fixed = alert("code_scanning_alert");
    edit(fixed, "action", "fixed");
    const answer = await deliver("code_scanning_alert", fixed);
    expect(answer.status).toBe(202);
    expect(GithubIgnoredSchema.parse(answer.body).ignored).toMatch(/action "fixed" starts nothing/);
    expect(await runsOf(findingIdOf("code_scanning_alert", { ...fixed, action: "created" }))).toBe(0);
  });

  it("is off (404) without a secret, whatever is sent", async () => {
    const { resetServerEnvForTests } = await import("@/lib/server/env");
    delete process.env.GITHUB_WEBHOOK_SECRET_FILE;
    resetServerEnvForTests();
    try {
      const off = await deliver("code_scanning_alert", alert("code_scanning_alert"));
      expect(off.status).toBe(404);
      expect(ApiErrorSchema.parse(off.body).error.message).toMatch(/GITHUB_WEBHOOK_SECRET/);
    } finally {
      process.env.GITHUB_WEBHOOK_SECRET_FILE = join(secretDir, "secret");
      resetServerEnvForTests();
    }
  });
});

describe("WebhookDeliveries", () => {
  it("takes a delivery once, and again after it was released (its handling failed)", async () => {
    const deliveries = ctx.stack.ingress.objectClient<WebhookDeliveries>({ name: "WebhookDeliveries" }, `github-${randomUUID()}`);
    expect(await deliveries.claim({ rememberForMs: 3600_000 })).toBe(true);
    expect(await deliveries.claim({ rememberForMs: 3600_000 })).toBe(false);
    await deliveries.release();
    expect(await deliveries.claim({ rememberForMs: 3600_000 })).toBe(true);
  });
});
