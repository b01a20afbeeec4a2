// How the console writes durations and moments: short, unit-bearing, the same everywhere.

export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return "—";
  const abs = Math.max(0, ms);
  if (abs < 1_000) return `${Math.round(abs)} ms`;
  if (abs < 10_000) return `${(abs / 1_000).toFixed(2)} s`;
  if (abs < 60_000) return `${(abs / 1_000).toFixed(1)} s`;
  const totalSeconds = Math.floor(abs / 1_000);
  const hours = Math.floor(totalSeconds / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min ${seconds} s`;
}

/** "+1.24 s": a journal step's time since the invocation's first entry. */
export function formatOffset(ms: number): string {
  return `+${formatDuration(ms)}`;
}

export function formatAgo(iso: string | null | undefined, now: number): string {
  if (!iso) return "—";
  const elapsed = now - Date.parse(iso);
  if (!Number.isFinite(elapsed)) return "—";
  if (elapsed < 5_000) return "just now";
  return `${formatDuration(elapsed).replace(/\.\d+ s$/, " s")} ago`;
}

export function millisSince(iso: string | null | undefined, now: number): number | null {
  if (!iso) return null;
  const at = Date.parse(iso);
  return Number.isFinite(at) ? Math.max(0, now - at) : null;
}

export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return "—";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  });
}

export function runDurationMs(startedAt: string | null | undefined, endedAt: string | null | undefined, now: number): number | null {
  if (!startedAt) return null;
  const start = Date.parse(startedAt);
  const end = endedAt ? Date.parse(endedAt) : now;
  return Number.isFinite(start) && Number.isFinite(end) ? Math.max(0, end - start) : null;
}
