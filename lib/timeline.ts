// Journal rows (sys_journal, sys_journal_events) → the console's timeline. Pure: no I/O.
// Journal v2 keeps a command and its completion in separate rows: a command's entry_lite_json names
// its completion ids, the notification row carries the same id, and the gap between their
// appended_at is the step's duration or the wait (timers, promises, calls).
import type { JournalEvent, TimelineEntry } from "@/lib/api/contracts";

export interface JournalRow {
  index: number;
  entry_type: string;
  /** The ctx.run / ctx.sleep name; "" or absent when unnamed. */
  name?: string | null;
  appended_at: string;
  entry_lite_json?: string | null;
}

export interface JournalEventRow {
  after_journal_entry_index?: number | null;
  appended_at: string;
  event_type: string;
  event_json?: string | null;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value);
const text = (value: unknown): string | null => (typeof value === "string" && value !== "" ? value : null);
const millis = (iso: string) => Date.parse(iso);

function parseJson(source: string | null | undefined): unknown {
  if (!source) return null;
  try {
    return JSON.parse(source);
  } catch {
    return null;
  }
}

/** The single variant of an externally tagged enum: {"Run": {...}} → ["Run", {...}]. */
function variant(value: unknown): [string, Json] | null {
  if (!isObject(value)) return null;
  const [tag, body] = Object.entries(value)[0] ?? [];
  if (!tag) return null;
  return [tag, isObject(body) ? body : {}];
}

/** "subAgents/fastExecutor", "RemediationWorkflow/cve-1/approve". */
export function formatTarget(target: unknown): string | null {
  const parts = variant(target);
  if (!parts) return null;
  const [, body] = parts;
  const name = text(body.name);
  const handler = text(body.handler);
  if (!name || !handler) return null;
  const key = text(body.key);
  return key ? `${name}/${key}/${handler}` : `${name}/${handler}`;
}

/** Restate's built-in signal 1 is "cancel": that is how a supervisor shuts a sub-agent down. */
const CANCEL_SIGNAL = 1;

function kindOf(command: string, body: Json): TimelineEntry["kind"] {
  switch (command) {
    case "Input":
      return "input";
    case "Output":
      return "output";
    case "Run":
      return "run";
    case "Call":
      return "call";
    case "OneWaySend":
      return "send";
    case "Sleep":
      return "sleep";
    case "GetPromise":
    case "PeekPromise":
    case "CompletePromise":
      return "promise";
    case "SendSignal":
      return isObject(body.signal_id) && body.signal_id.Index === CANCEL_SIGNAL ? "cancel" : "other";
  }
  return /State/.test(command) ? "state" : "other";
}

/** "Success", "Void", "InvocationId"... → "success"; "Failure" → "failure". */
function resultOf(value: unknown): string | null {
  if (value == null) return null;
  const tag = typeof value === "string" ? value : variant(value)?.[0];
  if (!tag) return null;
  return tag === "Failure" ? "failure" : "success";
}

interface Notification {
  row: JournalRow;
  kind: "completion" | "signal";
  id: number;
  result: string | null;
}

function asNotification(row: JournalRow, lite: unknown): Notification | null {
  if (!isObject(lite) || !isObject(lite.Notification)) return null;
  const notification = lite.Notification;
  const id = isObject(notification.id) ? (notification.id.CompletionId ?? notification.id.SignalIndex) : undefined;
  if (typeof id !== "number") return null;
  const kind = isObject(notification.id) && "SignalIndex" in notification.id ? "signal" : "completion";
  return { row, kind, id, result: resultOf(notification.result) };
}

/** The completion id a command's result arrives under (a call's result, not its invocation id), or null. */
export function commandResultCompletionId(entryLiteJson: string): number | null {
  const lite = parseJson(entryLiteJson);
  const command = isObject(lite) ? variant(lite.Command) : null;
  if (!command) return null;
  const [, body] = command;
  const id = typeof body.result_completion_id === "number" ? body.result_completion_id : body.completion_id;
  return typeof id === "number" ? id : null;
}

