import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { commitMessage, provenanceOf, pullRequestBody } from "./provenance";
import { signedOffProvenance } from "./code-host-fixture";
import { pullRequestBranch } from "./pull-request-branch";

/** What git itself reads as the message's trailers. */
function parsedTrailers(message: string): string[] {
  return execFileSync("git", ["interpret-trailers", "--parse"], { input: message, encoding: "utf8" }).trim().split("\n");
}

describe("provenance", () => {
  it("puts the run link, invocation, deployment, code revision, prompt version, models, verdict and every approver in the commit's trailers", () => {
    expect(parsedTrailers(commitMessage("Bump lodash", signedOffProvenance()))).toEqual([
      "Remediation-Run: https://console.example.com/findings/cve-777",
      "Finding: cve-777",
      "Restate-Invocation: inv_1abcDEFghiJKLmnoPQRstu",
      "Restate-Deployment: dp_11xyz",
      "Code-Revision: c0de5eed",
      "Prompt-Version: executor-v3",
      "Executor-Agent: conservativeExecutor",
      "Executor-Model: executor-stub-1",
      "Judge-Model: judge-heavy-stub-1",
      "Judge-Verdict: approved (score 0.88)",
      "Approved-By: ana at 2026-11-29T01:02:00.000Z",
      "Approved-By: bo at 2026-11-29T01:03:30.000Z",
    ]);
  });

  it("keeps a trailer on one line whatever the title or a value holds, and says when nobody signed off", () => {
    const provenance = { ...signedOffProvenance(), approvals: [], executorModel: "model\nInjected-By: mallory" };
    const message = commitMessage("Fix\n\nSigned-off-by: nobody", provenance);
    expect(message.split("\n")[0]).toBe("Fix Signed-off-by: nobody");
    const trailers = parsedTrailers(message);
    expect(trailers).toContain("Executor-Model: model Injected-By: mallory");
    expect(trailers).toContain("Approved-By: nobody: the policy cleared the plan without a human sign-off");
  });

  it("appends a provenance table to the PR's body, with the run linked and values shown literally", () => {
    const body = pullRequestBody("Bumps lodash.\n\nTicket: SEC-1", { ...signedOffProvenance(), agent: "a|b`c" });
    expect(body).toMatch(/^Bumps lodash\.\n\nTicket: SEC-1\n\n### Provenance\n/);
    expect(body).toContain("| Remediation-Run | [cve-777](https://console.example.com/findings/cve-777) |");
    expect(body).toContain("| Approved-By | `bo at 2026-11-29T01:03:30.000Z` |");
    expect(body).toContain("| Executor-Agent | `a/b'c` |");
  });

  it("has no run link without a console address, and dates the commit at the last decision", () => {
    const provenance = provenanceOf({ ...inputsOf(), consoleUrl: undefined });
    expect(provenance.runUrl).toBeNull();
    expect(commitMessage("t", provenance)).not.toContain("Remediation-Run");
    expect(signedOffProvenance().clearedAt).toBe("2026-11-29T01:03:30.000Z");
  });
});

function inputsOf() {
  const provenance = signedOffProvenance();
  return {
    identity: {
      service: "RemediationWorkflow",
      findingId: provenance.findingId,
      invocationId: provenance.invocationId,
      deploymentId: null,
      codeRevision: provenance.codeRevision,
      promptVersion: provenance.promptVersion,
      recordedAt: "2026-11-29T01:00:00.000Z",
    },
    verdict: {
      agent: "fastExecutor",
      approved: true,
      score: 1,
      reason: "",
      checks: [],
      judgeModel: "j",
      commentary: "",
      judgedAt: "2026-11-29T01:01:00.000Z",
    },
    approvals: [],
    executorModel: "e",
  };
}

describe("pullRequestBranch", () => {
  it.each([
    ["fix/cve-005", "cve-005"],
    ["../../etc/passwd", "x"],
    ["fix spaces~^:?*[\\ and.lock", "x"],
    ["..", "cve-9"],
    ["-leading/.dot/", "x"],
  ])("turns the plan's branch %j into a name git accepts, unique to the step", (planBranch, findingId) => {
    const branch = pullRequestBranch(planBranch, findingId, "inv_1/pull-request");
    expect(() => execFileSync("git", ["check-ref-format", `refs/heads/${branch}`])).not.toThrow();
    expect(branch).toMatch(/-[0-9a-f]{10}$/);
    expect(pullRequestBranch(planBranch, findingId, "inv_2/pull-request")).not.toBe(branch);
  });
});
