/**
 * The recordings list's order and what it notices: newest added first, and a recording that
 * is the same run as one listed before it (an export imported again). DOM-free.
 */

interface Listed {
  id: string;
  experiment: string;
  startedAtUs: number;
  durationUs: number;
  eventCount: number;
  counters: { packets: number };
}

/**
 * When a recording was added, from its id (`20261126-182900-123-k3j9x2`, made when it is added;
 * ids made before they had milliseconds count as `000`); null when the id says not.
 */
function addedStamp(id: string): string | null {
  const match = /^(\d{8}-\d{6})-(\d{3}-)?/.exec(id);
  return match ? `${match[1]}-${match[2]?.slice(0, 3) ?? '000'}` : null;
}

/**
 * Newest added first: a capture imported just now is at the top whenever it was captured.
 * Recordings whose id does not say when they were added follow, newest captured first.
 */
export function newestAddedFirst<T extends Listed>(list: readonly T[]): T[] {
  return [...list].sort((a, b) => {
    const sa = addedStamp(a.id);
    const sb = addedStamp(b.id);
    if (sa !== null && sb !== null && sa !== sb) return sa < sb ? 1 : -1;
    if (sa !== null && sb === null) return -1;
    if (sa === null && sb !== null) return 1;
    return b.startedAtUs - a.startedAtUs || (a.id < b.id ? 1 : -1);
  });
}

/** What makes two recordings the same run: the experiment, its start to the microsecond, its length and its counts. */
function sameRunKey(r: Listed): string {
  return `${r.experiment}|${r.startedAtUs}|${r.durationUs}|${r.eventCount}|${r.counters.packets}`;
}

/**
 * For each recording that repeats an earlier-added one, the id of the earliest; `list` in any
 * order (newest added first is assumed only for which one counts as the original).
 */
export function duplicates<T extends Listed>(list: readonly T[]): Map<string, string> {
  const first = new Map<string, string>();
  const out = new Map<string, string>();
  for (const r of [...newestAddedFirst(list)].reverse()) {
    const key = sameRunKey(r);
    const original = first.get(key);
    if (original === undefined) first.set(key, r.id);
    else out.set(r.id, original);
  }
  return out;
}
