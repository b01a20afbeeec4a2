// The embedded audit sink (AUDIT_SINK=local): an append-only JSONL log under OUTSIDE_WORLD_DIR, each
// entry chained to the one before and signed by the services (audit-chain.ts), plus a signed head
// file naming the last entry. A retried export with the same idempotency key appends nothing.
// Each append runs start to finish without yielding to the event loop (synchronous file calls), so
// concurrent exports from this process cannot interleave; one services process writes one log.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, statSync, truncateSync, writeFileSync, writeSync } from "node:fs";
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

export type RecordSignature = (kind: RecordKind, findingId: string, record: unknown) => string | undefined;

export interface AuditLogOptions {
  dir: string;
  /** The services' record signer (services-signer.ts's attest); undefined signatures leave entries unsigned. */
  sign: RecordSignature;
  now?: () => Date;
}

/** Appends `text` and flushes it to disk before returning: an export the journal records as done is on disk. */
function appendDurably(file: string, text: string) {
  const fd = openSync(file, "a", 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function localAuditLog({ dir, sign, now = () => new Date() }: AuditLogOptions): AuditSink & { readonly file: string } {
  const file = join(dir, AUDIT_LOG_FILE);
  const headFile = join(dir, AUDIT_HEAD_FILE);
  const refs = new Map<string, string>();
  let last: AuditLogEntry | null = null;
  /** The file's size after our last read or write: another size means someone else wrote, so read it again. */
  let knownSize = -1;

  function load() {
    refs.clear();
    last = null;
    if (!existsSync(file)) {
      knownSize = 0;
      return;
    }
    let text = readFileSync(file, "utf8");
    // A line without its newline is a write the process died in: it was never acknowledged, and the
    // retried export writes it again.
    const complete = text.lastIndexOf("\n") + 1;
    if (complete < text.length) {
      console.warn(`audit log ${file}: dropping an unfinished last line (${text.length - complete} bytes) left by a crash`);
      truncateSync(file, Buffer.byteLength(text.slice(0, complete)));
      text = text.slice(0, complete);
    }
    for (const line of text.split("\n")) {
      if (!line) continue;
      const entry = JSON.parse(line) as AuditLogEntry;
      refs.set(entry.idempotencyKey, anchorOf(entry));
      last = entry;
    }
    knownSize = Buffer.byteLength(text);
  }

  function append(idempotencyKey: string, findingId: string, record: Record<string, unknown>): string {
    if (knownSize < 0 || (existsSync(file) ? statSync(file).size : 0) !== knownSize) load();
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
    const line = `${JSON.stringify(entry)}\n`;
    appendDurably(file, line);
    knownSize += Buffer.byteLength(line);
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

  mkdirSync(dir, { recursive: true });
  return {
    file,
    async exportAuditRecord({ idempotencyKey, findingId, record }) {
      const anchor = append(idempotencyKey, findingId, record as Record<string, unknown>);
      return { system: "audit-log", id: anchor };
    },
  };
}
