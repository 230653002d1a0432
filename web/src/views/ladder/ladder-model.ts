/**
 * The ladder diagram as data: one view over the timeline's placement. The events of one lane
 * (the timeline's per-lane selection, `laneSide`), top to bottom in time order, placed on the
 * same time axis (`placeByTime`: the gap between rows grows with the time between them,
 * logarithmically, and long pauses are labelled); plus what only the ladder draws: TCP states
 * and relative numbers. Pure: the Svelte component only draws what this returns.
 */
import type { Lane, SocketEvent, TraceEvent, WireEvent } from '../../lib/trace-types.ts';
import { base64ToBytes, textPreview } from '../../lib/bytes.ts';
import { flagKind, flagsLabel, type FlagKind } from '../../lib/flags.ts';
import { laneSide, type LaneSide } from '../timeline/lanes.ts';
import { programMarker } from '../program/program-marker.ts';
import { placeByTime } from '../timeline/timeline-model.ts';
import { relativeNumbersByEvent, type RelativeNumbers } from '../../../../server/contract/relative-seq.ts';
import { deriveTcpStates, initialStates, type StatesAfter, type TcpState } from './tcp-state.ts';

type Side = LaneSide;

interface RowBase {
  /** Index of the event in the trace's event list: the step it is. */
  step: number;
  t: number;
  y: number;
  /** Time since the previous row of this lane, in µs, when long enough to label. */
  pauseUs?: number;
}

export interface SegmentRow extends RowBase {
  kind: 'segment';
  /** 1-based number among this lane's packets. */
  number: number;
  from: Side;
  transport: 'tcp' | 'udp';
  flags: string[];
  flagsLabel: string;
  flagKind: FlagKind;
  seq: number | null;
  ack: number | null;
  relSeq: number | null;
  relAck: number | null;
  payloadLength: number;
  /** TCP only: both sides' derived states after this segment. */
  states?: StatesAfter;
}

export interface MarkerRow extends RowBase {
  kind: 'app' | 'socket' | 'kernel-state' | 'note' | 'program';
  side: Side | 'both';
  /** `write`, `read`, `connect`, `error`, a note key... */
  op: string;
  /** Short text: a byte preview, an error code, a state name. */
  detail: string;
  error: boolean;
  /** App events: the byte count (a read of 0 bytes is the end of the stream). */
  size?: number;
  /** App events of a datagram: its peer. */
  peer?: string;
}

export type LadderRow = SegmentRow | MarkerRow;

export interface LadderModel {
  lane: Lane;
  initial: { client: TcpState; server: TcpState } | null;
  rows: LadderRow[];
  /** Each row's y, in order (for finding the rows in view). */
  ys: Float64Array;
  /** The row of each step of the trace, -1 when the step is not on this lane. */
  rowOfStep: Int32Array;
  /** The tallest row's height, with the selection band above it. */
  rowHeight: number;
  height: number;
}

export const LADDER_TOP = 46;
export const SEGMENT_HEIGHT = 62;
export const MARKER_HEIGHT = 32;
/** How far an arrow drops while crossing: the picture of time passing in flight. */
export const ARROW_DROP = 18;
export { PAUSE_LABEL_US, pauseSpace } from '../timeline/timeline-model.ts';

function markerFor(e: Exclude<TraceEvent, WireEvent>, side: Side | 'both'): Omit<MarkerRow, keyof RowBase> {
  if (e.kind === 'app') {
    return { kind: 'app', side, op: e.op, detail: textPreview(base64ToBytes(e.data), 16), error: false, size: e.size, ...(e.peer !== undefined ? { peer: e.peer } : {}) };
  }
  if (e.kind === 'note') {
    return { kind: 'note', side, op: e.key, detail: '', error: false };
  }
  if (e.kind === 'program') return { kind: 'program', side, ...programMarker(e) };
  return socketMarker(e, side);
}

