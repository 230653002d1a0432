/**
 * Relative sequence and acknowledgement numbers, as Wireshark shows them: each side's numbers
 * counted from its initial sequence number (ISN), so the SYN has seq 0 and the first data byte 1.
 * With them, the window each segment advertises, scaled as its handshake agreed (`tcp-window.ts`).
 * The one rule for the page (ladder, inspector, packet list) and the terminal.
 */
import { LaneIndex, packetEnds, directedFlowKey, type LaneSide } from './lanes.js';
import { seqDiff } from './tcp-seq.js';
import { scaledWindows, windowText, wscaleOf, type ScaledWindow, type WindowInput } from './tcp-window.js';
import type { Lane, TraceEvent } from './trace.js';

export interface SeqInput extends WindowInput {
  from: LaneSide;
  flags: readonly string[];
  seq: number;
  ack: number;
}

export interface RelativeNumbers {
  seq: number;
  /** Null when the segment carries no ACK flag (its ack field means nothing then). */
  ack: number | null;
  /** The window it advertises; absent when its summary has no window field. */
  window?: ScaledWindow;
}

/** Each side's ISN: the seq of its SYN, or of its first segment when the SYN was not captured. */
export function initialSequenceNumbers(segments: readonly SeqInput[]): Partial<Record<LaneSide, number>> {
  const isn: Partial<Record<LaneSide, number>> = {};
  for (const seg of segments) {
    if (seg.flags.includes('SYN') && isn[seg.from] === undefined) isn[seg.from] = seg.seq;
  }
  for (const seg of segments) {
    if (isn[seg.from] === undefined) isn[seg.from] = seg.seq;
  }
  return isn;
}

/** The relative numbers of one connection's segments, in order. */
export function relativeNumbers(segments: readonly SeqInput[]): RelativeNumbers[] {
  const isn = initialSequenceNumbers(segments);
  const windows = scaledWindows(segments);
  return segments.map((seg, i) => {
    const own = isn[seg.from] ?? seg.seq;
    const peer = isn[seg.from === 'client' ? 'server' : 'client'];
    const hasAck = seg.flags.includes('ACK');
    const window = windows[i];
    return {
      seq: seqDiff(seg.seq, own),
      ack: hasAck ? (peer === undefined ? seg.ack : seqDiff(seg.ack, peer)) : null,
      ...(window ? { window } : {}),
    };
  });
}

/**
 * The relative numbers of every TCP segment of a trace, by the event's index: each connection
 * (a lane of `lanes`, or a pair of endpoints on none, whose first sender counts as its client)
 * counted on its own.
 */
export function relativeNumbersByEvent(lanes: readonly Lane[], events: readonly TraceEvent[]): Map<number, RelativeNumbers> {
  const index = new LaneIndex(lanes);
  const connections = new Map<string, { steps: number[]; segments: SeqInput[] }>();
  /** Connections on no lane: the direction first seen is the client's. */
  const unknown = new Map<string, LaneSide>();
  events.forEach((e, step) => {
    if (e.kind !== 'wire') return;
    const s = e.decoded.summary;
    if (s.proto !== 'tcp' || s.seq === undefined) return;
    let key: string;
    let from: LaneSide;
    const onLane = index.ofPacket(s);
    if (onLane) {
      key = `lane|${onLane.lane.id}`;
      from = onLane.from;
    } else {
      const ends = packetEnds(s);
      if (!ends) return;
      const forward = directedFlowKey('tcp', ends.src, ends.dst);
      const backward = directedFlowKey('tcp', ends.dst, ends.src);
      if (!unknown.has(forward) && !unknown.has(backward)) unknown.set(forward, 'client');
      key = unknown.has(forward) ? forward : backward;
      from = unknown.has(forward) ? 'client' : 'server';
    }
    let connection = connections.get(key);
    if (!connection) connections.set(key, (connection = { steps: [], segments: [] }));
    connection.steps.push(step);
    const wscale = wscaleOf(s);
    connection.segments.push({
      from,
      flags: s.flags ?? [],
      seq: s.seq,
      ack: s.ack ?? 0,
      ...(s.window !== undefined ? { window: s.window } : {}),
      ...(wscale !== undefined ? { wscale } : {}),
    });
  });
  const out = new Map<number, RelativeNumbers>();
  for (const { steps, segments } of connections.values()) {
    relativeNumbers(segments).forEach((rel, i) => out.set(steps[i]!, rel));
  }
  return out;
}

/**
 * A segment's Wireshark-like summary line (`summary.info`) with the numbers of its connection:
 * relative seq and ack unless `absolute`, and the window scaled as its handshake agreed.
 */
export function summaryLine(info: string, numbers: RelativeNumbers | null | undefined, absolute = false): string {
  if (!numbers) return info;
  let out = info;
  if (!absolute) {
    out = out.replace(/\bSeq=\d+/, `Seq=${numbers.seq}`);
    if (numbers.ack !== null) out = out.replace(/\bAck=\d+/, `Ack=${numbers.ack}`);
  }
  if (numbers.window) out = out.replace(/\bWin=\d+/, `Win=${windowText(numbers.window)}`);
  return out;
}
