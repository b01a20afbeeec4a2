// Puts the change feed's run summaries into a cached page of the runs list, exactly as a fresh read
// of that page would show them, or says the page must be asked for again when that cannot be known.
import type { FindingListResponse, FindingSummary } from "@/lib/api/contracts";
import type { FindingListFilters } from "./queries";

/** The list's order: newest first, then by invocation id (the keyset the server pages on). */
function comesBefore(a: FindingSummary, b: FindingSummary): boolean {
  return a.createdAt > b.createdAt || (a.createdAt === b.createdAt && a.invocationId > b.invocationId);
}

/** As the route lists: a submission refused at the door only under its own filter (it is not in the run index). */
function matches(run: FindingSummary, filters: FindingListFilters): boolean {
  const stage = filters.stage ? run.stage === filters.stage : run.stage !== "refused";
  return stage && (!filters.severity || run.severity === filters.severity);
}

/** A page that grew past this many times its size is read again rather than patched further. */
const MAX_GROWTH = 2;
/** The route's page size when the query names none. */
const DEFAULT_PAGE_SIZE = 50;

/**
 * The page with the changed runs in place: replaced where present, removed when they no longer match
 * its filters, added where they now belong. Null when the page must be read again: a run belongs just
 * before a page that is not the first (it may belong to the page before), or the page grew too long.
 * A page keeps its cursor: runs added to it are shown on it, never skipped by "Older".
 */
export function applyRunChanges(
  page: FindingListResponse,
  filters: FindingListFilters,
  runs: readonly FindingSummary[],
  waitingForSignoff: number,
): FindingListResponse | null {
  const items = [...page.items];
  for (const run of runs) {
    const at = items.findIndex((item) => item.id === run.id);
    if (at >= 0) {
      if (matches(run, filters)) items[at] = run;
      else items.splice(at, 1);
      continue;
    }
    if (!matches(run, filters)) continue;
    const first = items[0];
    if (!first || comesBefore(run, first)) {
      // Before this page's first run: on this page only when nothing comes before it.
      if (filters.cursor) return null;
      if (!first && page.nextCursor) return null;
      items.unshift(run);
      continue;
    }
    const after = items.findIndex((item) => comesBefore(run, item));
    if (after >= 0) items.splice(after, 0, run);
    // After this page's last run: on a later page, unless this is the last one.
    else if (!page.nextCursor) items.push(run);
  }
  if (items.length > MAX_GROWTH * (filters.limit ?? DEFAULT_PAGE_SIZE)) return null;
  return { ...page, items, waitingForSignoff };
}
