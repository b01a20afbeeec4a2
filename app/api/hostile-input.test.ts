// Property-based: generated invalid and hostile findings, sign-offs and ids thrown at the console API.
// Each gets a 4xx with a message naming the problem; none starts a run; no id with SQL
// metacharacters reaches the admin SQL API.
import fc from "fast-check";
import { expect, it, vi } from "vitest";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";

const console_ = consoleStackPerFile({ alwaysReplay: false });
const findings = routeModule(() => import("./findings/route"));
const finding = routeModule(() => import("./findings/[id]/route"));
const approval = routeModule(() => import("./findings/[id]/approval/route"));
const journal = routeModule(() => import("./invocations/[invocationId]/journal/route"));

const HOSTILE = fc.constantFrom(
  "x' OR '1'='1",
  "'; DROP TABLE state; --",
  'a"b',
  "inv_abc'--",
  "<script>alert(1)</script>",
  "../../admin",
  "a b",
  "%27",
  "\\",
  "",
);
const FIELDS = ["id", "source", "severity", "description", "repo"] as const;

const invalidFinding = fc
  .tuple(
    fc.constantFrom(...FIELDS),
    HOSTILE,
    fc.nat(4),
    fc.jsonValue().filter((value) => value !== undefined),
  )
  .map(([field, hostile, kind, junk]) => {
    const id = `prop-${Math.random().toString(36).slice(2, 10)}`;
    const base: Record<string, unknown> = { id, source: "snyk", severity: "low", description: "d", repo: "web-storefront" };
    const bodies = [
      { body: { ...base, [field]: undefined }, field },
      { body: { ...base, [field]: 7 }, field },
      { body: { ...base, severity: hostile || "x" }, field: "severity" },
      { body: { ...base, id: hostile }, field: "id" },
      { body: { ...base, unexpected: junk }, field: null },
    ];
    return { id, ...bodies[kind]! };
  });

it("answers every generated invalid finding with 422 and field messages, and starts no run", { timeout: 120_000 }, async () => {
  await fc.assert(
    fc.asyncProperty(invalidFinding, async ({ id, body, field }) => {
      const answer = await callRoute<{ error: { code: string; message: string; fields?: Record<string, string> } }>(findings.POST, "/api/findings", {
        method: "POST",
        body: JSON.parse(JSON.stringify(body)),
      });
      expect(answer.status).toBe(422);
      expect(answer.body.error.code).toBe("invalid_input");
      if (field) expect(Object.keys(answer.body.error.fields ?? {})).toContain(field);
      const runs = await console_.stack.sql(`SELECT id FROM sys_invocation WHERE target_service_key = '${id}'`);
      expect(runs).toEqual([]);
    }),
    { numRuns: 40 },
  );
  expect(console_.stack.ledger()).toEqual([]);
});

it("answers every hostile id with a 4xx and never sends it to the admin SQL API", { timeout: 60_000 }, async () => {
  const sqlBodies: string[] = [];
  const realFetch = globalThis.fetch;
  const spy = vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    if (String(input instanceof Request ? input.url : input).endsWith("/query")) sqlBodies.push(String(init?.body ?? ""));
    return realFetch(input, init);
  });
  try {
    await fc.assert(
      fc.asyncProperty(HOSTILE, fc.boolean(), async (hostile, approve) => {
        const answers = [
          await callRoute(finding.GET, `/api/findings/x`, { params: { id: hostile } }),
          await callRoute(journal.GET, `/api/invocations/x/journal`, { params: { invocationId: hostile } }),
          await callRoute(approval.POST, `/api/findings/x/approval`, {
            method: "POST",
            params: { id: hostile },
            body: { approved: approve, comment: "looks fine" },
          }),
        ];
        for (const answer of answers) expect([404, 422]).toContain(answer.status);
      }),
      { numRuns: 30 },
    );
    // The spy sees the admin queries: a list request goes through it.
    const list = await import("./findings/route");
    expect((await callRoute(list.GET, "/api/findings")).status).toBe(200);
  } finally {
    spy.mockRestore();
  }
  expect(sqlBodies.length).toBeGreaterThan(0);
  for (const body of sqlBodies) {
    for (const metachar of ["'--", "OR '1'='1", "DROP TABLE", "<script>", "a b"]) expect(body).not.toContain(metachar);
  }
});

it("answers every generated malformed sign-off with 422 naming the field", { timeout: 60_000 }, async () => {
  const malformed = fc.oneof(
    fc.record({ approved: fc.oneof(fc.string(), fc.integer(), fc.constant(null)) }).map((body) => ({ body, field: "approved" })),
    fc.record({ approved: fc.boolean(), comment: fc.constant("z".repeat(2001)) }).map((body) => ({ body, field: "comment" })),
    // The approver is the signed-in operator, never a field of the body.
    fc.record({ approved: fc.boolean(), approver: fc.string() }).map((body) => ({ body, field: "approver" })),
  );
  await fc.assert(
    fc.asyncProperty(malformed, async ({ body, field }) => {
      const answer = await callRoute<{ error: { fields?: Record<string, string> } }>(approval.POST, "/api/findings/cve-1/approval", {
        method: "POST",
        params: { id: "cve-1" },
        body,
      });
      expect(answer.status).toBe(422);
      expect(Object.keys(answer.body.error.fields ?? {})).toContain(field);
    }),
    { numRuns: 30 },
  );
});
