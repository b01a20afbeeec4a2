// Who and what produced a pull request, as every code host writes it: a section of the PR's body and the
// commit's trailers, so a reviewer on the code host sees which run made the change and who signed it off.
import type { Approval, Verdict, WorkloadIdentity } from "../contracts/schemas";

export interface Provenance {
  findingId: string;
  /** The run's page in the console, when CONSOLE_URL is configured. */
  runUrl: string | null;
  invocationId: string;
  deploymentId: string | null;
  codeRevision: string;
  promptVersion: string;
  /** The executor agent whose plan was accepted, and the models behind it and the judge. */
  agent: string;
  executorModel: string;
  judgeModel: string;
  verdict: { approved: boolean; score: number };
  /** Every accepted decision at the gate, in order; empty when the policy let the plan through without one. */
  approvals: { approver: string; approved: boolean; decidedAt: string }[];
  /** When the change was cleared (the last decision, or the verdict): the commit's date, so a retry makes the same commit. */
  clearedAt: string;
}

export function provenanceOf(input: {
  identity: WorkloadIdentity;
  verdict: Verdict;
  approvals: readonly Approval[];
  executorModel: string;
  consoleUrl?: string;
}): Provenance {
  const { identity, verdict } = input;
  return {
    findingId: identity.findingId,
    runUrl: input.consoleUrl ? `${input.consoleUrl.replace(/\/+$/, "")}/findings/${encodeURIComponent(identity.findingId)}` : null,
    invocationId: identity.invocationId,
    deploymentId: identity.deploymentId,
    codeRevision: identity.codeRevision,
    promptVersion: identity.promptVersion,
    agent: verdict.agent,
    executorModel: input.executorModel,
    judgeModel: verdict.judgeModel,
    verdict: { approved: verdict.approved, score: verdict.score },
    approvals: input.approvals.map(({ approver, approved, decidedAt }) => ({ approver, approved, decidedAt })),
    clearedAt: input.approvals.at(-1)?.decidedAt ?? verdict.judgedAt,
  };
}

/** A trailer's value is one line: line breaks and control characters become spaces. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
}

function verdictText(verdict: Provenance["verdict"]): string {
  return `${verdict.approved ? "approved" : "rejected"} (score ${verdict.score.toFixed(2)})`;
}

/** The provenance as `Key: value` pairs, in the order both the body and the trailers give them. */
export function provenanceFields(provenance: Provenance): [string, string][] {
  const fields: [string, string][] = [];
  if (provenance.runUrl) fields.push(["Remediation-Run", provenance.runUrl]);
  fields.push(
    ["Finding", provenance.findingId],
    ["Restate-Invocation", provenance.invocationId],
    ["Restate-Deployment", provenance.deploymentId ?? "unknown"],
    ["Code-Revision", provenance.codeRevision],
    ["Prompt-Version", provenance.promptVersion],
    ["Executor-Agent", provenance.agent],
    ["Executor-Model", provenance.executorModel],
    ["Judge-Model", provenance.judgeModel],
    ["Judge-Verdict", verdictText(provenance.verdict)],
  );
  for (const approval of provenance.approvals) {
    fields.push([approval.approved ? "Approved-By" : "Rejected-By", `${approval.approver} at ${approval.decidedAt}`]);
  }
  if (provenance.approvals.length === 0) fields.push(["Approved-By", "nobody: the policy cleared the plan without a human sign-off"]);
  return fields.map(([key, value]) => [key, oneLine(value)]);
}

/** The commit message: the title, then the provenance as git trailers (`git interpret-trailers --parse` reads them). */
export function commitMessage(title: string, provenance: Provenance): string {
  const trailers = provenanceFields(provenance).map(([key, value]) => `${key}: ${value}`);
  return `${oneLine(title) || `Remediate ${provenance.findingId}`}\n\n${trailers.join("\n")}\n`;
}

/** Markdown that shows text as written: no links, emphasis or HTML out of a value. */
function literal(value: string): string {
  return `\`${value.replace(/`/g, "'")}\``;
}

/** The PR's body: the plan's description, then a provenance section. */
export function pullRequestBody(description: string, provenance: Provenance): string {
  const rows = provenanceFields(provenance).map(([key, value]) =>
    key === "Remediation-Run" ? `| ${key} | [${provenance.findingId}](${value}) |` : `| ${key} | ${literal(value.replace(/\|/g, "/"))} |`,
  );
  return [description.trim(), "", "### Provenance", "", "| | |", "| --- | --- |", ...rows, ""].join("\n");
}
