"use client";
import { useLiveStreamState } from "@/lib/query/live-stream";
import { formatAgo } from "./time-format";
import { useNow } from "./use-now";
import { cn } from "./ui/class-names";

/**
 * Tells the operator whether what they see is still moving, how fresh it is, and how it stays fresh:
 * pushed by the console's change stream, or asked for every few seconds while the stream is cut.
 */
export function LiveIndicator({
  live,
  updatedAt,
  fetching,
  idleLabel = "Settled",
}: {
  live: boolean;
  updatedAt: number;
  fetching?: boolean;
  /** What to call "nothing is moving" here: "Finished" for a run, "No run in progress" for a list. */
  idleLabel?: string;
}) {
  const now = useNow();
  const stream = useLiveStreamState();
  return (
    <span className="inline-flex items-center gap-2 text-xs text-slate-500" data-live={live ? "true" : "false"} data-stream={stream}>
      <span className="relative flex size-2" aria-hidden="true">
        {live ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" /> : null}
        <span className={cn("relative inline-flex size-2 rounded-full", live ? "bg-emerald-500" : "bg-slate-300")} />
      </span>
      {live ? "Live" : idleLabel}
      {updatedAt > 0 && now > 0 ? <span>· updated {formatAgo(new Date(updatedAt).toISOString(), now)}</span> : null}
      {stream === "down" ? (
        <span title="The live connection is cut: this page asks for changes every few seconds until it is back.">· reconnecting</span>
      ) : null}
      {fetching ? <span className="sr-only">refreshing</span> : null}
    </span>
  );
}
