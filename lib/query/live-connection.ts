// This tab's one connection to the console's change feed (GET /api/events): every change it carries
// goes straight into the query cache (the exact keys it is about), so pages stop asking while it is
// open. Cut, it comes back with growing pauses and the pages poll meanwhile; a hidden tab closes it
// and resumes from its last event id when shown again. Components reach it through live-stream.ts.
import type { FindingListResponse } from "@/lib/api/contracts";
// Types only: the schemas (and zod) load with the first event, as the API client's do.
import type { LIVE_EVENT_SCHEMAS, LiveEventKind } from "@/lib/api/live-events";
import type { QueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import { isSigningOut } from "./api-client";
import { applyRunChanges } from "./live-cache";
import { isLiveQuery, setLiveStreamState, type LiveStreamState } from "./live-state";
import type { LiveInterest } from "./live-stream";
import { queryKeys, type FindingListFilters } from "./queries";

/** A stream that has not said hello by then is taken as cut (a proxy holding it back, say): the pages poll. */
const HELLO_TIMEOUT_MS = 5_000;
const FIRST_RETRY_MS = 1_000;
const LONGEST_RETRY_MS = 30_000;
/** The route refuses more; the most recently opened win. */
const MAX_JOURNALS = 10;

const LIVE_EVENT_KINDS: readonly LiveEventKind[] = ["runs", "approvals", "detail", "journal"];

type Schemas = typeof import("@/lib/api/live-events");
let schemas: Promise<Schemas> | undefined;

export class LiveStream {
  private readonly interests = new Map<number, LiveInterest>();
  private nextInterest = 0;
  private source: EventSource | null = null;
  private url = "";
  private lastEventId: string | undefined;
  private failures = 0;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private applying: Promise<void> = Promise.resolve();
  private visibilityBound = false;

  constructor(private readonly queryClient: QueryClient) {}

  register(interest: LiveInterest): () => void {
    const id = this.nextInterest++;
    this.interests.set(id, interest);
    this.bindVisibility();
    this.update();
    return () => {
      this.interests.delete(id);
      this.update();
    };
  }

  private bindVisibility(): void {
    if (this.visibilityBound || typeof document === "undefined") return;
    this.visibilityBound = true;
    document.addEventListener("visibilitychange", () => this.update());
  }

  private wantedUrl(): string | null {
    if (this.interests.size === 0) return null;
    const all = [...this.interests.values()];
    const finding = all.findLast((interest) => interest.finding)?.finding;
    const journals = [...new Set(all.flatMap((interest) => (interest.journal ? [interest.journal] : [])))].slice(-MAX_JOURNALS);
    const params = new URLSearchParams();
    if (finding) params.set("finding", finding);
    if (journals.length > 0) params.set("journals", journals.join(","));
    const search = params.toString();
    return `/api/events${search ? `?${search}` : ""}`;
  }

  /** Opens, re-opens (new topics) or closes the stream to match what is mounted and whether the tab is visible. */
  private update(): void {
    const url = this.wantedUrl();
    if (!url) {
      this.close("idle");
      return;
    }
    if (document.visibilityState === "hidden") {
      this.close("paused");
      return;
    }
    if (this.source && url === this.url) return;
    if (this.retry && url === this.url) return;
    // Still failing: the pages go on polling until a stream says hello.
    this.close(this.failures > 0 ? "down" : "connecting");
    this.url = url;
    this.connect();
  }

  private close(state: LiveStreamState): void {
    clearTimeout(this.retry);
    this.retry = undefined;
    this.source?.close();
    this.source = null;
    setLiveStreamState(state);
  }

  private connect(): void {
    this.retry = undefined;
    // Fetched beside the connection, so the first change does not wait for the schemas' chunk.
    schemas ??= import("@/lib/api/live-events");
    const since = this.lastEventId ? `${this.url.includes("?") ? "&" : "?"}since=${encodeURIComponent(this.lastEventId)}` : "";
    const source = new EventSource(this.url + since);
    this.source = source;
    const on = (name: string, handle: (data: unknown, id: string) => void) =>
      source.addEventListener(name, (message: MessageEvent<string>) => {
        if (this.source !== source) return;
        if (message.lastEventId) this.lastEventId = message.lastEventId;
        let data: unknown;
        try {
          data = JSON.parse(message.data);
        } catch {
          return;
        }
        this.applying = this.applying.then(() => handle(data, message.lastEventId)).catch(() => undefined);
      });
    const helloTimeout = setTimeout(() => fail(), HELLO_TIMEOUT_MS);
    on("hello", async (data) => {
      clearTimeout(helloTimeout);
      this.failures = 0;
      // Nothing to replay: what the pages show may be older than the stream, so ask once, and say the
      // tab is live when that is done (a page marked live asks nothing more while the stream is open).
      if (!(data as { resumed?: boolean }).resumed) await this.refreshAll(false).catch(() => undefined);
      if (this.source === source) setLiveStreamState("open");
    });
    on("reset", () => void this.refreshAll(true));
    on("invalidate", (data) => {
      const { findingId, invocationId } = data as { findingId?: string; invocationId?: string };
      if (findingId) void this.queryClient.invalidateQueries({ queryKey: queryKeys.finding(findingId), exact: true });
      if (invocationId) void this.queryClient.invalidateQueries({ queryKey: queryKeys.journal(invocationId), exact: true });
    });
    on("signed-out", () => {
      this.close("down");
      if (isSigningOut()) return;
      window.location.assign(`/sign-in?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
    });
    for (const kind of LIVE_EVENT_KINDS) on(kind, (data) => this.apply(kind, data));
    const fail = () => {
      clearTimeout(helloTimeout);
      if (this.source !== source) return;
      // EventSource would retry on its own at a fixed pace (and never after an HTTP error): take over.
      source.close();
      this.source = null;
      this.failures++;
      // The pages poll until the stream is back (they re-render on this state); the reconnect resumes from the last event id.
      setLiveStreamState("down");
      const pause = Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** (this.failures - 1));
      this.retry = setTimeout(() => this.connect(), pause * (0.5 + Math.random() / 2));
    };
    source.addEventListener("error", fail);
  }

  private refreshAll(cancelRefetch: boolean): Promise<void> {
    return this.queryClient.invalidateQueries({ predicate: isLiveQuery }, { cancelRefetch });
  }

  private async apply(kind: LiveEventKind, data: unknown): Promise<void> {
    schemas ??= import("@/lib/api/live-events");
    const parsed = (await schemas).LIVE_EVENT_SCHEMAS[kind].safeParse(data);
    if (!parsed.success) {
      console.warn(`[live] ignored a ${kind} event of an unexpected shape`);
      return;
    }
    await (this.handlers[kind] as (payload: unknown) => Promise<void>)(parsed.data);
  }

  /**
   * Puts what the stream says into the cache. A fetch of the same key still in flight (a page's first
   * read, the refetch after a sign-off) was answered before this change and would overwrite it when it
   * lands, leaving the page stale with nothing left to correct it: it is cancelled first.
   */
  private async put(queryKey: readonly unknown[], data: unknown): Promise<void> {
    await this.queryClient.cancelQueries({ queryKey, exact: true });
    this.queryClient.setQueryData(queryKey, data);
  }

  private readonly handlers: { [K in LiveEventKind]: (payload: z.infer<(typeof LIVE_EVENT_SCHEMAS)[K]>) => Promise<void> } = {
    runs: async ({ runs, waitingForSignoff }) => {
      for (const [key, page] of this.queryClient.getQueriesData<FindingListResponse>({ queryKey: queryKeys.findingLists })) {
        if (!page) continue;
        const next = applyRunChanges(page, (key[2] ?? {}) as FindingListFilters, runs, waitingForSignoff);
        if (next) await this.put(key, next);
        else void this.queryClient.invalidateQueries({ queryKey: key, exact: true });
      }
    },
    approvals: (inbox) => this.put(queryKeys.approvals, inbox),
    detail: ({ findingId, detail }) => this.put(queryKeys.finding(findingId), detail),
    journal: ({ invocationId, timeline }) => this.put(queryKeys.journal(invocationId), timeline),
  };
}
