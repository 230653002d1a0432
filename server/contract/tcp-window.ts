/**
 * The TCP window a segment advertises, in bytes (RFC 7323 §2): the 16-bit field shifted left by
 * the window scale its sender announced in its SYN — when both SYNs carried the option. The SYN
 * and SYN-ACK themselves are never scaled. When a side's SYN was not captured the scale is not
 * known, and the field is shown as it is. The one rule for the page and the terminal.
 */
import type { LaneSide } from './lanes.js';

/** The largest shift a receiver honours (a larger one is treated as 14). */
export const MAX_WINDOW_SHIFT = 14;

export interface WindowInput {
  from: LaneSide;
  flags: readonly string[];
  /** The window field; absent when the summary has none. */
  window?: number;
  /** The window scale option's shift, when the segment carries it. */
  wscale?: number;
}

export interface ScaledWindow {
  /** The field as sent. */
  field: number;
  /** What it means in bytes: `field × 2^shift`, or the field when the shift is not known. */
  bytes: number;
  /** The shift applied: 0 on a SYN or when scaling is off; null when the handshake was not captured. */
  shift: number | null;
}

/** Each side's SYN as seen: its shift, `off` (a SYN without the option), or absent (not captured). */
type SynScale = number | 'off';

/**
 * The windows of one connection's segments, in order (null where a segment has no window field).
 * `known`: each side's SYN shift as the whole run saw it (−1: no option), over what these show.
 */
export function scaledWindows(segments: readonly WindowInput[], known: Partial<Record<LaneSide, number>> = {}): (ScaledWindow | null)[] {
  const syn: Partial<Record<LaneSide, SynScale>> = {};
  for (const [side, shift] of Object.entries(known) as [LaneSide, number][]) {
    syn[side] = shift < 0 ? 'off' : Math.min(shift, MAX_WINDOW_SHIFT);
  }
  for (const seg of segments) {
    if (seg.flags.includes('SYN') && syn[seg.from] === undefined) {
      syn[seg.from] = seg.wscale === undefined ? 'off' : Math.min(seg.wscale, MAX_WINDOW_SHIFT);
    }
  }
  const both = syn.client !== undefined && syn.server !== undefined;
  const scaling = both && syn.client !== 'off' && syn.server !== 'off';
  return segments.map((seg) => {
    if (seg.window === undefined) return null;
    let shift: number | null;
    if (seg.flags.includes('SYN')) shift = 0;
    else if (!both) shift = null;
    else shift = scaling ? (syn[seg.from] as number) : 0;
    return { field: seg.window, bytes: shift === null ? seg.window : seg.window * 2 ** shift, shift };
  });
}

/**
 * A window as the summary line shows it: `65536 (scaled: 64×1024)`, `65535`, or
 * `64 (scale unknown)` when the handshake was not captured.
 */
export function windowText(w: ScaledWindow): string {
  if (w.shift === null) return `${w.field} (scale unknown)`;
  if (w.shift === 0) return String(w.field);
  return `${w.bytes} (scaled: ${w.field}×${2 ** w.shift})`;
}

/** The shift of a summary's window scale option: its value, or the text older recordings kept (`7 (×128)`). */
export function wscaleOf(summary: { tcpOptions?: { wscale?: number }; options?: Record<string, string> }): number | undefined {
  if (summary.tcpOptions?.wscale !== undefined) return summary.tcpOptions.wscale;
  const text = summary.options?.['wscale'];
  const shift = text === undefined ? NaN : Number.parseInt(text, 10);
  return Number.isInteger(shift) && shift >= 0 ? shift : undefined;
}
