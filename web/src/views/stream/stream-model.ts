/**
 * The byte-stream view as data: the sender's writes, the segments on the wire, the receiver's
 * reads and the messages it rebuilt (the contract's `analyseStream`), one row each on one time
 * axis (the timeline's placement), each row a range of stream offsets whose bytes are coloured
 * by the message they belong to. Pure and DOM-free; a row's pieces are cut only when drawn.
 */
import { analyseStream, messagesIn, spanAt, type MessageSpan, type Span, type StreamAnalysis } from '../../../../server/contract/byte-stream.ts';
import type { Lane, TraceEvent } from '../../lib/trace-types.ts';
import { placeByTime, TIMELINE_TOP } from '../timeline/timeline-model.ts';

export const STREAM_LANES = ['writes', 'wire', 'reads', 'messages'] as const;
export type StreamLane = (typeof STREAM_LANES)[number];

export interface StreamRow extends Span {
  /** The trace step it shows (a rebuilt message: the read that completed it). */
  step: number;
  lane: number;
  t: number;
  y: number;
  pauseUs?: number;
  /** Its number in its lane, from 1. */
  n: number;
  /** Messages it touches (by their framed bytes), `[first, last]`; null for none (warm-up, an empty write). */
  touches: { first: number; last: number } | null;
  /** A rebuilt message: whether it equals the message sent at its place. */
  exact?: boolean;
}

export interface StreamModel {
  analysis: StreamAnalysis;
  rows: StreamRow[];
  ys: Float64Array;
  rowHeight: number;
  height: number;
  /** The largest row, in bytes: bar widths are proportional to it. */
  maxBytes: number;
  /** The first row of each step (-1: none). */
  rowOfStep: Int32Array;
}

export const STREAM_ROW_HEIGHT = 34;

/** The model of a run; null when the run has no stream plan (another experiment). */
export function buildStream(events: readonly TraceEvent[], lanes: readonly Lane[], captured: boolean): StreamModel | null {
  const analysis = analyseStream(events, lanes, captured);
  if (!analysis) return null;
  const raw: Omit<StreamRow, 'y'>[] = [];
  const add = (lane: number, items: readonly (Span & { step: number })[], extra?: (i: number) => Partial<StreamRow>) =>
    items.forEach((item, i) =>
      raw.push({
        step: item.step,
        lane,
        t: events[item.step]?.t ?? 0,
        start: item.start,
        end: item.end,
        n: i + 1,
        touches: messagesIn(analysis.spans, item),
        ...extra?.(i),
      }),
    );
  add(0, analysis.writes);
  add(1, analysis.segments);
  add(2, analysis.reads);
  add(
    3,
    analysis.rebuilt.map((m) => ({ step: m.step, ...m.span })),
    (i) => ({ exact: analysis.rebuilt[i]!.exact }),
  );
  // In time order; at one time (a read and the messages it completed) by lane, then number.
  raw.sort((a, b) => a.t - b.t || a.step - b.step || a.lane - b.lane || a.n - b.n);
  const { ys, pauses, height } = placeByTime(raw.length, (i) => raw[i]!.t, () => STREAM_ROW_HEIGHT, TIMELINE_TOP);
  const rows: StreamRow[] = raw.map((r, i) => {
    const row: StreamRow = { ...r, y: ys[i]! };
    const pause = pauses[i];
    if (pause !== undefined) row.pauseUs = pause;
    return row;
  });
  const rowOfStep = new Int32Array(events.length).fill(-1);
  rows.forEach((r, i) => {
    if (r.step < rowOfStep.length && rowOfStep[r.step] === -1) rowOfStep[r.step] = i;
  });
  const maxBytes = rows.reduce((m, r) => Math.max(m, r.end - r.start), 1);
  return { analysis, rows, ys, rowHeight: STREAM_ROW_HEIGHT, height: height + TIMELINE_TOP, maxBytes, rowOfStep };
}

/** A coloured part of a row's bar: bytes of one message, its own or its framing. */
export interface Piece {
  /** The message, or -1 for bytes of no message (warm-up). */
  message: number;
  bytes: number;
  framing: boolean;
}

/** The row's bytes cut where messages and their framing begin and end; at most `max` pieces (the rest joined into the last). */
export function piecesOf(spans: readonly MessageSpan[], range: Span, max = 64): Piece[] {
  const out: Piece[] = [];
  let at = range.start;
  let i = spanAt(spans, at);
  while (at < range.end) {
    if (i < 0 || i >= spans.length) {
      // Before the first message or after the last: no message's bytes.
      const next = i < 0 && spans[0] && at < spans[0].start ? Math.min(range.end, spans[0].start) : range.end;
      out.push({ message: -1, bytes: next - at, framing: false });
      at = next;
      i = spanAt(spans, at);
      continue;
    }
    const s = spans[i]!;
    for (const [from, to, framing] of [
      [s.start, s.body.start, true],
      [s.body.start, s.body.end, false],
      [s.body.end, s.end, true],
    ] as const) {
      const a = Math.max(at, from);
      const b = Math.min(range.end, to);
      if (b > a) out.push({ message: i, bytes: b - a, framing });
    }
    at = Math.min(range.end, s.end);
    i++;
    if (out.length >= max) break;
  }
  if (at < range.end && out.length > 0) out[out.length - 1]!.bytes += range.end - at;
  return out;
}

/** Whether two ranges share a byte. */
export function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Whether the row holds bytes of more than one message (a merge). */
export function isMerge(row: Pick<StreamRow, 'touches'>): boolean {
  return !!row.touches && row.touches.last > row.touches.first;
}

/** Whether the row holds a message only in part (a split): its range starts or ends inside one. */
export function isSplit(spans: readonly MessageSpan[], row: Span): boolean {
  if (row.end <= row.start) return false;
  const first = spans[spanAt(spans, row.start)];
  const last = spans[spanAt(spans, row.end - 1)];
  return (!!first && first.start < row.start) || (!!last && last.end > row.end);
}
