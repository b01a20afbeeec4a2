"use client";
import { formatAgo } from "./time-format";
import { useNow } from "./use-now";
import { cn } from "./ui/class-names";

/** Tells the operator whether what they see is still moving, and how fresh it is. */
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
  return (
    <span className="inline-flex items-center gap-2 text-xs text-slate-500" data-live={live ? "true" : "false"}>
      <span className="relative flex size-2" aria-hidden="true">
        {live ? <span className="absolute inline-flex size-full animate-ping rounded-full bg-emerald-400 opacity-75" /> : null}
        <span className={cn("relative inline-flex size-2 rounded-full", live ? "bg-emerald-500" : "bg-slate-300")} />
      </span>
      {live ? "Live" : idleLabel}
      {updatedAt > 0 && now > 0 ? <span>· updated {formatAgo(new Date(updatedAt).toISOString(), now)}</span> : null}
      {fetching ? <span className="sr-only">refreshing</span> : null}
    </span>
  );
}
