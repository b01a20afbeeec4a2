// For the code hosts' tests: the provenance of a run signed off by two approvers.
import { provenanceOf, type Provenance } from "./provenance";

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
