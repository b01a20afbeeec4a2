// The Integrations page's routes against a real restate-server and the real services: what each port
// uses, what it did last, the "test connection" action, and who may see any of it.
import { describe, expect, it } from "vitest";
import type { ConnectionTest, IntegrationsOverview } from "@/lib/api/contracts";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile();
const overview = routeModule(() => import("./route"));
const connection = routeModule(() => import("./test/route"));

describe("GET /api/integrations", () => {
  it("lists every port with its adapter, and the calls a finished run made through it", async () => {
    const auto = finding({ severity: "low", description: "outdated lodash in the storefront", repo: "web-storefront" });
    await ctx.stack.submitAs("sam", auto);
    await ctx.stack.waitForStage(auto.id, "completed");

    const answer = await callRoute<IntegrationsOverview>(overview.GET, "/api/integrations");
    expect(answer.status).toBe(200);
    const byPort = Object.fromEntries(answer.body.integrations.map((integration) => [integration.port, integration]));
    expect(Object.keys(byPort).sort()).toEqual(["audit", "chat", "codeHost", "evalStore", "issueTracker", "judge", "planner", "workspace"]);
    // A test stack's outside world is the counted stand-in.
    expect(byPort.codeHost).toMatchObject({ adapter: "stub", kind: "stub", selectedBy: "CODE_HOST" });
    expect(byPort.codeHost!.lastCall).toMatchObject({ method: "openPullRequest" });
    expect(byPort.audit!.lastCall).toMatchObject({ method: "exportAuditRecord" });
    expect(byPort.codeHost!.lastError).toBeNull();
  });

  it("is for admins only", async () => {
    for (const who of ["vic", "sam", "ana"]) {
      const answer = await callRoute<{ error: { code: string } }>(overview.GET, "/api/integrations", { as: who });
      expect(answer.status, who).toBe(403);
    }
    expect((await callRoute(overview.GET, "/api/integrations", { as: null })).status).toBe(401);
  });
});

describe("POST /api/integrations/test", () => {
  it("answers for an adapter that needs no connection, and refuses a port that does not exist", async () => {
    const answer = await callRoute<ConnectionTest>(connection.POST, "/api/integrations/test", { method: "POST", body: { port: "codeHost" } });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ port: "codeHost", ok: true });
    expect(answer.body.message).toMatch(/nothing to connect to/);

    const bad = await callRoute<{ error: { code: string; message: string } }>(connection.POST, "/api/integrations/test", {
      method: "POST",
      body: { port: "mainframe" },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.error.message).toMatch(/port must be one of/);
    expect((await callRoute(connection.POST, "/api/integrations/test", { method: "POST", body: { port: "chat" }, as: "ana" })).status).toBe(403);
  });
});
