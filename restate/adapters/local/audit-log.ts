// The embedded audit sink (AUDIT_SINK=local): an append-only JSONL log under OUTSIDE_WORLD_DIR, each
// entry chained to the one before and signed by the services (audit-chain.ts), plus a signed head
// file naming the last entry. A retried export with the same idempotency key appends nothing.
// Each append runs start to finish without yielding to the event loop (synchronous file calls), so
// concurrent exports from this process cannot interleave; one services process writes one log.
import { renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { RecordKind } from "../../identity/record-signatures";
import type { AuditSink } from "../ports";
import {
  AUDIT_HEAD_FILE,
  AUDIT_LOG_FILE,
  HEAD_SUBJECT,
  anchorOf,
  entryHash,
  unsignedEntry,
  unsignedHead,
  type AuditHead,
  type AuditLogEntry,
} from "./audit-chain";
import { JsonlFile } from "./jsonl-file";

export type RecordSignature = (kind: RecordKind, findingId: string, record: unknown) => string | undefined;

export interface AuditLogOptions {
  dir: string;
  /** The services' record signer (services-signer.ts's attest); undefined signatures leave entries unsigned. */
  sign: RecordSignature;
  now?: () => Date;
}

export function localAuditLog({ dir, sign, now = () => new Date() }: AuditLogOptions): AuditSink & { readonly file: string } {
  const log = new JsonlFile<AuditLogEntry>(join(dir, AUDIT_LOG_FILE));
  const headFile = join(dir, AUDIT_HEAD_FILE);
  const refs = new Map<string, string>();
  let last: AuditLogEntry | null = null;

  function load() {
    refs.clear();
    last = null;
    for (const entry of log.read()) {
      refs.set(entry.idempotencyKey, anchorOf(entry));
      last = entry;
    }
  }

  function append(idempotencyKey: string, findingId: string, record: Record<string, unknown>): string {
    if (log.changedSinceRead()) load();
    const existing = refs.get(idempotencyKey);
    if (existing) return existing;
    const unsigned: AuditLogEntry = {
      seq: (last?.seq ?? 0) + 1,
      at: now().toISOString(),
      findingId,
      idempotencyKey,
      record,
      previous: last ? entryHash(last) : null,
    };
    const signature = sign("audit-log-entry", findingId, unsignedEntry(unsigned));
    const entry: AuditLogEntry = signature ? { ...unsigned, signature } : unsigned;
    log.append(entry);
    last = entry;
    const anchor = anchorOf(entry);
    refs.set(idempotencyKey, anchor);
    writeHead(entry);
    return anchor;
  }

  function writeHead(entry: AuditLogEntry) {
    const head: AuditHead = { seq: entry.seq, hash: entryHash(entry), at: entry.at };
    const signature = sign("audit-log-head", HEAD_SUBJECT, unsignedHead(head));
    writeFileSync(`${headFile}.tmp`, JSON.stringify(signature ? { ...head, signature } : head), { mode: 0o600 });
    renameSync(`${headFile}.tmp`, headFile);
  }

  return {
    file: log.file,
    async exportAuditRecord({ idempotencyKey, findingId, record }) {
      const anchor = append(idempotencyKey, findingId, record as Record<string, unknown>);
      return { system: "audit-log", id: anchor };
    },
  };
}
