// The finding's free-text fields are read by people (console, tickets, PRs): text that hides or
// disguises itself is refused at the first boundary, the ingress and the console alike. A run's status
// shows every state key, written or not.
import { describe, expect, it } from "vitest";
import { FindingSchema, PlanSchema, RUN_STATE_KEYS, StatusSchema, runStatus } from "./schemas";

const valid = { id: "cve-1", source: "snyk", severity: "low", description: "outdated lodash", repo: "web-app" } as const;

function problemsWith(field: "source" | "description", text: string): string[] {
  const parsed = FindingSchema.safeParse({ ...valid, [field]: text });
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
}

describe("FindingSchema free text", () => {
  it.each([
    ["source", "snyk\u0000", "source: source must not contain control characters (found U+0000)"],
    ["description", "drop\u0000table", "description: description must not contain control characters (found U+0000)"],
    ["description", "bell\u0007", "description: description must not contain control characters (found U+0007)"],
    ["description", "escape \u001b[31mred", "description: description must not contain control characters (found U+001B)"],
    ["description", "C1 \u0085 next line", "description: description must not contain control characters (found U+0085)"],
    ["source", "two\nlines", "source: source must not contain control characters (found U+000A)"],
    ["source", "snyk\tscan", "source: source must not contain control characters (found U+0009)"],
    ["description", "approve \u202Eevil\u202C", "description: description must not contain bidirectional override or isolate characters (found U+202E)"],
    ["description", "\u202Aembedded", "description: description must not contain bidirectional override or isolate characters (found U+202A)"],
    ["source", "isolate \u2066x\u2069", "source: source must not contain bidirectional override or isolate characters (found U+2066)"],
    ["description", "\u2069", "description: description must not contain bidirectional override or isolate characters (found U+2069)"],
    ["description", "\u200B\u200C\u200D", "description: description must contain visible text, not only invisible or zero-width characters"],
    ["source", "\uFEFF\u2060\u00AD", "source: source must contain visible text, not only invisible or zero-width characters"],
    ["description", "\u200B \u3000 \u200E", "description: description must contain visible text, not only invisible or zero-width characters"],
  ] as const)("refuses %s %j", (field, text, message) => {
    expect(problemsWith(field, text)).toEqual([message]);
  });

  it.each([
    ["description", "line one\nline two\r\n\tindented"],
    ["description", "Ünïcödé, 日本語, emoji 🔐, Arabic مرحبا (right-to-left without overrides)"],
    ["description", "zero\u200Bwidth inside visible text"],
    ["source", "guardduty"],
  ] as const)("accepts %s %j", (field, text) => {
    expect(problemsWith(field, text)).toEqual([]);
  });

  it("still trims and bounds: empty after trimming is its own message", () => {
    expect(problemsWith("description", "   ")).toEqual(["description: description must not be empty"]);
  });
});

describe("runStatus", () => {
  it("shows a run that recorded only its finding with every other state key at its default", () => {
    const status = runStatus("cve-1", { finding: valid });
    expect(StatusSchema.parse(status)).toEqual(status);
    expect(status).toMatchObject({ findingId: "cve-1", finding: valid, stage: "received", attempts: [], approval: null, signoffAttempts: [] });
    for (const key of RUN_STATE_KEYS) expect(status, key).toHaveProperty(key);
  });

  it("takes the keys the run wrote; an unwritten (null) key reads as its default", () => {
    const status = runStatus("cve-1", { finding: valid, stage: "executing", failure: null, gateId: "g-1", attempts: null });
    expect(status).toMatchObject({ stage: "executing", failure: null, gateId: "g-1", attempts: [] });
  });
});

describe("PlanSchema's change", () => {
  const plan = {
    agent: "conservativeExecutor",
    promptVersion: "p1",
    summary: "Upgrade lodash.",
    steps: [{ repo: "web-app", description: "Upgrade lodash" }],
    rollback: ["Revert the pull request"],
    confidence: 0.9,
    ticket: { title: "t", body: "b" },
    pullRequest: { title: "t", branch: "remediation/cve-1", body: "b" },
  };
  const change = { baseRevision: "3f2a9c1", files: ["package.json"], diff: "--- a/package.json\n+++ b/package.json\n" };

  it("keeps plans recorded without a change valid, and carries one when the agent made it", () => {
    expect(PlanSchema.parse(plan).change).toBeUndefined();
    expect(PlanSchema.parse({ ...plan, change }).change).toEqual(change);
  });

  it("refuses a change that does not say which revision it applies to", () => {
    expect(PlanSchema.safeParse({ ...plan, change: { ...change, baseRevision: "" } }).success).toBe(false);
  });
});
