// Where the run's records go: the audit sink (AUDIT_SINK) and the eval store (EVAL_STORE), each
// picked by its variable. A real adapter's settings are read here, at start-up, and a bad one stops
// the services with a message naming the variable.
import { config } from "../config";
import { attest } from "../identity/services-signer";
import { langfuseEvalStore, readLangfuseSettings } from "./langfuse/langfuse-store";
import { localAuditLog } from "./local/audit-log";
import { localEvalDataset } from "./local/eval-dataset";
import type { AuditSink, EvalStore } from "./ports";
import { readSiemSettings, siemAuditSink } from "./siem/siem-sink";

export function auditSinkFor(stub: () => AuditSink): AuditSink {
  switch (config.AUDIT_SINK) {
    case "stub":
      return stub();
    case "local":
      return localAuditLog({ dir: config.OUTSIDE_WORLD_DIR, sign: attest });
    case "siem":
      return siemAuditSink(readSiemSettings());
  }
}

export function evalStoreFor(stub: () => EvalStore): EvalStore {
  switch (config.EVAL_STORE) {
    case "stub":
      return stub();
    case "local":
      return localEvalDataset({ dir: config.OUTSIDE_WORLD_DIR });
    case "langfuse":
      return langfuseEvalStore(readLangfuseSettings());
  }
}
