// What components use of this tab's one connection to the console's change feed (GET /api/events).
// The connection itself (live-connection.ts) is not part of a page's first load: it loads with the first
// component that asks for live updates, and the pages poll until it is open.
import { useEffect, useSyncExternalStore } from "react";
import type { LiveStream } from "./live-connection";
import { liveStreamState, subscribeLiveStreamState, type LiveStreamState } from "./live-state";
import { getQueryClient } from "./query-client";

/** What a mounted page or panel wants kept live besides the runs and the inbox. */
export interface LiveInterest {
  finding?: string;
  journal?: string;
}

let stream: Promise<LiveStream> | undefined;

/** Keeps what this component shows live through the tab's one stream while it is mounted. */
export function useLiveUpdates(interest: LiveInterest, enabled = true): LiveStreamState {
  const { finding, journal } = interest;
  useEffect(() => {
    if (!enabled) return;
    stream ??= import("./live-connection").then(({ LiveStream }) => new LiveStream(getQueryClient()));
    let unregister: (() => void) | undefined;
    let mounted = true;
    void stream.then((live) => {
      if (mounted) unregister = live.register({ finding, journal });
    });
    return () => {
      mounted = false;
      unregister?.();
    };
  }, [finding, journal, enabled]);
  return useLiveStreamState();
}

export function useLiveStreamState(): LiveStreamState {
  return useSyncExternalStore(subscribeLiveStreamState, liveStreamState, () => "idle");
}
