// `npm run audit -- verify [FILE] [--anchor SEQ:HASH]`: re-checks exported audit records offline, with
// nothing but the services' public record key. FILE is the embedded audit sink's log (default:
// .data/outside/audit-log.jsonl, or audit-log.jsonl under OUTSIDE_WORLD_DIR): its chain, every entry's
// signature and the head file beside it; or the stubbed sink's ledger (.data/outside-world.jsonl), or
// one JSON record. The key comes from RECORD_VERIFY_KEY, else from .data/record-verify-key (written by
// npm start). Exits 1 when anything does not verify, naming the first entry that does not.
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { KeyObject } from "node:crypto";
import { AUDIT_HEAD_FILE, AUDIT_LOG_FILE, AuditHeadSchema, verifyChain, type AuditHead } from "../restate/adapters/local/audit-chain";
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

/** True for the embedded sink's chained log (its lines carry `seq` and `previous`). */
export function isChainedLog(text: string): boolean {
  const first = text.split("\n").find((line) => line.trim());
  if (!first) return text.length === 0;
  try {
    const entry = JSON.parse(first) as Record<string, unknown>;
    return "seq" in entry && "previous" in entry;
  } catch {
    return true;
  }
}

/** Prints the chain's report; returns the exit code. */
export function verifyLogFile(file: string, key: KeyObject, anchor?: string): number {
  const headFile = join(dirname(file), AUDIT_HEAD_FILE);
  let head: AuditHead | null = null;
  if (existsSync(headFile)) {
    const parsed = AuditHeadSchema.safeParse(JSON.parse(readFileSync(headFile, "utf8")));
    if (!parsed.success) {
      console.log(`FAIL  ${headFile} is not an audit log head`);
      return 1;
    }
    head = parsed.data;
  }
  const report = verifyChain(readFileSync(file, "utf8"), key, { head, anchor });
  if (report.problem) {
    const { line, findingId, problem } = report.problem;
    console.log(`FAIL  ${file} line ${line}${findingId ? ` (finding ${findingId})` : ""}: ${problem}`);
    console.log(`${report.verified} entries verified before it`);
    return 1;
  }
  const against = [head ? `head #${head.seq}` : "no head file", anchor ? `anchor #${anchor.split(":")[0]}` : null].filter(Boolean).join(", ");
  console.log(`${report.verified} audit log entries verified: chain and signatures (${against})`);
  return 0;
}

function main(argv: string[]) {
  const anchorAt = argv.indexOf("--anchor");
  const anchor = anchorAt >= 0 ? argv[anchorAt + 1] : undefined;
  const [command, fileArgument] = argv.filter((_, index) => anchorAt < 0 || (index !== anchorAt && index !== anchorAt + 1));
  const file = fileArgument ?? join(process.env.OUTSIDE_WORLD_DIR ?? join(projectRoot, ".data", "outside"), AUDIT_LOG_FILE);
  if (command !== "verify" || (anchorAt >= 0 && !anchor)) {
    console.error("usage: npm run audit -- verify [FILE] [--anchor SEQ:HASH]");
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
  const text = readFileSync(file, "utf8");
  if (isChainedLog(text)) process.exit(verifyLogFile(file, key, anchor));
  if (anchor) {
    console.error("--anchor applies to the embedded audit log only");
    process.exit(2);
  }
  const checks = verifyAuditRecords(key, auditRecordsIn(text));
  for (const check of checks) console.log(`${check.ok ? "ok  " : "FAIL"}  ${check.findingId}  ${check.outcome}${check.why ? `  — ${check.why}` : ""}`);
  const bad = checks.filter((check) => !check.ok).length;
  console.log(`${checks.length} audit records, ${checks.length - bad} verified, ${bad} failed`);
  process.exit(bad ? 1 : 0);
}

if (process.argv[1]?.endsWith("audit.ts")) main(process.argv.slice(2));
