import type { Query } from "@tanstack/react-query";

// Whether this tab's change stream (lib/query/live-stream.ts) is keeping its queries fresh: the
// queries stop polling while it is, and poll again when it is cut.
export type LiveStreamState = "idle" | "connecting" | "open" | "paused" | "down";

let state: LiveStreamState = "idle";
const listeners = new Set<() => void>();

export function liveStreamState(): LiveStreamState {
  return state;
}

export function setLiveStreamState(next: LiveStreamState): void {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

export function subscribeLiveStreamState(listener: () => void): () => void {
  listeners.add(listener);
  return () => void listeners.delete(listener);
}

/** The queries the feed keeps fresh: lists, run pages, the inbox, journal timelines (not entries, which never change). */
export function isLiveQuery(query: Query): boolean {
  const [root, second, third] = query.queryKey as unknown[];
  return (root === "findings" && (second === "list" || second === "detail")) || root === "approvals" || (root === "journal" && third === "timeline");
}

/**
 * The stream keeps this tab fresh: open, away (a hidden tab; it resumes from its last event id when
 * shown), or connecting (for a few seconds at most: live-stream.ts gives up on a stream that does not
 * answer). The pages neither poll nor ask again on focus meanwhile.
 */
export function isStreamCovering(): boolean {
  return state === "open" || state === "paused" || state === "connecting";
}
