// One change feed per console process: a single reader asks the engine what changed since its last
// read, twice a second, whoever and however many are watching, and hands the changes to every open
// stream (GET /api/events). It reads only while someone watches (and a little after, so a quick
// reconnect can resume). Several console processes each run their own; they need no coordination.
import "server-only";
import { randomBytes } from "node:crypto";
import type { LiveEvent } from "@/lib/api/live-events";
import type { RunPageRow } from "@/lib/finding-summary";
import { adminQuery, lit, sql } from "./admin-sql";
import type { Operator } from "./auth/session";
import { diffInvocations, EventLog, topicOf, type LoggedEvent, type Topic, type WatchedInvocationRow } from "./change-log";
import { ApiRouteError } from "./errors";
import { countWaitingForSignoff, getFindingDetail, listApprovalInbox, summarizeRuns } from "./findings";
import { getJournalTimeline } from "./journal";

/** Between the end of one read and the start of the next: a change reaches browsers within about this plus a read. */
export const FEED_TICK_MS = 500;
/** How long the feed keeps reading, and keeps watching a run, after its last stream closed. */
const LINGER_MS = 30_000;
/** Finished invocations are read again while modified within this much before the newest change seen (clock skew, late commits). */
const MODIFIED_MARGIN_MS = 10_000;
const LOG_CAPACITY = 2_000;
const LOG_MAX_AGE_MS = 5 * 60_000;

interface FeedRow extends WatchedInvocationRow {
  partition_key: string;
  service: string;
  handler: string;
  finding_id: string;
  created_at: string;
  completed_at: string | null;
}

/**
 * The run page's detail is built once per change for every stream watching it, as an admin sees it;
 * each stream then gets its role's view of it (lib/server/event-stream.ts).
 */
const FEED_READER: Operator = { username: "console-change-feed", name: "Console change feed", roles: ["admin"], groups: [], via: "token" };

export interface Subscriber {
  topics: readonly Topic[];
  deliver(logged: LoggedEvent): void;
  /** Closes the stream (the feed is going away, as in a restart). */
  end(): void;
}

interface TopicWatch {
  count: number;
  /** The last event number before the feed began watching it: events after it are complete for this topic. */
  since: number;
  linger?: ReturnType<typeof setTimeout>;
}

export class ChangeFeed {
  /** Names this feed in event ids: a different process, or this one restarted, cannot be resumed from. */
  readonly id = randomBytes(6).toString("base64url");
  readonly log = new EventLog(LOG_CAPACITY, LOG_MAX_AGE_MS);
  private readonly subscribers = new Set<Subscriber>();
  private readonly topics = new Map<Topic, TopicWatch>();
  private runs: Map<string, string> | null = null;
  private journals = new Map<string, string>();
  /** The latest modification the feed has read (engine time, epoch ms). */
  private newestModified: number | null = null;
  /** The stage each summarized run had, to tell when one arrived at or left the gate. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopTimer: ReturnType<typeof setTimeout> | undefined;
  private reading = false;
  private stopped = false;

  subscribe(subscriber: Subscriber): () => void {
    this.subscribers.add(subscriber);
    for (const topic of subscriber.topics) this.watch(topic);
    clearTimeout(this.stopTimer);
    this.stopTimer = undefined;
    if (!this.reading) this.start();
    return () => {
      if (!this.subscribers.delete(subscriber)) return;
      for (const topic of subscriber.topics) this.unwatch(topic);
      if (this.subscribers.size === 0 && !this.stopped) {
        this.stopTimer = setTimeout(() => this.pause(), LINGER_MS);
        this.stopTimer.unref?.();
      }
    };
  }

  get subscriberCount(): number {
    return this.subscribers.size;
  }

  watchedSince(topic: Topic): number | undefined {
    return this.topics.get(topic)?.since;
  }

  /** Stops reading for good (tests, and a feed replaced by a new one). */
  close(): void {
    this.stopped = true;
    this.pause();
    for (const watch of this.topics.values()) clearTimeout(watch.linger);
    this.topics.clear();
    const subscribers = [...this.subscribers];
    this.subscribers.clear();
    for (const subscriber of subscribers) subscriber.end();
  }

  private watch(topic: Topic): void {
    const watch = this.topics.get(topic);
    if (watch) {
      watch.count++;
      clearTimeout(watch.linger);
      watch.linger = undefined;
    } else {
      this.topics.set(topic, { count: 1, since: this.log.lastSeq });
    }
  }

  private unwatch(topic: Topic): void {
    const watch = this.topics.get(topic);
    if (!watch || --watch.count > 0) return;
    watch.linger = setTimeout(() => {
      if (this.topics.get(topic)?.count === 0) this.topics.delete(topic);
    }, LINGER_MS);
    watch.linger.unref?.();
  }

  private isWatched(topic: Topic): boolean {
    return this.topics.has(topic);
  }

  private start(): void {
    if (this.stopped) return;
    this.reading = true;
    this.schedule(0);
  }

