// With Restate down, every route answers 503 in the envelope, quickly, without naming the URL.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ApiErrorSchema } from "@/lib/api/contracts";
import { freePort } from "@/scripts/stack";
import { finding } from "@/restate/test/harness";
import { callRoute, installTestOperators, passwordOf } from "@/lib/test/route-harness";

let closedPort: number;
const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
afterAll(() => warnings.mockRestore());
beforeAll(async () => {
  closedPort = await freePort(); // free, so nothing listens there
  process.env.RESTATE_INGRESS = `http://127.0.0.1:${closedPort}`;
  process.env.RESTATE_ADMIN = `http://127.0.0.1:${closedPort}`;
  // A refused connection must not wait out the console's request timeout: make that wait unmistakable.
  process.env.RESTATE_TIMEOUT_MS = "60000";
  await installTestOperators();
  // Load the route modules now, so the answer time below is the route's own, not the module transform's.
  await Promise.all([
    import("@/app/api/findings/route"),
    import("@/app/api/findings/[id]/route"),
    import("@/app/api/findings/[id]/approval/route"),
    import("@/app/api/approvals/route"),
    import("@/app/api/invocations/[invocationId]/journal/route"),
  ]);
});

describe("Restate unreachable", () => {
  it.each([
    ["POST /api/findings", async () => callRoute((await import("@/app/api/findings/route")).POST, "/api/findings", { method: "POST", body: finding() })],
    ["GET /api/findings", async () => callRoute((await import("@/app/api/findings/route")).GET, "/api/findings")],
    ["GET /api/findings/{id}", async () => callRoute((await import("@/app/api/findings/[id]/route")).GET, "/api/findings/cve-1", { params: { id: "cve-1" } })],
    [
      "POST /api/findings/{id}/approval",
      async () =>
        callRoute((await import("@/app/api/findings/[id]/approval/route")).POST, "/api/findings/cve-1/approval", {
          method: "POST",
          body: { approved: true },
          params: { id: "cve-1" },
        }),
    ],
    ["GET /api/approvals", async () => callRoute((await import("@/app/api/approvals/route")).GET, "/api/approvals")],
    // A sign-in Restate did not record would hand out a cookie nothing accepts: refuse it instead.
    [
      "POST /api/auth/login",
      async () =>
        callRoute((await import("@/app/api/auth/login/route")).POST, "/api/auth/login", {
          method: "POST",
          as: null,
          body: { username: "ana", password: passwordOf("ana") },
        }),
    ],
    [
      "GET /api/invocations/{id}/journal",
      async () =>
        callRoute((await import("@/app/api/invocations/[invocationId]/journal/route")).GET, "/api/invocations/inv_1abc/journal", {
          params: { invocationId: "inv_1abc" },
        }),
    ],
  ])("%s answers 503 upstream_unavailable", async (_, call) => {
    const started = Date.now();
    const answer = await call();
    expect(answer.status).toBe(503);
    const error = ApiErrorSchema.parse(answer.body).error;
    expect(error.code).toBe("upstream_unavailable");
    expect(error.message).not.toContain(String(closedPort));
    // Answered on the refusal, not after the 60 s request timeout (a busy machine adds seconds, not a minute).
    expect(Date.now() - started).toBeLessThan(30_000);
    // The operator sees the envelope; the log keeps the cause.
    expect(warnings).toHaveBeenLastCalledWith(expect.stringMatching(/Restate unavailable: .*ECONNREFUSED/));
    expect(answer.headers.getSetCookie()).toEqual([]);
  });
});
