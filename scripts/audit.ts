// `npm run audit -- verify [FILE]`: re-checks exported audit records offline, with nothing but the
// services' public record key. FILE is the audit sink's JSONL (default: the embedded ledger,
// .data/outside-world.jsonl) or one JSON record. The key comes from RECORD_VERIFY_KEY, else from
// .data/record-verify-key (written by npm start). Exits 1 when any record does not verify.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { KeyObject } from "node:crypto";
import { parseRecordVerifyKey, verifyRecord } from "../restate/identity/record-signatures";
import { projectRoot } from "./stack";

export interface AuditCheck {
  findingId: string;
  outcome: string;
  ok: boolean;
  why?: string;
}

/** Audit records in a JSONL ledger (lines with action "export-audit-record") or a single JSON record. */
export function auditRecordsIn(text: string): { findingId: string; record: Record<string, unknown> }[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") && !trimmed.includes("\n")) {
    const single = JSON.parse(trimmed) as Record<string, unknown>;
    if (!("action" in single)) {
      const identity = single.identity as { findingId?: string } | undefined;
      return [{ findingId: identity?.findingId ?? "", record: single }];
    }
  }
  return trimmed
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as { action?: string; duplicate?: boolean; findingId?: string; detail?: unknown })
    .filter((entry) => entry.action === "export-audit-record" && !entry.duplicate)
    .map((entry) => ({ findingId: entry.findingId ?? "", record: entry.detail as Record<string, unknown> }));
}

export function verifyAuditRecords(key: KeyObject, records: { findingId: string; record: Record<string, unknown> }[]): AuditCheck[] {
  return records.map(({ findingId, record }) => {
    const { attestation, ...content } = record;
    const outcome = String(content.outcome ?? "?");
    if (typeof attestation !== "string") return { findingId, outcome, ok: false, why: "carries no services signature" };
    const ok = verifyRecord(key, "audit-record", findingId, content, attestation);
    return ok
      ? { findingId, outcome, ok }
      : { findingId, outcome, ok, why: "signature does not match its content (changed after export, or not made by our services)" };
  });
}

function main(argv: string[]) {
  const [command, file = join(projectRoot, ".data", "outside-world.jsonl")] = argv;
  if (command !== "verify") {
    console.error("usage: npm run audit -- verify [FILE]");
    process.exit(2);
  }
  const keyFile = join(projectRoot, ".data", "record-verify-key");
  const keyText = process.env.RECORD_VERIFY_KEY ?? (existsSync(keyFile) ? readFileSync(keyFile, "utf8").trim() : "");
  if (!keyText) {
    console.error("No public key: set RECORD_VERIFY_KEY (ed25519:…) or run npm start once to write .data/record-verify-key.");
    process.exit(2);
  }
  let key: KeyObject;
  try {
    key = parseRecordVerifyKey(keyText);
  } catch (error) {
    console.error(`RECORD_VERIFY_KEY ${error instanceof Error ? error.message : String(error)}`);
    process.exit(2);
  }
  if (!existsSync(file)) {
    console.error(`No such file: ${file}`);
    process.exit(2);
  }
  const checks = verifyAuditRecords(key, auditRecordsIn(readFileSync(file, "utf8")));
  for (const check of checks) console.log(`${check.ok ? "ok  " : "FAIL"}  ${check.findingId}  ${check.outcome}${check.why ? `  — ${check.why}` : ""}`);
  const bad = checks.filter((check) => !check.ok).length;
  console.log(`${checks.length} audit records, ${checks.length - bad} verified, ${bad} failed`);
  process.exit(bad ? 1 : 0);
}

if (process.argv[1]?.endsWith("audit.ts")) main(process.argv.slice(2));
