/**
 * Relative sequence and acknowledgement numbers, as Wireshark shows them: each side's numbers
 * counted from its initial sequence number (ISN), so the SYN has seq 0 and the first data byte 1.
 * With them, the window each segment advertises, scaled as its handshake agreed (`tcp-window.ts`).
 * The one rule for the page (ladder, inspector, packet list) and the terminal.
 */
import { LaneIndex, packetEnds, directedFlowKey, type LaneSide } from './lanes.js';
import { seqDiff } from './tcp-seq.js';
import { scaledWindows, windowText, wscaleOf, type ScaledWindow, type WindowInput } from './tcp-window.js';
import type { Lane, PacketSummary, TraceEvent } from './trace.js';

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

/**
 * A connection's numbering over the whole run, for numbering any part of it (a window of a big
 * recording) as the whole: each side's ISN, and the window scale shift each side's SYN announced
 * (−1: its SYN carried no window scale option). A side absent was not seen (its SYN, for `wscale`).
 */
export interface ConnectionBase {
  isn: Partial<Record<LaneSide, number>>;
  wscale: Partial<Record<LaneSide, number>>;
}

/** Every connection's base, by connection key (see `Connections`). */
export type NumberingBase = Record<string, ConnectionBase>;

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

/** The relative numbers of one connection's segments, in order; `base` (the whole run's) wins over what they show. */
export function relativeNumbers(segments: readonly SeqInput[], base?: ConnectionBase): RelativeNumbers[] {
  const isn = { ...initialSequenceNumbers(segments), ...base?.isn };
  const windows = scaledWindows(segments, base?.wscale);
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
 * Which connection a TCP segment is on, and which side sent it: a lane of the run (key
 * `lane|<id>`), or a pair of endpoints on none, whose first sender counts as its client (key: the
 * flow from the client). Keys given as `known` (a base's) settle who the client is beforehand.
 */
export class Connections {
  readonly #lanes: LaneIndex;
  /** Connections on no lane: the direction first seen is the client's. */
  readonly #unknown = new Map<string, LaneSide>();

  constructor(lanes: readonly Lane[] = [], known: Iterable<string> = []) {
    this.#lanes = new LaneIndex(lanes);
    for (const key of known) if (!key.startsWith('lane|')) this.#unknown.set(key, 'client');
  }

  addLane(lane: Lane): void {
    this.#lanes.add(lane);
  }

  of(s: PacketSummary): { key: string; from: LaneSide } | null {
    if (s.proto !== 'tcp' || s.seq === undefined) return null;
    const onLane = this.#lanes.ofPacket(s);
    if (onLane) return { key: `lane|${onLane.lane.id}`, from: onLane.from };
    const ends = packetEnds(s);
    if (!ends) return null;
    const forward = directedFlowKey('tcp', ends.src, ends.dst);
    const backward = directedFlowKey('tcp', ends.dst, ends.src);
    if (!this.#unknown.has(forward) && !this.#unknown.has(backward)) this.#unknown.set(forward, 'client');
    return this.#unknown.has(forward) ? { key: forward, from: 'client' } : { key: backward, from: 'server' };
  }
}

/**
 * The numbering base of a run, gathered a packet at a time as it is recorded (a few numbers per
 * connection, whatever the run's size).
 */
export class NumberingAccumulator {
  readonly #connections: Connections;
  readonly #seen = new Map<string, { syn: ConnectionBase; first: Partial<Record<LaneSide, number>> }>();

  constructor(lanes: readonly Lane[] = []) {
    this.#connections = new Connections(lanes);
  }

  addLane(lane: Lane): void {
    this.#connections.addLane(lane);
  }

  add(summary: PacketSummary): void {
    const at = this.#connections.of(summary);
    if (!at) return;
    let seen = this.#seen.get(at.key);
    if (!seen) this.#seen.set(at.key, (seen = { syn: { isn: {}, wscale: {} }, first: {} }));
    seen.first[at.from] ??= summary.seq!;
    if ((summary.flags ?? []).includes('SYN') && seen.syn.isn[at.from] === undefined) {
      seen.syn.isn[at.from] = summary.seq!;
      seen.syn.wscale[at.from] = wscaleOf(summary) ?? -1;
    }
  }

  get size(): number {
    return this.#seen.size;
  }

  base(): NumberingBase {
    const out: NumberingBase = {};
    for (const [key, { syn, first }] of this.#seen) out[key] = { isn: { ...first, ...syn.isn }, wscale: { ...syn.wscale } };
    return out;
  }
}

/**
 * The relative numbers of every TCP segment of a trace (or of a window of one), by the event's
 * index: each connection counted on its own, from `base` where the whole run's is given.
 */
export function relativeNumbersByEvent(lanes: readonly Lane[], events: readonly TraceEvent[], base?: NumberingBase): Map<number, RelativeNumbers> {
  const connectionOf = new Connections(lanes, Object.keys(base ?? {}));
  const connections = new Map<string, { steps: number[]; segments: SeqInput[] }>();
  events.forEach((e, step) => {
    if (e.kind !== 'wire') return;
    const s = e.decoded.summary;
    const at = connectionOf.of(s);
    if (!at) return;
    let connection = connections.get(at.key);
    if (!connection) connections.set(at.key, (connection = { steps: [], segments: [] }));
    connection.steps.push(step);
    const wscale = wscaleOf(s);
    connection.segments.push({
      from: at.from,
      flags: s.flags ?? [],
      seq: s.seq!,
      ack: s.ack ?? 0,
      ...(s.window !== undefined ? { window: s.window } : {}),
      ...(wscale !== undefined ? { wscale } : {}),
    });
  });
  const out = new Map<number, RelativeNumbers>();
  for (const [key, { steps, segments }] of connections) {
    relativeNumbers(segments, base?.[key]).forEach((rel, i) => out.set(steps[i]!, rel));
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
