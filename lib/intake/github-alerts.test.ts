import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FindingSchema } from "@/restate/contracts/schemas";
import { edit, sample, thrownBy } from "./fixtures/samples";
import { alertIntake, deliveryOf, DeliveryRefusal, signatureMatches, type AlertIntake } from "./github-alerts";

const SECRET = "webhook-secret-for-tests-0123456789";
const sign = (body: string, secret = SECRET) => `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
const NOW = Date.parse("2026-11-28T22:00:00Z");
const HOUR = 3600_000;
const read = (event: string, payload: unknown, maxAgeMs = 72 * HOUR) => alertIntake(event, payload, { now: NOW, maxAgeMs });
const findingOf = (intake: AlertIntake) => {
  if (intake.kind !== "finding") throw new Error(`expected a finding, got: ${intake.reason}`);
  return { ...intake, finding: FindingSchema.parse(intake.finding) };
};

const refusalOf = (run: () => unknown) => thrownBy(DeliveryRefusal, run);

describe("signatureMatches", () => {
  const body = JSON.stringify(sample("github-code-scanning-alert.json"));
  it("accepts the HMAC-SHA256 of the exact bytes under the secret, in either hex case", () => {
    expect(signatureMatches(SECRET, Buffer.from(body), sign(body))).toBe(true);
    expect(signatureMatches(SECRET, Buffer.from(body), sign(body).toUpperCase().replace("SHA256=", "sha256="))).toBe(true);
  });

  it.each([
    ["another secret", sign(body, "another-secret-0123456789abcdef")],
    ["a body changed after signing", sign(`${body} `)],
    ["no header", null],
    ["the SHA-1 header's form", `sha1=${createHmac("sha1", SECRET).update(body).digest("hex")}`],
    ["a truncated signature", sign(body).slice(0, 40)],
    ["garbage", "sha256=zz"],
  ])("refuses %s", (_, header) => {
    expect(signatureMatches(SECRET, Buffer.from(body), header)).toBe(false);
  });
});

describe("deliveryOf", () => {
  it("reads the event and the delivery id, and names a missing or malformed header", () => {
    const good = new Headers({ "x-github-event": "dependabot_alert", "x-github-delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    expect(deliveryOf(good)).toEqual({ event: "dependabot_alert", deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958" });
    const refused = refusalOf(() => deliveryOf(new Headers({ "x-github-delivery": "../../etc" })));
    expect(refused.problems).toEqual({ "x-github-event": "is required", "x-github-delivery": "is not a delivery id" });
  });
});

describe("alertIntake", () => {
  it("reads a code-scanning alert: id from repo, kind and number; severity from security_severity_level", () => {
    const { finding, title } = findingOf(read("code_scanning_alert", sample("github-code-scanning-alert.json")));
    expect(finding).toMatchObject({
      id: expect.stringMatching(/^gh-acme-web-storefront-code-42-[0-9a-f]{6}$/),
      source: "GitHub code scanning: CodeQL",
      severity: "high",
      repo: "acme/web-storefront",
    });
    expect(title).toBe("Database query built from user-controlled sources (js/sql-injection)");
    expect(finding.description).toContain("At src/db/orders.js:17.");
    expect(finding.description).toContain("https://github.com/acme/web-storefront/security/code-scanning/42");

    const bySarifLevel = sample("github-code-scanning-alert.json");
    edit(bySarifLevel, "alert.rule.security_severity_level", null);
    edit(bySarifLevel, "alert.rule.severity", "warning");
    expect(findingOf(read("code_scanning_alert", bySarifLevel)).finding.severity).toBe("medium");
  });

  it("reads a Dependabot alert (moderate is medium) and a secret-scanning alert (critical), never the secret itself", () => {
    const dependabot = findingOf(read("dependabot_alert", sample("github-dependabot-alert.json")));
    expect(dependabot.finding).toMatchObject({
      id: expect.stringMatching(/^gh-acme-web-storefront-dependabot-7-/),
      source: "GitHub Dependabot",
      severity: "high",
    });
    expect(dependabot.finding.description).toContain("lodash (npm) in package-lock.json, vulnerable < 4.17.21, fixed in 4.17.21.");
    const moderate = sample("github-dependabot-alert.json");
    edit(moderate, "alert.security_advisory.severity", "moderate");
    expect(findingOf(read("dependabot_alert", moderate)).finding.severity).toBe("medium");

    const leaked = sample("github-secret-scanning-alert.json");
    edit(leaked, "alert.secret", "AKIAIOSFODNN7EXAMPLE");
    const secret = findingOf(read("secret_scanning_alert", leaked));
    expect(secret.finding).toMatchObject({ source: "GitHub secret scanning", severity: "critical", id: expect.stringMatching(/-secret-3-[0-9a-f]{6}$/) });
    expect(secret.title).toBe("Amazon AWS Access Key ID exposed in the repository");
    expect(JSON.stringify(secret)).not.toContain("AKIAIOSFODNN7EXAMPLE");
  });

  it("gives the same alert the same id on every delivery, reopened included, and another repository's alert another id", () => {
    const first = findingOf(read("code_scanning_alert", sample("github-code-scanning-alert.json"))).finding.id;
    const reopened = sample("github-code-scanning-alert.json");
    edit(reopened, "action", "reopened");
    expect(findingOf(read("code_scanning_alert", reopened)).finding.id).toBe(first);
    // Names that read alike once '/' is a '-' are still two repositories.
    const lookalike = sample("github-code-scanning-alert.json");
    edit(lookalike, "repository.full_name", "acme-web/storefront");
    expect(findingOf(read("code_scanning_alert", lookalike)).finding.id).not.toBe(first);
  });

  it.each([
    ["ping", "ping", {}, /ping/],
    ["another event", "push", { ref: "refs/heads/main" }, /"push" event is not read here/],
    ["a fixed alert", "code_scanning_alert", { ...sample("github-code-scanning-alert.json"), action: "fixed" }, /action "fixed" starts nothing/],
    ["a dismissed alert", "dependabot_alert", { ...sample("github-dependabot-alert.json"), action: "dismissed" }, /action "dismissed"/],
    ["a resolved secret", "secret_scanning_alert", { ...sample("github-secret-scanning-alert.json"), action: "resolved" }, /action "resolved"/],
  ])("ignores %s, saying why", (_, event, payload, reason) => {
    const intake = read(event, payload);
    expect(intake.kind).toBe("ignored");
    expect(intake.kind === "ignored" && intake.reason).toMatch(reason);
  });

  it("refuses a stale event (older than the window by the alert's own time)", () => {
    const refused = refusalOf(() => read("code_scanning_alert", sample("github-code-scanning-alert.json"), HOUR / 2));
    expect(refused.reason).toBe("stale");
    expect(Object.keys(refused.problems)).toEqual(["$.alert.created_at"]);
    const reopened = sample("github-dependabot-alert.json");
    edit(reopened, "action", "reopened");
    edit(reopened, "alert.updated_at", "2026-11-20T00:00:00Z");
    expect(refusalOf(() => read("dependabot_alert", reopened)).problems).toEqual({
      "$.alert.updated_at": expect.stringMatching(/older than the replay window/),
    });
  });

  it.each([
    ["no alert number", "code_scanning_alert", "alert.number", undefined, "$.alert.number"],
    ["a huge alert number", "code_scanning_alert", "alert.number", 2 ** 40, "$.alert.number"],
    ["a repository name with shell characters", "dependabot_alert", "repository.full_name", "acme/web;rm -rf", "$.repository.full_name"],
    ["no advisory", "dependabot_alert", "alert.security_advisory", undefined, "$.alert.security_advisory"],
    ["a creation time that is not one", "secret_scanning_alert", "alert.created_at", "yesterday", "$.alert.created_at"],
    ["no action", "secret_scanning_alert", "action", undefined, "$.action"],
  ])("refuses a delivery with %s, naming the JSON path", (_, event, path, value, problem) => {
    const fixture = {
      code_scanning_alert: "github-code-scanning-alert.json",
      dependabot_alert: "github-dependabot-alert.json",
      secret_scanning_alert: "github-secret-scanning-alert.json",
    }[event]!;
    const payload = sample(fixture);
    edit(payload, path, value);
    const refused = refusalOf(() => read(event, payload));
    expect(refused.reason).toBe("malformed");
    expect(Object.keys(refused.problems)).toContain(problem);
  });

  it("refuses a payload that is not an object", () => {
    expect(refusalOf(() => read("dependabot_alert", [1, 2])).problems).toHaveProperty("$");
  });
});
