// For the code hosts' tests: the demo repository's fix as an approved change, the provenance of a run
// signed off by two approvers, and the request the workflow makes with them.
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { PlanChange } from "../contracts/schemas";
import { demoRepoFix } from "../workspace/demo-repos";
import type { WorkspaceSettings } from "../workspace/workspace-settings";
import { diffOf, openWorkspace } from "../workspace/workspaces";
import { provenanceOf, type Provenance } from "./provenance";

/** web-storefront's correct fix, as an agent's workspace hands it in; `fix` is what it writes (path → content). */
export async function approvedDemoChange(settings: WorkspaceSettings): Promise<{ change: PlanChange; fix: Record<string, string> }> {
  const workspace = await openWorkspace({ repo: "web-storefront", runKey: "inv_1/fastExecutor" }, settings);
  const fix = await demoRepoFix("web-storefront");
  for (const [path, content] of Object.entries(fix)) await writeFile(join(workspace.dir, path), content);
  const { diff, files } = await diffOf(workspace);
  return { change: { baseRevision: workspace.baseRevision, diff, files: files.map((file) => file.path) }, fix };
}

/** The code host's input for web-storefront's fix, as execute-plan.ts builds it. */
export function openRequest(change: PlanChange | undefined, idempotencyKey = "inv_1/pull-request") {
  return {
    idempotencyKey,
    findingId: "cve-777",
    repo: "web-storefront",
    title: "Bump lodash to 4.17.21",
    branch: "fix/cve-777",
    body: "Bumps lodash.\n\nTicket: SEC-1",
    change,
    provenance: signedOffProvenance(),
  };
}

export function signedOffProvenance(findingId = "cve-777"): Provenance {
  return provenanceOf({
    identity: {
      service: "RemediationWorkflow",
      findingId,
      invocationId: "inv_1abcDEFghiJKLmnoPQRstu",
      deploymentId: "dp_11xyz",
      codeRevision: "c0de5eed",
      promptVersion: "executor-v3",
      recordedAt: "2026-11-29T01:00:00.000Z",
    },
    verdict: {
      agent: "conservativeExecutor",
      approved: true,
      score: 0.875,
      reason: "all checks passed",
      checks: [],
      judgeModel: "judge-heavy-stub-1",
      commentary: "",
      judgedAt: "2026-11-29T01:01:00.000Z",
    },
    approvals: [
      { approved: true, approver: "ana", decidedAt: "2026-11-29T01:02:00.000Z" },
      { approved: true, approver: "bo", comment: "LGTM", decidedAt: "2026-11-29T01:03:30.000Z" },
    ],
    executorModel: "executor-stub-1",
    consoleUrl: "https://console.example.com/",
  });
}
