// Property-based: generated invalid and hostile findings and sign-offs sent straight to the Restate
// ingress. Every one gets a 4xx that says what was wrong, and none runs a step or a side effect.
import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestStack, type TestStack } from "../harness";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack({ alwaysReplay: false });
});
afterAll(async () => {
  await stack?.stop();
});

const HOSTILE_TEXT = fc.constantFrom(
  "'; DROP TABLE sys_invocation; --",
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "../../etc/passwd",
  "\u0000\u202e",
  "x".repeat(5000),
);
const validFinding = fc.record({
  id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{2,20}$/),
  source: fc.constantFrom("snyk", "guardduty", "dependabot"),
  severity: fc.constantFrom("low", "medium", "high", "critical"),
  description: fc.string({ minLength: 1, maxLength: 80 }).filter((text) => text.trim().length > 0),
  repo: fc.constantFrom("web-storefront", "prod-db", "ci-infra"),
});
type Mutation = { body: unknown; problem: RegExp };
const FIELDS = ["id", "source", "severity", "description", "repo"] as const;

/** Breaks a valid finding in one way, and says which message must come back. */
const invalidFinding: fc.Arbitrary<{ key: string; mutation: Mutation }> = fc
  .tuple(
    validFinding,
    fc.nat(10),
    fc.constantFrom(...FIELDS),
    HOSTILE_TEXT,
    fc.jsonValue().filter((value) => value !== undefined),
  )
  .map(([finding, kind, field, hostile, junk]) => {
    const key = `${finding.id}-${Math.random().toString(36).slice(2, 8)}`;
    const base = { ...finding, id: key };
    const without = Object.fromEntries(Object.entries(base).filter(([name]) => name !== field));
    const mutations: Mutation[] = [
      { body: without, problem: new RegExp(`${field} is required`) },
      { body: { ...base, severity: hostile }, problem: /severity must be one of/ },
      { body: { ...base, id: hostile }, problem: /id must be 1-64 letters|does not match the workflow key/ },
      { body: { ...base, repo: hostile }, problem: /repo must be 1-100 letters/ },
      { body: { ...base, description: "y".repeat(2001) }, problem: /description must be at most 2000 characters/ },
      { body: { ...base, [field]: 42 }, problem: new RegExp(`${field}`) },
      { body: { ...base, injected: junk }, problem: /injected/ },
      { body: [base], problem: /expected object/i },
      { body: "{ not json", problem: /deserialize|JSON/i },
      {
        body: { ...base, description: `${finding.description}\u202E` },
        problem: /description must not contain bidirectional override or isolate characters \(found U\+202E\)/,
      },
      { body: { ...base, source: "\u200B\u200D" }, problem: /source must contain visible text/ },
    ];
    return { key, mutation: mutations[kind]! };
  });

it("refuses every generated invalid or hostile finding with a 400 naming the problem, and runs nothing", { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(invalidFinding, async ({ key, mutation }) => {
      const response = await stack.post(`/RemediationWorkflow/${key}/run`, mutation.body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(mutation.problem);
      expect(stack.ledger(key)).toEqual([]);
      expect((await stack.post(`/RemediationWorkflow/${key}/status`, {})).status).toBe(404);
    }),
    { numRuns: 60 },
  );
  // Nothing reached a sub-agent or the outside world.
  expect(stack.ledger()).toEqual([]);
  const [calls] = await stack.sql<{ n: number }>("SELECT count(*) AS n FROM sys_invocation WHERE target_service_name = 'subAgents'");
  expect(Number(calls?.n)).toBe(0);
});

it("refuses every generated malformed sign-off with a 400 naming the problem", { timeout: 60_000 }, async () => {
  const malformed = fc.oneof(
    fc.record({ approved: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), approver: fc.constant("a@corp.com") }).map((body) => ({
      body,
      problem: /approved must be true or false/,
    })),
    fc.record({ approved: fc.boolean() }).map((body) => ({ body, problem: /approver is required/ })),
    fc.record({ approved: fc.boolean(), approver: fc.constant("  ") }).map((body) => ({ body, problem: /approver must not be empty/ })),
    fc.record({ approved: fc.boolean(), approver: fc.constant("a"), comment: fc.constant("z".repeat(2001)) }).map((body) => ({
      body,
      problem: /comment must be at most 2000 characters/,
    })),
  );
  await fc.assert(
    fc.asyncProperty(malformed, async ({ body, problem }) => {
      const response = await stack.post(`/RemediationWorkflow/any-finding/approve`, body);
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(problem);
    }),
    { numRuns: 40 },
  );
});