function socketMarker(e: SocketEvent, side: Side | 'both'): Omit<MarkerRow, keyof RowBase> {
  if (e.op === 'state') return { kind: 'kernel-state', side, op: 'state', detail: e.state ?? '?', error: false };
  if (e.op === 'error') return { kind: 'socket', side, op: 'error', detail: e.code ?? e.message ?? '', error: true };
  return { kind: 'socket', side, op: e.op, detail: '', error: false };
}

/** Whether the server side listens before the first segment (a listen event, or it answers SYN,ACK). */
function serverListens(lane: Lane, events: readonly TraceEvent[], segments: readonly SegmentRow[]): boolean {
  if (segments.some((s) => s.from === 'server' && s.flags.includes('SYN'))) return true;
  return events.some(
    (e) => e.kind === 'socket' && e.op === 'listen' && laneSide(lane, e, true) === 'server',
  );
}

/**
 * `relative`: the trace's relative numbers by step (the contract's rule); computed for this lane
 * when not given.
 */
export function buildLadder(
  lane: Lane,
  events: readonly TraceEvent[],
  onlyLane: boolean,
  relative: ReadonlyMap<number, RelativeNumbers> = relativeNumbersByEvent([lane], events),
  packetsOnly = false,
): LadderModel {
  const rows: LadderRow[] = [];
  const segments: SegmentRow[] = [];
  const wires: WireEvent[] = [];
  events.forEach((e, step) => {
    const side = laneSide(lane, e, onlyLane);
    if (side === null || (packetsOnly && e.kind !== 'wire')) return;
    const base: RowBase = { step, t: e.t, y: 0 };
    if (e.kind === 'wire') {
      const s = e.decoded.summary;
      const transport = s.proto === 'udp' ? 'udp' : 'tcp';
      const flags = s.flags ?? [];
      const row: SegmentRow = {
        ...base,
        kind: 'segment',
        number: segments.length + 1,
        from: side === 'server' ? 'server' : 'client',
        transport,
        flags,
        flagsLabel: transport === 'udp' ? 'UDP' : flagsLabel(flags),
        flagKind: flagKind(flags, s.payloadLength, transport),
        seq: s.seq ?? null,
        ack: flags.includes('ACK') ? (s.ack ?? null) : null,
        relSeq: null,
        relAck: null,
        payloadLength: s.payloadLength,
      };
      segments.push(row);
      wires.push(e);
      rows.push(row);
    } else {
      rows.push({ ...base, ...markerFor(e, side) });
    }
  });

  const tcp = segments.filter((s) => s.transport === 'tcp' && s.seq !== null);
  for (const s of tcp) {
    const rel = relative.get(s.step);
    s.relSeq = rel?.seq ?? null;
    s.relAck = rel?.ack ?? null;
  }

  let initial: LadderModel['initial'] = null;
  if (lane.transport === 'tcp') {
    const listening = serverListens(lane, events, segments);
    initial = initialStates(listening);
    const states = deriveTcpStates(
      tcp.map((s) => ({ from: s.from, flags: s.flags, seq: s.seq ?? 0, ack: s.ack ?? 0, payloadLength: s.payloadLength })),
      listening,
    );
    tcp.forEach((s, i) => {
      const st = states[i];
      if (st) s.states = st;
    });
  }

  const heightOf = (i: number): number => (rows[i]!.kind === 'segment' ? SEGMENT_HEIGHT : MARKER_HEIGHT);
  const placed = placeByTime(rows.length, (i) => rows[i]!.t, heightOf, LADDER_TOP);
  rows.forEach((row, i) => {
    row.y = placed.ys[i]!;
    const pause = placed.pauses[i];
    if (pause !== undefined) row.pauseUs = pause;
  });
  const height = rows.length > 0 ? placed.height + 8 : LADDER_TOP + 40;
  const rowOfStep = new Int32Array(events.length).fill(-1);
  rows.forEach((row, i) => (rowOfStep[row.step] = i));
  return { lane, initial, rows, ys: placed.ys, rowOfStep, rowHeight: SEGMENT_HEIGHT + 22, height };
}
