// The journal of any invocation (the workflow's or a sub-agent's), read from the admin API: three
// queries by invocation id, which the engine answers from that invocation's partition alone.
import "server-only";
import type { JournalEntryDetail, JournalTimeline } from "@/lib/api/contracts";
import { toInvocationSummary, type InvocationRow } from "@/lib/invocation-summary";
import {
  commandResultCompletionId,
  notificationCompletionId,
  readableEntry,
  toJournalEvents,
  toTimeline,
  type JournalEventRow,
  type JournalRow,
} from "@/lib/timeline";
import { adminQuery, lit, sql } from "./admin-sql";
import { serverEnv } from "./env";
import { notFound } from "./errors";
import { INVOCATION_COLUMNS } from "./findings";
import type { Operator } from "./auth/session";

async function invocationRow(invocationId: string): Promise<InvocationRow> {
  const [row] = await adminQuery<InvocationRow>(sql`SELECT ${INVOCATION_COLUMNS} FROM sys_invocation WHERE id = ${lit.invocationId(invocationId)}`);
  if (!row) throw notFound(`No invocation ${invocationId}: it never existed, or its record is past retention.`);
  return row;
}

export async function getJournalTimeline(invocationId: string): Promise<JournalTimeline> {
  const id = lit.invocationId(invocationId);
  const [invocation, entries, events] = await Promise.all([
    invocationRow(invocationId),
    adminQuery<JournalRow>(sql`SELECT index, entry_type, name, appended_at, entry_lite_json FROM sys_journal WHERE id = ${id} ORDER BY index`),
    adminQuery<JournalEventRow>(
      sql`SELECT after_journal_entry_index, appended_at, event_type, event_json FROM sys_journal_events WHERE id = ${id} ORDER BY appended_at`,
    ),
  ]);
  return { invocation: toInvocationSummary(invocation), entries: toTimeline(entries), events: toJournalEvents(events) };
}

type EntryRow = { index: number; entry_type: string; entry_json: string; entry_lite_json: string };

/** Fields of a signed claim (a sign-off or submitter signature and its nonce) that only admins are shown. */
const CLAIM_SECRET_FIELDS = new Set(["signature", "nonce"]);
export const REDACTED_CLAIM = "[redacted: signed claims are shown to admins only]";

/**
 * A sign-off's signed body (signature, nonce) lets whoever holds it try to replay it; viewers,
 * submitters and approvers never need it, so they see the decision without them.
 */
export function withoutClaimSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutClaimSecrets);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, field]) =>
        CLAIM_SECRET_FIELDS.has(key) && typeof field === "string" ? [key, REDACTED_CLAIM] : [key, withoutClaimSecrets(field)],
      ),
    );
  }
  return value;
}

/** One entry in full and, for a command, the notification that completed it (its result). */
export async function getJournalEntry(invocationId: string, index: number, operator: Operator): Promise<JournalEntryDetail> {
  const id = lit.invocationId(invocationId);
  const [row] = await adminQuery<EntryRow>(
    sql`SELECT index, entry_type, entry_json, entry_lite_json FROM sys_journal WHERE id = ${id} AND index = ${lit.integer(index)}`,
  );
  if (!row) {
    await invocationRow(invocationId); // 404 for the invocation itself when that is what is missing
    throw notFound(`Invocation ${invocationId} has no journal entry ${index}.`);
  }
  // The console's own ingress headers (credentials for a proxied cluster) are journaled with every run.
  const redact = Object.keys(serverEnv().RESTATE_INGRESS_HEADERS);
  const shown = (entryJson: string) => {
    const entry = readableEntry(entryJson, redact);
    return operator.roles.includes("admin") ? entry : withoutClaimSecrets(entry);
  };
  const completionId = commandResultCompletionId(row.entry_lite_json);
  let completion: JournalEntryDetail["completion"] = null;
  if (completionId !== null) {
    const notifications = await adminQuery<EntryRow>(
      sql`SELECT index, entry_type, entry_json, entry_lite_json FROM sys_journal WHERE id = ${id} AND index > ${lit.integer(index)} AND entry_type LIKE 'Notification%' ORDER BY index`,
    );
    const done = notifications.find((notification) => notificationCompletionId(notification.entry_lite_json) === completionId);
    if (done) completion = { index: done.index, entryType: done.entry_type, entry: shown(done.entry_json) };
  }
  return { index: row.index, entryType: row.entry_type, entry: shown(row.entry_json), completion };
}
