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

/** The stream is open: changes arrive as they happen, nothing needs asking. */
export function isStreamOpen(): boolean {
  return state === "open";
}

/**
 * The stream covers this tab: open, or away (hidden tab) or reconnecting with a last event id to
 * resume from. Coming back to the tab then asks nothing: the stream replays what was missed.
 */
export function isStreamCovering(): boolean {
  return state === "open" || state === "paused" || state === "connecting";
}