/** The invocation a call command started (journal v2 keeps it in the entry, not in `invoked_id`), or null. */
export function calledInvocationId(entryLiteJson: string): string | null {
  const lite = parseJson(entryLiteJson);
  const command = isObject(lite) ? variant(lite.Command) : null;
  if (!command || command[0] !== "Call") return null;
  return typeof command[1].invocation_id === "string" ? command[1].invocation_id : null;
}

/** The completion id a notification row completes, or null for signals and other rows. */
export function notificationCompletionId(entryLiteJson: string): number | null {
  const lite = parseJson(entryLiteJson);
  if (!isObject(lite) || !isObject(lite.Notification) || !isObject(lite.Notification.id)) return null;
  const id = lite.Notification.id.CompletionId;
  return typeof id === "number" ? id : null;
}

/** Orders the journal, folds each notification into its command and measures the gaps. */
export function toTimeline(rows: readonly JournalRow[]): TimelineEntry[] {
  const sorted = [...rows].sort((a, b) => a.index - b.index);
  const start = sorted.length ? millis(sorted[0]!.appended_at) : 0;
  const parsed = sorted.map((row) => ({ row, lite: parseJson(row.entry_lite_json) }));

  const completions = new Map<number, Notification>();
  const orphans: Notification[] = [];
  for (const { row, lite } of parsed) {
    const notification = asNotification(row, lite);
    if (!notification) continue;
    if (notification.kind === "completion") completions.set(notification.id, notification);
    else orphans.push(notification);
  }
  const used = new Set<number>();

  const entries: TimelineEntry[] = [];
  const base = (row: JournalRow) => ({
    index: row.index,
    entryType: row.entry_type,
    at: row.appended_at,
    offsetMs: millis(row.appended_at) - start,
  });

  for (const { row, lite } of parsed) {
    if (isObject(lite) && isObject(lite.Notification)) continue;
    const command = isObject(lite) ? variant(lite.Command) : null;
    if (!command) {
      // An entry this version of the console does not know: show it as is.
      entries.push({
        ...base(row),
        kind: "other",
        name: text(row.name),
        durationMs: null,
        completed: true,
        result: null,
        childInvocationId: null,
        childTarget: null,
        promiseName: null,
      });
      continue;
    }
    const [type, body] = command;
    const kind = kindOf(type, body);
    // A call's duration ends with its result, not with the early "invocation id" completion.
    const completionId = typeof body.result_completion_id === "number" ? body.result_completion_id : body.completion_id;
    if (typeof body.invocation_id_completion_id === "number") used.add(body.invocation_id_completion_id);
    const completion = typeof completionId === "number" ? completions.get(completionId) : undefined;
    if (typeof completionId === "number") used.add(completionId);
    const awaitsCompletion = typeof completionId === "number";

    const childTarget = formatTarget(body.invocation_target);
    const key = text(body.key);
    let name: string | null = text(body.name) ?? text(row.name);
    if (kind === "call" || kind === "send") name ??= childTarget;
    if (kind === "state" || kind === "promise") name ??= key;

    entries.push({
      ...base(row),
      kind,
      name,
      durationMs: completion ? millis(completion.row.appended_at) - millis(row.appended_at) : null,
      completed: awaitsCompletion ? completion !== undefined : true,
      result: completion ? completion.result : resultOf(body.result),
      childInvocationId: text(body.invocation_id) ?? text(body.target_invocation_id),
      childTarget,
      promiseName: kind === "promise" ? key : null,
    });
  }

  // Notifications no command asked for: a cancellation received, or a completion of an unknown command.
  const unclaimed = [...orphans, ...[...completions.values()].filter((notification) => !used.has(notification.id))];
  for (const notification of unclaimed) {
    const cancel = notification.kind === "signal" && notification.id === CANCEL_SIGNAL;
    entries.push({
      ...base(notification.row),
      kind: cancel ? "cancel" : "other",
      name: cancel ? "cancellation received" : null,
      durationMs: null,
      completed: true,
      result: notification.result,
      childInvocationId: null,
      childTarget: null,
      promiseName: null,
    });
  }
  return entries.sort((a, b) => a.index - b.index);
}

