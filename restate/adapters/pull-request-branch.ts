// The branch a pull request's change goes on, named by the plan and the step's idempotency key: a retried
// step finds the branch (and the PR) it made before instead of making a second one.
import { createHash } from "node:crypto";

/** `git check-ref-format` would refuse these in a branch name. */
const NOT_IN_REF = /[^A-Za-z0-9._/-]+/g;

export function pullRequestBranch(planBranch: string, findingId: string, idempotencyKey: string): string {
  const readable =
    planBranch
      .replace(NOT_IN_REF, "-")
      .split("/")
      .map((segment) => segment.replace(/^[.-]+|\.+$|\.lock$/g, "").replace(/\.{2,}/g, "."))
      .filter(Boolean)
      .join("/")
      .slice(0, 80)
      .replace(/[/.]+$/, "") || `remediation/${findingId.replace(NOT_IN_REF, "-")}`;
  return `${readable}-${createHash("sha256").update(idempotencyKey).digest("hex").slice(0, 10)}`;
}
