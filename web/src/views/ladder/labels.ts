/** Text helpers for the ladder: durations, marker texts and rough text widths. DOM-free. */

/** `200 ms`, `1.25 s`, `850 µs`. */
export function formatDuration(us: number): string {
  if (us >= 1_000_000) return `${(us / 1_000_000).toFixed(us >= 10_000_000 ? 1 : 2)} s`;
  if (us >= 1000) return `${(us / 1000).toFixed(us >= 100_000 ? 0 : 1)} ms`;
  return `${Math.round(us)} µs`;
}

/** Time since the start of the trace: `12.345 ms`. */
export function formatTime(us: number): string {
  return `${(us / 1000).toFixed(3)} ms`;
}

/**
 * Approximate rendered width of `text` (a little generous, so boxes never clip their text):
 * wide characters (CJK) count a full em, others 0.62 em, bold text 8% more.
 */
export function textWidth(text: string, fontPx = 12, bold = false): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    w += code >= 0x2e80 ? fontPx : fontPx * 0.62;
  }
  return bold ? w * 1.08 : w;
}
