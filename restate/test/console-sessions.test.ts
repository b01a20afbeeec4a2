// The console's open sessions (ConsoleSessions) against a real restate-server: what sign-in registers
// is open until sign-out ends it, and nothing is left behind once a session has expired.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConsoleSessions } from "../console/sessions";
import { PATIENCE_MS, startTestStack, type TestStack } from "./harness";

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

const sessionsOf = (username: string) => stack.ingress.objectClient<ConsoleSessions>({ name: "ConsoleSessions" }, username);
const stateRows = (username: string) =>
  stack.sql<{ key: string }>(`SELECT key FROM state WHERE service_name = 'ConsoleSessions' AND service_key = '${username}'`);

describe("ConsoleSessions", () => {
  it("keeps a session open from sign-in until sign-out, each of an operator's sessions on its own", async () => {
    const sessions = sessionsOf("ada");
    const expiresAt = Date.now() + 3_600_000;
    await sessions.register({ sessionId: "laptop-session-0001", expiresAt });
    await sessions.register({ sessionId: "desktop-session-001", expiresAt });
    expect(await sessions.isActive("laptop-session-0001")).toBe(true);
    await sessions.end("laptop-session-0001");
    expect(await sessions.isActive("laptop-session-0001")).toBe(false);
    expect(await sessions.isActive("desktop-session-001")).toBe(true);
    expect(await sessions.isActive("never-registered-01")).toBe(false);
  });

  it("drops a session at its expiry, leaving no state for an operator who never comes back", async () => {
    const sessions = sessionsOf("gone");
    await sessions.register({ sessionId: "short-lived-000001", expiresAt: Date.now() + 1_000 });
    expect(await stateRows("gone")).toHaveLength(1);
    await vi.waitFor(async () => expect(await stateRows("gone")).toEqual([]), { timeout: PATIENCE_MS, interval: 250 });
    expect(await sessions.isActive("short-lived-000001")).toBe(false);
  });

  it("refuses an expiry in the past or beyond the longest sign-in, and keeps prune to itself", async () => {
    const past = await stack.post("/ConsoleSessions/bo/register", { sessionId: "late-session-00001", expiresAt: Date.now() - 1 });
    expect(past.status).toBe(400);
    const far = await stack.post("/ConsoleSessions/bo/register", { sessionId: "late-session-00002", expiresAt: Date.now() + 40 * 24 * 3_600_000 });
    expect(far.status).toBe(400);
    expect(await sessionsOf("bo").isActive("late-session-00001")).toBe(false);
    expect((await stack.post("/ConsoleSessions/bo/prune", {})).status).toBeGreaterThanOrEqual(400);
  });
});
