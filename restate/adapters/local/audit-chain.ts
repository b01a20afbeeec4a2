// The audit log's chain, as plain functions both the writer (audit-log.ts) and the offline check
// (`npm run audit -- verify`) use: each entry carries its number, the hash of the entry before it and
// the services' signature over the rest, so a changed, removed, inserted or moved entry shows.
import { createHash, type KeyObject } from "node:crypto";
import { z } from "zod";
import { canonicalJson, verifyRecord } from "../../identity/record-signatures";

export const AUDIT_LOG_FILE = "audit-log.jsonl";
/** Beside the log: the number and hash of its last entry, signed, so removing entries at the end shows. */
export const AUDIT_HEAD_FILE = "audit-log.head.json";

const SHA256 = /^sha256:[0-9a-f]{64}$/;

export const AuditLogEntrySchema = z
  .object({
    /** 1 for the first entry, one more for each after it: a gap or repeat is a removed or moved entry. */
    seq: z.number().int().min(1),
    at: z.string(),
    findingId: z.string(),
    idempotencyKey: z.string(),
    /** The audit record as the workflow exported it (with its own `attestation`). */
    record: z.record(z.string(), z.unknown()),
    /** `sha256:` of the canonical JSON of the entry before, signature included; null for the first. */
    previous: z.string().regex(SHA256).nullable(),
    /** The services' ed25519 signature over the entry without this field; absent when they had no key. */
    signature: z.string().optional(),
  })
  .strict();
export type AuditLogEntry = z.infer<typeof AuditLogEntrySchema>;

export const AuditHeadSchema = z
  .object({ seq: z.number().int().min(0), hash: z.string().regex(SHA256).nullable(), at: z.string(), signature: z.string().optional() })
  .strict();
export type AuditHead = z.infer<typeof AuditHeadSchema>;

export const entryHash = (entry: AuditLogEntry): string => `sha256:${createHash("sha256").update(canonicalJson(entry)).digest("hex")}`;

/** What the services sign for an entry: all of it but the signature. */
export const unsignedEntry = ({ signature: _signature, ...entry }: AuditLogEntry) => entry;
export const unsignedHead = ({ signature: _signature, ...head }: AuditHead) => head;

/** The id of the head record in signatures (the head belongs to no finding). */
export const HEAD_SUBJECT = "audit-log";

/** How a run's audit record is referred to (its run state keeps it): `<seq>:<entry hash>`, an anchor for `verify --anchor`. */
export const anchorOf = (entry: AuditLogEntry) => `${entry.seq}:${entryHash(entry)}`;

export interface ChainProblem {
  /** 1-based line of the log. */
  line: number;
  findingId: string | null;
  problem: string;
}

export interface ChainReport {
  verified: number;
  problem: ChainProblem | null;
}

/**
 * Walks the log from its first line and stops at the first entry that does not check out. `head`
 * (the head file) and `anchor` (`<seq>:<hash>` kept elsewhere) each name an entry the log must still
 * hold, which is what shows entries removed from its end.
 */
export function verifyChain(text: string, key: KeyObject, options: { head?: AuditHead | null; anchor?: string } = {}): ChainReport {
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const hashes: string[] = [];
  let previous: string | null = null;
  for (const [index, line] of lines.entries()) {
    const number = index + 1;
    const fail = (findingId: string | null, problem: string): ChainReport => ({ verified: index, problem: { line: number, findingId, problem } });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return fail(null, "not JSON (a cut or edited line)");
    }
    const parsed = AuditLogEntrySchema.safeParse(json);
    if (!parsed.success) {
      const findingId = typeof (json as { findingId?: unknown })?.findingId === "string" ? (json as { findingId: string }).findingId : null;
      return fail(findingId, `not an audit log entry: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "entry"} ${issue.message}`).join("; ")}`);
    }
    const entry = parsed.data;
    if (entry.seq !== number) {
      return fail(
        entry.findingId,
        entry.seq > number
          ? `holds entry #${entry.seq} where #${number} belongs: entry #${number} was removed, or entries were moved`
          : `holds entry #${entry.seq} where #${number} belongs: entries were moved or repeated`,
      );
    }
    if (entry.previous !== previous) {
      return fail(entry.findingId, `its previous-entry hash does not match entry #${number - 1} (an entry before it was changed, removed or moved)`);
    }
    if (!entry.signature) return fail(entry.findingId, "carries no signature (the services had no RECORD_SIGNING_KEY_FILE)");
    if (!verifyRecord(key, "audit-log-entry", entry.findingId, unsignedEntry(entry), entry.signature)) {
      return fail(entry.findingId, "its signature does not match its content (changed after it was written, or not written by our services)");
    }
    const { attestation, ...content } = entry.record;
    if (typeof attestation !== "string" || !verifyRecord(key, "audit-record", entry.findingId, content, attestation)) {
      return fail(entry.findingId, "the audit record's own signature does not match its content");
    }
    previous = entryHash(entry);
    hashes.push(previous);
  }
  const count = hashes.length;
  /** A problem with the log as a whole, named at the line it concerns (past the end when entries are missing). */
  const end = (problem: string, line = count + 1): ChainReport => ({ verified: count, problem: { line, findingId: null, problem } });
  const { head, anchor } = options;
  if (head) {
    if (!head.signature || !verifyRecord(key, "audit-log-head", HEAD_SUBJECT, unsignedHead(head), head.signature)) {
      return end(`the head file's signature does not match (it names entry #${head.seq})`);
    }
    if (head.seq > count) return end(`the log ends at entry #${count} but its head names entry #${head.seq}: entries were removed from the end`);
    if (head.seq > 0 && hashes[head.seq - 1] !== head.hash) return end(`entry #${head.seq} is not the one the head file names`, head.seq);
  }
  if (anchor) {
    const match = /^(\d+):(sha256:[0-9a-f]{64})$/.exec(anchor.trim());
    if (!match) return end(`the anchor "${anchor}" is not <seq>:sha256:<64 hex>`);
    const seq = Number(match[1]);
    if (seq > count) return end(`the log ends at entry #${count} but the anchor names entry #${seq}: entries were removed from the end`);
    if (hashes[seq - 1] !== match[2]) return end(`entry #${seq} is not the one the anchor names`, seq);
  }
  return { verified: count, problem: null };
}
