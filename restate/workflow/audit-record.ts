// The end of every run: the eval record (eval-record.ts), the audit record (AuditRecordSchema), signed
// by the services and exported, then the final stage. A finished stage means the audit trail is complete.
import * as restate from "@restatedev/restate-sdk";
import { adapters } from "../adapters/index";
import { canonicalJson } from "../identity/record-signatures";
import { attest } from "../identity/services-signer";
import { AuditRecordSchema, type AuditOutcome, type AuditRecord, type WorkloadIdentity } from "../contracts/schemas";
import { runUsage } from "../contracts/usage";
import { exportEvalRecord } from "./eval-record";
import type { RunState } from "./run-state";
import { externalRefSerde, runEffect } from "./side-effects";
import { setStage } from "./indexed-stage";

/** What the record holds beyond the run's common fields, depending on how far the run got. */
export type AuditDetails = Omit<
  AuditRecord,
  "outcome" | "identity" | "finding" | "submittedBy" | "submittedByAttestation" | "attempts" | "verdicts" | "usage" | "attestation"
>;

export async function finishRun(ctx: restate.WorkflowContext<RunState>, identity: WorkloadIdentity, outcome: AuditOutcome, details: AuditDetails) {
  const attempts = (await ctx.get("attempts")) ?? [];
  const verdicts = (await ctx.get("verdicts")) ?? [];
  const usage = runUsage(attempts, verdicts);
  // Parsed where it is written: a record that does not match its schema is never exported.
  const content = AuditRecordSchema.parse({
    outcome,
    identity,
    finding: await ctx.get("finding"),
    submittedBy: await ctx.get("submittedBy"),
    submittedByAttestation: (await ctx.get("submittedByAttestation")) ?? null,
    attempts,
    verdicts,
    ...(usage ? { usage } : {}),
    ...details,
  });
  // Signed over its canonical JSON, so the exported record can be re-checked offline (npm run audit -- verify).
  const attestation = attest("audit-record", identity.findingId, JSON.parse(canonicalJson(content)));
  const record: AuditRecord = attestation ? { ...content, attestation } : content;
  await exportEvalRecord(ctx, content);
  const auditRecord = await runEffect(
    ctx,
    "export audit record",
    () => adapters.audit.exportAuditRecord({ idempotencyKey: `${identity.invocationId}/audit`, findingId: identity.findingId, record }),
    externalRefSerde,
  );
  ctx.set("auditRecord", auditRecord);
  ctx.set("endedAt", new Date(await ctx.date.now()).toISOString());
  await setStage(ctx, outcome === "completed" || outcome === "rejected" || outcome === "expired" ? outcome : "failed");
}
