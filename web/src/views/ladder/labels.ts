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

/** Approximate rendered width of `text` at 12px: wide characters (CJK) count double. */
export function textWidth(text: string, fontPx = 12): number {
  let w = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    w += code >= 0x2e80 ? fontPx : fontPx * 0.6;
  }
  return w;
}
