// GET /api/policy and POST /api/policy/what-if against a real restate-server and the real services (built-in policy).
import { beforeAll, describe, expect, it } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { EffectivePolicySchema, PolicyProblemSchema, WhatIfResultSchema } from "@/lib/policy-what-if";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
const whatIf = routeModule(() => import("./route"));
const policy = routeModule(() => import("../route"));

const ask = (body: unknown, as = "ana") => callRoute(whatIf.POST, "/api/policy/what-if", { method: "POST", body, as });

const low = finding({ description: "outdated lodash in the storefront" });
const high = finding({ severity: "high", description: "outdated lodash on a high-severity service" });
const critical = finding({ severity: "critical", description: "exposed credentials in CI logs", repo: "ci-infra" });

const CANDIDATE = `version: 1
rules:
  - name: security-looks
    when: { severity: [high, critical] }
    approvals: 1
    from: [security]
  - name: everyone-else
    approvals: 1
`;

beforeAll(async () => {
  await Promise.all([low, high, critical].map((run) => ctx.stack.submitAs("sam", run)));
  await Promise.all([low, high, critical].map((run) => ctx.stack.waitFor(run.id, (status) => status.signoff !== null)));
});

describe("GET /api/policy", () => {
  it("shows approvers the policy the services run with, and refuses a viewer", async () => {
    const shown = EffectivePolicySchema.parse((await callRoute(policy.GET, "/api/policy", { as: "ana" })).body);
    expect(shown).toMatchObject({ source: "built-in", version: "default", rules: 5 });
    expect(shown.text).toContain("name: critical-severity");
    expect((await callRoute(policy.GET, "/api/policy", { as: "vic" })).status).toBe(403);
  });
});

describe("POST /api/policy/what-if", () => {
  it("finds no difference when the effective policy is asked about the runs it decided", async () => {
    const answer = await ask({});
    expect(answer.status).toBe(200);
    const result = WhatIfResultSchema.parse(answer.body);
    expect(result.policy).toMatchObject({ source: "built-in", version: "default" });
    expect(result.runs).toMatchObject({ considered: 3, compared: 3, differences: [] });
  });

  it("lists the runs a candidate policy would have decided differently, and how", async () => {
    const result = WhatIfResultSchema.parse((await ask({ policy: CANDIDATE, runs: 500 })).body);
    expect(result.policy).toMatchObject({ source: "candidate", rules: 2 });
    const byId = new Map(result.runs.differences.map((difference) => [difference.findingId, difference]));
    expect(byId.get(low.id)?.changes).toEqual(["human sign-off (1 approver) instead of auto-clear"]);
    expect(byId.get(high.id)?.changes).toEqual(["from security instead of any approver", "rule security-looks instead of high-severity"]);
    expect(byId.get(critical.id)).toMatchObject({
      recorded: { required: true, approvalsRequired: 2, approverGroups: null, rule: "critical-severity" },
      candidate: { required: true, approvalsRequired: 1, approverGroups: ["security"], rule: "security-looks" },
      changes: ["1 approver instead of 2", "from security instead of any approver", "rule security-looks instead of critical-severity"],
    });
  });

  it("compares only the latest N runs", async () => {
    const result = WhatIfResultSchema.parse((await ask({ policy: CANDIDATE, runs: 1 })).body);
    expect(result.runs.considered).toBe(1);
    expect(result.runs.differences.length).toBeLessThanOrEqual(1);
  });

  it("evaluates a finding typed in: the rule, why, how many approvers from which groups", async () => {
    const text = `version: 1
rules:
  - name: migrations
    when: { paths: ["db/migrations/**"], linesChangedAbove: 10 }
    approvals: 2
    from: [dba, security]
  - name: rest
    approvals: 0
`;
    const result = WhatIfResultSchema.parse(
      (
        await ask({
          policy: text,
          runs: 0,
          finding: { severity: "low", repo: "billing", score: 0.9, files: ["db/migrations/001.sql", "README.md"], linesChanged: 40 },
        })
      ).body,
    );
    expect(result.finding).toEqual({
      required: true,
      approvalsRequired: 2,
      approverGroups: ["dba", "security"],
      rule: {
        name: "migrations",
        because: ["The change adds and removes 40 lines (more than 10)", "The change touches db/migrations/001.sql (db/migrations/**)"],
      },
      reasons: expect.any(Array),
    });
    expect(result.runs).toEqual({ considered: 0, compared: 0, differences: [] });
    const small = WhatIfResultSchema.parse(
      (await ask({ policy: text, runs: 0, finding: { severity: "low", repo: "billing", score: 0.9, files: ["db/migrations/001.sql"], linesChanged: 3 } })).body,
    );
    expect(small.finding).toMatchObject({ required: false, rule: { name: "rest" } });
  });

  it("answers an invalid policy with 422 and every problem at its line and column", async () => {
    const answer = await ask({
      policy: "version: 1\nrules:\n  - name: a\n    approvals: 1\n    from: [security]\n  - name: b\n    when: { severity: [urgent] }\n    approvals: 1\n",
    });
    expect(answer.status).toBe(422);
    const error = ApiErrorSchema.parse(answer.body).error;
    expect(error.code).toBe("invalid_input");
    expect(error.message).toMatch(/^The policy is invalid: 7:24: rules\[1\]\.when\.severity\[0\]: /);
    expect(PolicyProblemSchema.array().parse((answer.body as { problems: unknown }).problems)).toEqual([
      expect.objectContaining({ path: "rules[1].when.severity[0]", line: 7, column: 24 }),
    ]);
  });

  it.each([
    [{ runs: 501 }, "runs", /from 0 to 500/],
    [{ runs: 2.5 }, "runs", /whole number/],
    [{ finding: { severity: "urgent", repo: "x", score: 0.5 } }, "finding.severity", /one of low, medium, high, critical/],
    [{ finding: { severity: "low", repo: "x", score: 3 } }, "finding.score", /from 0 to 1/],
    [{ finding: { severity: "low", score: 0.5 } }, "finding.repo", /.+/],
    [{ rules: [] }, "rules", /not a known field/],
    [{ finding: { severity: "low", repo: `${"a".repeat(120)}!`, score: 0.5 } }, "finding.repo", /repository name as findings carry it/],
  ])("refuses %j with 422 naming %s", async (body, field, message) => {
    const answer = await ask(body);
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.fields?.[field]).toMatch(message);
  });

  it("refuses a policy whose repo pattern runs too long on a repository, quickly and with the pattern named", async () => {
    const greedy = "^" + "\\w*".repeat(12) + "$";
    const started = performance.now();
    const answer = await ask({
      policy: `version: 1\nrules:\n  - name: greedy\n    when: { repo: ${JSON.stringify(greedy)} }\n    approvals: 1\n  - name: rest\n    approvals: 0\n`,
      runs: 0,
      finding: { severity: "low", repo: `${"a".repeat(99)}-`, score: 0.9 },
    });
    expect(answer.status).toBe(422);
    expect(ApiErrorSchema.parse(answer.body).error.message).toMatch(/^The policy is too slow to apply: the repository pattern .* ran longer than 2000 ms/);
    // One time limit, not a hang: the console answers other requests meanwhile and after.
    expect(performance.now() - started).toBeLessThan(60_000);
    expect((await ask({ runs: 0 })).status).toBe(200);
  });

  it("is for approvers and admins: a viewer and a submitter are refused", async () => {
    expect((await ask({}, "vic")).status).toBe(403);
    expect((await ask({}, "sam")).status).toBe(403);
    expect((await ask({}, "ada")).status).toBe(200);
  });
});