/** The engine's events: transient errors with their retry, pauses, and whatever a newer engine adds. */
export function toJournalEvents(rows: readonly JournalEventRow[]): JournalEvent[] {
  return [...rows]
    .sort((a, b) => millis(a.appended_at) - millis(b.appended_at))
    .map((row) => ({
      afterIndex: row.after_journal_entry_index ?? null,
      at: row.appended_at,
      type: row.event_type,
      message: eventMessage(row),
    }));
}

function eventMessage(row: JournalEventRow): string {
  const event = parseJson(row.event_json);
  if (!isObject(event)) return row.event_type;
  const message = text(event.error_message) ?? text(event.message);
  if (message) {
    const code = typeof event.error_code === "number" ? `[${event.error_code}] ` : "";
    const doc = text(event.restate_doc_error_code);
    const command = text(event.related_command_name);
    return `${code}${message}${command ? ` (in "${command}")` : ""}${doc ? ` ${doc}` : ""}`;
  }
  const { ty: _ty, ...rest } = event;
  return Object.keys(rest).length ? JSON.stringify(rest) : row.event_type;
}

/** Keys under which the engine stores payload bytes (as arrays of numbers) in entry_json. */
const PAYLOAD_KEYS = new Set(["parameter", "payload", "value", "Success", "result"]);

/**
 * Request headers whose values the journal view shows. Any other header is shown by name with its value
 * "[redacted]": credentials travel under endless names (x-auth-token, x-amz-security-token, a cloud's
 * own), so only headers known to carry none are shown. Chosen for what helps an operator read a run:
 * the payload's format and encoding, who sent it (user-agent), tracing ids, the idempotency key (an
 * id the caller picks to deduplicate, not a secret), and the ingress path Restate adds.
 */
const SHOWN_HEADERS = new Set([
  "accept",
  "accept-encoding",
  "accept-language",
  "content-encoding",
  "content-length",
  "content-type",
  "idempotency-key",
  "traceparent",
  "tracestate",
  "user-agent",
]);
/** Restate's own request metadata (x-restate-ingress-path, …), unless the name suggests a credential. */
const RESTATE_HEADER = /^x-restate-/;
const CREDENTIAL_WORDS = /auth|token|key|secret|signature|session|cookie|password|jwt|credential/;

/** Whether a journaled header's value may be shown; `alwaysHidden` wins (the console's own ingress headers). */
export function isShownHeader(name: string, alwaysHidden: ReadonlySet<string> = new Set()): boolean {
  const lower = name.toLowerCase();
  if (alwaysHidden.has(lower)) return false;
  if (SHOWN_HEADERS.has(lower)) return true;
  return RESTATE_HEADER.test(lower) && !CREDENTIAL_WORDS.test(lower);
}

function isByteArray(value: unknown): value is number[] {
  return Array.isArray(value) && value.every((item) => Number.isInteger(item) && item >= 0 && item <= 255);
}

function decodePayload(bytes: number[]): unknown {
  let decoded: string;
  try {
    decoded = new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bytes));
  } catch {
    return { bytes: bytes.length, encoding: "binary" };
  }
  try {
    return JSON.parse(decoded);
  } catch {
    return decoded;
  }
}

/**
 * A full journal entry (entry_json) made readable: payload bytes decoded (JSON when they are JSON),
 * and every header value not on the allowlist (isShownHeader) redacted, the console's own ingress
 * headers (`redactHeaders`) always.
 */
export function readableEntry(entryJson: string, redactHeaders: readonly string[] = []): unknown {
  const alwaysHidden = new Set(redactHeaders.map((name) => name.toLowerCase()));
  const walk = (value: unknown, key: string | null): unknown => {
    if (key !== null && PAYLOAD_KEYS.has(key) && isByteArray(value)) return decodePayload(value);
    if (key === "headers" && Array.isArray(value)) {
      return value.map((header) =>
        isObject(header) && typeof header.name === "string" && isShownHeader(header.name, alwaysHidden)
          ? header
          : isObject(header)
            ? { ...header, value: "[redacted]" }
            : "[redacted]",
      );
    }
    if (Array.isArray(value)) return value.map((item) => walk(item, null));
    if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, k)]));
    return value;
  };
  return walk(parseJson(entryJson), null);
}
