// An audit record as one ArcSight Common Event Format line, the form most SIEMs ingest as it is.
// The whole signed record travels in cs6 (canonical JSON), so it can be re-verified from the SIEM.
import type { AuditRecord } from "../../contracts/schemas";
import { canonicalJson } from "../../identity/record-signatures";

const SEVERITY: Record<AuditRecord["finding"]["severity"], number> = { low: 3, medium: 5, high: 8, critical: 10 };

/** Header fields escape the backslash and the pipe. */
const header = (text: string) => text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|");
/** Extension values escape the backslash, the equals sign and line breaks. */
const extension = (text: string) =>
  text
    .replace(/\\/g, "\\\\")
    .replace(/=/g, "\\=")
    .replace(/\r?\n|\r/g, "\\n");

export function cefLine(record: AuditRecord, idempotencyKey: string): string {
  const { identity, finding, outcome } = record;
  const approvers = (record.approvals ?? []).map((approval) => `${approval.approver}:${approval.approved ? "approved" : "rejected"}`).join(",");
  const fields: [string, string][] = [
    ["rt", String(Date.parse(identity.recordedAt))],
    ["externalId", idempotencyKey],
    ["act", outcome],
    ["suser", record.submittedBy],
    ["duser", approvers],
    ["cs1Label", "findingId"],
    ["cs1", finding.id],
    ["cs2Label", "invocationId"],
    ["cs2", identity.invocationId],
    ["cs3Label", "repo"],
    ["cs3", finding.repo],
    ["cs4Label", "deployment"],
    ["cs4", identity.deploymentId ?? ""],
    ["cs5Label", "attestation"],
    ["cs5", record.attestation ?? ""],
    ["cs6Label", "record"],
    ["cs6", canonicalJson(record)],
    ["msg", record.failure ?? finding.description],
  ];
  const head = [
    "CEF:0",
    "Remediation",
    "RemediationWorkflow",
    identity.codeRevision,
    `audit-record:${outcome}`,
    `Remediation run ${outcome}`,
    String(SEVERITY[finding.severity]),
  ];
  return `${head.map(header).join("|")}|${fields.map(([key, text]) => `${key}=${extension(text)}`).join(" ")}`;
}