  /** Nobody watched for a while: stop reading; what happens meanwhile is not logged, so nobody resumes across it. */
  private pause(): void {
    clearTimeout(this.timer);
    clearTimeout(this.stopTimer);
    this.timer = undefined;
    this.stopTimer = undefined;
    this.reading = false;
    this.runs = null;
    this.journals = new Map();
    this.newestModified = null;
    this.log.breakContinuity();
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      const started = Date.now();
      void this.tick()
        .catch((error: unknown) => {
          // The next read compares with the last good one, so a failed read loses no change.
          const cause = error instanceof ApiRouteError ? error.message : error;
          console.warn("[change feed] reading the engine failed", cause);
        })
        .finally(() => {
          if (this.reading) this.schedule(Math.max(0, FEED_TICK_MS - (Date.now() - started)));
        });
    }, delayMs);
    this.timer.unref?.();
  }

  private publish(event: LiveEvent): void {
    const logged = this.log.append(event, Date.now());
    const topic = topicOf(event);
    for (const subscriber of this.subscribers) {
      if (topic && !subscriber.topics.includes(topic)) continue;
      subscriber.deliver(logged);
    }
  }

  /** One read of the engine: a constant number of admin queries, plus one build per changed run or journal someone watches. */
  async tick(): Promise<void> {
    this.newestModified ??= Date.now();
    const since = new Date(this.newestModified - MODIFIED_MARGIN_MS).toISOString();
    const watchedJournals = [...this.topics.keys()].flatMap((topic) => (topic.startsWith("journal:") ? [topic.slice("journal:".length)] : []));
    const journalsRead = watchedJournals.length > 0 ? sql` OR id IN (${lit.list(watchedJournals.map((id) => lit.invocationId(id)))})` : sql``;
    // Live runs always, anything of a run's (the run, its sign-off calls, its sign-off trail) modified lately, and the watched journals' invocations.
    const read = await adminQuery<FeedRow>(sql`
      SELECT id, CAST(partition_key AS VARCHAR) AS partition_key, target_service_name AS service, target_handler_name AS handler,
        target_service_key AS finding_id, status, journal_size, created_at, completed_at, modified_at
      FROM sys_invocation_status
      WHERE (target_service_name = 'RemediationWorkflow' AND target_handler_name = 'run' AND status <> 'completed')
         OR (target_service_name IN ('RemediationWorkflow', 'SignoffAttempts') AND modified_at >= ${lit.timestamp(since)})${journalsRead}`);
    const rows = read.filter((row) => row.service === "RemediationWorkflow" || row.service === "SignoffAttempts");
    const journalRows = read.filter((row) => watchedJournals.includes(row.id));
    const { changed, next } = diffInvocations(this.runs, rows);
    this.runs = next;
    for (const row of rows) if (row.modified_at) this.newestModified = Math.max(this.newestModified, Date.parse(row.modified_at));
    const journals = diffInvocations(this.journals, journalRows);
    this.journals = journals.next;
    const changedJournals = journals.changed.map((row) => row.id);

    const changedFindings = [...new Set(changed.map((row) => row.finding_id))];
    // Watched run pages first: they are what someone is looking at.
    for (const findingId of changedFindings) {
      if (!this.isWatched(`finding:${findingId}`)) continue;
      const detail = await getFindingDetail(findingId, FEED_READER).catch((error: unknown) => {
        // A run that has not recorded its finding yet has no page: the next change will.
        if (error instanceof ApiRouteError && error.code === "not_found") return null;
        throw error;
      });
      if (detail) this.publish({ kind: "detail", payload: { findingId, detail } });
    }
    if (changedFindings.length > 0) await this.publishRuns(rows, changedFindings);
    for (const invocationId of changedJournals) {
      const timeline = await getJournalTimeline(invocationId).catch((error: unknown) => {
        if (error instanceof ApiRouteError && error.code === "not_found") return null;
        throw error;
      });
      if (timeline) this.publish({ kind: "journal", payload: { invocationId, timeline } });
    }
  }

  private async publishRuns(rows: readonly FeedRow[], changedFindings: readonly string[]): Promise<void> {
    const runOf = new Map<string, RunPageRow>();
    for (const row of rows) {
      if (row.service !== "RemediationWorkflow" || row.handler !== "run" || !changedFindings.includes(row.finding_id)) continue;
      const known = runOf.get(row.finding_id);
      if (!known || row.created_at > known.created_at) runOf.set(row.finding_id, row);
    }
    const [summaries, waiting] = await Promise.all([summarizeRuns([...runOf.values()]), countWaitingForSignoff()]);
    this.publish({ kind: "runs", payload: { runs: summaries, waitingForSignoff: waiting } });

    // The inbox is read again and sent whenever a run changed: whether a run arrived at or left the gate
    // cannot be told from what this feed saw (a browser's first read may be newer than the feed's last),
    // so every change brings the inbox as it is now. One read per tick with changes, however many viewers.
    this.publish({ kind: "approvals", payload: { items: await listApprovalInbox() } });
  }
}

const FEED_KEY = Symbol.for("remediation-console.change-feed");
const holder = globalThis as typeof globalThis & { [FEED_KEY]?: ChangeFeed };

/** The process's feed, made on first use. */
export function changeFeed(): ChangeFeed {
  holder[FEED_KEY] ??= new ChangeFeed();
  return holder[FEED_KEY];
}

/** Replaces the feed by a new one, as a console restart does (tests). */
export function restartChangeFeedForTests(): void {
  holder[FEED_KEY]?.close();
  holder[FEED_KEY] = new ChangeFeed();
}
