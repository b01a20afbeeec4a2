// The change feed's bookkeeping, as plain values: which invocations changed between two reads of the
// engine, the log of recent events that reconnecting browsers replay, and what a reconnect gets.
import type { LiveEvent } from "@/lib/api/live-events";

/** One invocation as the feed reads it each tick (sys_invocation_status). */
export interface WatchedInvocationRow {
  id: string;
  status: string;
  journal_size: number | null;
  modified_at: string | null;
}

/** What has to differ for an invocation to count as changed: its status, its journal's length, its last modification. */
export function fingerprint(row: WatchedInvocationRow): string {
  return `${row.status}|${row.journal_size ?? ""}|${row.modified_at ?? ""}`;
}

/**
 * The rows whose fingerprint differs from the previous read (new ones included), and the fingerprints
 * to compare the next read with. The first read (no previous) is the baseline: nothing changed yet.
 */
export function diffInvocations<Row extends WatchedInvocationRow>(
  previous: ReadonlyMap<string, string> | null,
  rows: readonly Row[],
): { changed: Row[]; next: Map<string, string> } {
  const next = new Map(rows.map((row) => [row.id, fingerprint(row)]));
  if (!previous) return { changed: [], next };
  return { changed: rows.filter((row) => previous.get(row.id) !== next.get(row.id)), next };
}

export interface LoggedEvent {
  seq: number;
  /** Epoch milliseconds when the feed logged it. */
  at: number;
  event: LiveEvent;
}

/** An event id on the wire: the feed's id (one per console process start) and the event's number. */
export function formatEventId(feed: string, seq: number): string {
  return `${feed}.${seq}`;
}

export function parseEventId(id: string | null | undefined): { feed: string; seq: number } | null {
  const match = /^([A-Za-z0-9_-]{1,32})\.(\d{1,15})$/.exec(id ?? "");
  return match ? { feed: match[1]!, seq: Number(match[2]) } : null;
}

/** The last events, kept for a while so that a browser that lost its stream can catch up. */
export class EventLog {
  private events: LoggedEvent[] = [];
  private last = 0;
  /** Events after this number were all logged since the feed last started reading (older ones may miss changes). */
  private continuousFrom = 0;

  constructor(
    readonly capacity: number,
    readonly maxAgeMs: number,
  ) {}

  get lastSeq(): number {
    return this.last;
  }

  append(event: LiveEvent, now: number): LoggedEvent {
    const logged = { seq: ++this.last, at: now, event };
    this.events.push(logged);
    this.trim(now);
    return logged;
  }

  /** The feed stopped reading for a while: nobody can resume across that gap. */
  breakContinuity(): void {
    this.continuousFrom = this.last;
    this.events = [];
  }

  /** Every event after `seq`, or null when some of them are no longer known (too old, or a gap in the feed's reading). */
  after(seq: number, now: number): LoggedEvent[] | null {
    this.trim(now);
    if (seq > this.last || seq < this.continuousFrom) return null;
    const oldest = this.events[0]?.seq ?? this.last + 1;
    if (oldest > seq + 1) return null;
    return this.events.filter((logged) => logged.seq > seq);
  }

  private trim(now: number): void {
    let drop = Math.max(0, this.events.length - this.capacity);
    while (drop < this.events.length && now - this.events[drop]!.at > this.maxAgeMs) drop++;
    if (drop > 0) this.events = this.events.slice(drop);
  }
}

/** A run page's or journal's topic, as the feed keys them. */
export type Topic = `finding:${string}` | `journal:${string}`;

/** The topic an event is about; null for the events every stream gets (runs, the inbox). */
export function topicOf(event: LiveEvent): Topic | null {
  if (event.kind === "detail") return `finding:${event.payload.findingId}`;
  if (event.kind === "journal") return `journal:${event.payload.invocationId}`;
  return null;
}

export type ResumePlan = { kind: "fresh" } | { kind: "reset" } | { kind: "replay"; events: LoggedEvent[]; stale: Topic[] };

/**
 * What a stream that reconnects with `since` (its last event id) gets: the events it missed, when this
 * feed logged all of them; else a reset (ask for everything again). Events about a watched run or journal
 * exist only while someone watches it: a topic nobody watched for part of the gap is named stale.
 */
export function planResume(
  since: string | undefined,
  feed: { id: string; log: EventLog; watchedSince: (topic: Topic) => number | undefined },
  topics: readonly Topic[],
  now: number,
): ResumePlan {
  if (!since) return { kind: "fresh" };
  const parsed = parseEventId(since);
  if (!parsed || parsed.feed !== feed.id) return { kind: "reset" };
  const events = feed.log.after(parsed.seq, now);
  if (!events) return { kind: "reset" };
  const stale = topics.filter((topic) => {
    const from = feed.watchedSince(topic);
    return from === undefined || from > parsed.seq;
  });
  return { kind: "replay", events, stale };
}
