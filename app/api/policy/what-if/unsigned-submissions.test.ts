// The what-if gates a finding that had no signed submitter the way the services do (their
// UNSIGNED_SUBMISSIONS, here "allow"), not by the console's own assumption.
import { expect, it } from "vitest";
import { WhatIfResultSchema } from "@/lib/policy-what-if";
import { callRoute, consoleStackPerFile, routeModule } from "@/lib/test/route-harness";
import { finding } from "@/restate/test/harness";

const ctx = consoleStackPerFile({ servicesEnv: { UNSIGNED_SUBMISSIONS: "allow" } });
const whatIf = routeModule(() => import("./route"));

it("finds no difference for a finding sent straight to the ingress when the services allow unsigned submissions", async () => {
  const direct = finding({ severity: "high", description: "exposed credentials in CI logs", repo: "ci-infra" });
  await ctx.stack.workflow(direct.id).workflowSubmit(direct);
  const waiting = await ctx.stack.waitForStage(direct.id, "awaiting-approval");
  // "allow": no second approver for the missing submitter.
  expect(waiting.signoff?.approvalsRequired).toBe(1);

  const answer = await callRoute(whatIf.POST, "/api/policy/what-if", { method: "POST", body: {}, as: "ana" });
  expect(answer.status).toBe(200);
  expect(WhatIfResultSchema.parse(answer.body).runs).toMatchObject({ considered: 1, compared: 1, differences: [] });
});
