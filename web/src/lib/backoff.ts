/** Bounded exponential backoff. DOM-free. */

const FIRST_MS = 2000;
const MAX_MS = 60_000;

/** The wait before retry number `failures` (0-based): 2 s, 4 s, 8 s, … at most a minute. */
export function retryDelayMs(failures: number): number {
  const n = Number.isFinite(failures) ? Math.min(Math.max(0, Math.floor(failures)), 16) : 0;
  return Math.min(MAX_MS, FIRST_MS * 2 ** n);
}
