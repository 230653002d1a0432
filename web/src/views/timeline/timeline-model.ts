/**
 * The timeline as data: every event of a run placed exactly once, in a lane, on one shared
 * time axis. Rows run top to bottom in step order; the space between two rows grows with the
 * time between them (logarithmically, so a 200 ms pause shows as a pause without pushing
 * microsecond-apart events off the screen), and long pauses are labelled.
 *
 * Lanes by mode:
 * - `programs`: one per actor (client, client-2..., server...) and the wire between them; a
 *   packet sits on the wire and runs from its sender's lane to its receiver's.
 * - `connections`: one per connection or flow of the trace, and one for what is on none.
 * - `stages`: what the programs wrote, what crossed the wire, what they read.
 *
 * Pure and DOM-free; the ladder uses the same per-lane selection (`laneSide`) and placement
 * (`placeByTime`). Finding the rows in view is a binary search over their positions.
 */
import { programMarker, type ProgramMarker } from '../program/program-marker.ts';
import type { ViewSpec } from '../../../../server/contract/experiment.ts';
import { LaneIndex, type LaneSide, type PacketLane } from '../../../../server/contract/lanes.ts';
import type { Lane, NoteEvent, SocketEvent, TraceEvent, WireEvent } from '../../lib/trace-types.ts';
import { base64ToBytes, textPreview } from '../../lib/bytes.ts';
import { flagKind, flagsLabel, type FlagKind } from '../../lib/flags.ts';
import { actorSide } from './lanes.ts';

export type LaneMode = Extract<ViewSpec, { kind: 'timeline' }>['lanes'];
export const LANE_MODES: readonly LaneMode[] = ['programs', 'connections', 'stages'];

export type Stage = 'writes' | 'wire' | 'reads';

export interface TimelineLane {
  /** Stable within a mode: `actor:client`, `wire`, `lane:tcp-1`, `elsewhere`, `stage:writes`. */
  id: string;
  /**
   * `actor`: a program; `wire`: the captured packets; `connection`: a connection or flow;
   * `elsewhere`: events on no connection; `stage`: writes, wire or reads.
   */
  kind: 'actor' | 'wire' | 'connection' | 'elsewhere' | 'stage';
  /** Words that read the same in every language (an actor name, `TCP a → b`, a stage name). */
  title: string;
  actor?: string;
  lane?: Lane;
  stage?: Stage;
}

/** `lane` of an item that spans every lane (a note about the whole run). */
export const ACROSS = -1;

/** The protocol a packet is drawn as. `ip`: another IP protocol; `unknown`: not IP at all. */
export type PacketProtocol = 'tcp' | 'udp' | 'icmp' | 'ip' | 'unknown';

export interface PacketShape {
  kind: 'packet';
  protocol: PacketProtocol;
  /** `SYN, ACK`, `UDP`, `ICMP`, `ICMPv6`, `IP 89`; empty for a frame that is not IP. */
  label: string;
  /** The colour family (TCP and UDP). */
  flagKind: FlagKind | null;
  /** The end of its connection that sent it, when it is on one. */
  from: LaneSide | null;
  /** Index of the trace lane it is on, when it is on one. */
  connection: number | null;
  /** Lanes it runs from and to (programs), when both programs are known. */
  fromLane?: number;
  toLane?: number;
  payloadLength: number;
  /** One line in English, as the decoder wrote it. */
  info: string;
}

export type ItemShape =
  | { kind: 'write' | 'read'; actor: string; size: number; preview: string; side: LaneSide | null; peer?: string }
  | PacketShape
  | { kind: 'socket'; actor: string; op: SocketEvent['op']; detail: string; error: boolean; side: LaneSide | null }
  | { kind: 'state'; actor: string; state: string; side: LaneSide | null }
  | ({ kind: 'program'; actor: string; side: LaneSide | null } & ProgramMarker)
  | { kind: 'note'; actor?: string; key: string; hasData: boolean; side: LaneSide | 'both' | null };

export interface TimelineItem {
  /** Index of the event in the trace: the step it is. */
  step: number;
  /** Index into `lanes`, or `ACROSS`. */
  lane: number;
  t: number;
  /** Top of the row, px from the top of the timeline. */
  y: number;
  /** Time since the previous row, µs, when long enough to label. */
  pauseUs?: number;
  shape: ItemShape;
}

export interface TimelineModel {
  mode: LaneMode;
  lanes: TimelineLane[];
  /** One per event, in step order. */
  items: TimelineItem[];
  /** `ys[i]` = `items[i].y`: sorted, for finding rows by scroll position. */
  ys: Float64Array;
  /** Item index of each step (-1 when a step has no item). */
  itemOfStep: Int32Array;
  rowHeight: number;
  height: number;
}

export const TIMELINE_TOP = 8;
export const ROW_HEIGHT = 34;
/** Pauses of at least this many µs get a label. */
export const PAUSE_LABEL_US = 5000;

/** Extra vertical space for a pause of `dtUs`: none under 1 ms, then logarithmic, capped. */
export function pauseSpace(dtUs: number): number {
  if (!(dtUs >= 1000)) return 0;
  return Math.min(44, Math.round(8 + 10 * Math.log10(dtUs / 1000)));
}

export interface Placement {
  ys: Float64Array;
  /** Time since the previous row when at least `PAUSE_LABEL_US`, else undefined. */
  pauses: (number | undefined)[];
  height: number;
}

/**
 * Places rows top to bottom: each row below the previous one by that row's height plus the
 * space for the pause between them. `timeOf(i)` is row i's time (µs), `heightOf(i)` its height.
 */
export function placeByTime(count: number, timeOf: (i: number) => number, heightOf: (i: number) => number, top: number): Placement {
  const ys = new Float64Array(count);
  const pauses: (number | undefined)[] = new Array<number | undefined>(count);
  let y = top;
  for (let i = 0; i < count; i++) {
    if (i > 0) {
      const dt = timeOf(i) - timeOf(i - 1);
      y += heightOf(i - 1) + pauseSpace(dt);
      if (dt >= PAUSE_LABEL_US) pauses[i] = dt;
    }
    ys[i] = y;
  }
  return { ys, pauses, height: count > 0 ? y + heightOf(count - 1) : top };
}

// ---------------------------------------------------------------- packets

/** The IP protocol number the packet carries, when an IP layer decoded. */
export function ipProtocolNumber(e: WireEvent): number | undefined {
  for (const layer of e.decoded.layers) {
    if (layer.name === 'ipv4') {
      const raw = layer.fields.find((f) => f.name === 'protocol')?.raw;
      return typeof raw === 'number' ? raw : undefined;
    }
    if (layer.name === 'ipv6') {
      // The last next-header field names what follows the extension headers.
      let last: number | undefined;
      for (const f of layer.fields) {
        if (f.explain.endsWith('nextHeader') && typeof f.raw === 'number') last = f.raw;
        for (const c of f.children ?? []) if (c.explain.endsWith('nextHeader') && typeof c.raw === 'number') last = c.raw;
      }
      return last;
    }
  }
  return undefined;
}

export function packetProtocol(e: WireEvent): PacketProtocol {
  const s = e.decoded.summary;
  if (s.proto === 'tcp') return 'tcp';
  if (s.proto === 'udp') return 'udp';
  if (s.ip === undefined) return 'unknown';
  const n = ipProtocolNumber(e);
  return n === 1 || n === 58 ? 'icmp' : 'ip';
}

function packetLabel(e: WireEvent, protocol: PacketProtocol): string {
  const s = e.decoded.summary;
  switch (protocol) {
    case 'tcp':
      return flagsLabel(s.flags ?? []);
    case 'udp':
      return 'UDP';
    case 'icmp':
      return s.ip === 6 ? 'ICMPv6' : 'ICMP';
    case 'ip': {
      const n = ipProtocolNumber(e);
      return n === undefined ? `IPv${s.ip ?? 4}` : `IP ${n}`;
    }
    case 'unknown':
      return '';
  }
}

// ---------------------------------------------------------------- lanes per mode

interface Placer {
  lanes: TimelineLane[];
  /** Where the event of `step` goes; `packet`: a packet's connection, found once for all modes. */
  place(e: TraceEvent, step: number, packet: PacketLane | null): { lane: number; side: LaneSide | 'both' | null };
}

const isClientName = (actor: string): boolean => actor.startsWith('client');

function actorsOf(events: readonly TraceEvent[], lanes: readonly Lane[]): string[] {
  const seen = new Set<string>();
  for (const e of events) if (e.kind !== 'wire' && e.actor) seen.add(e.actor);
  for (const l of lanes) {
    if (l.clientActor) seen.add(l.clientActor);
    if (l.serverActor) seen.add(l.serverActor);
  }
  const all = [...seen];
  return [...all.filter(isClientName), ...all.filter((a) => !isClientName(a))];
}

function connectionTitle(l: Lane): string {
  return `${l.transport.toUpperCase()} ${l.client} → ${l.server}`;
}

/** Lanes whose program is `actor` (as client or server). */
function lanesOfActor(lanes: readonly Lane[], actor: string): number[] {
  const out: number[] = [];
  lanes.forEach((l, i) => {
    if (actorSide(l, actor) !== null && (l.clientActor !== undefined || l.serverActor !== undefined)) out.push(i);
  });
  return out;
}

function programsPlacer(events: readonly TraceEvent[], traceLanes: readonly Lane[]): Placer {
  const actors = actorsOf(events, traceLanes);
  const hasWire = events.some((e) => e.kind === 'wire');
  const clients = actors.filter(isClientName);
  const others = actors.filter((a) => !isClientName(a));
  const lanes: TimelineLane[] = [
    ...clients.map((a): TimelineLane => ({ id: `actor:${a}`, kind: 'actor', title: a, actor: a })),
    ...(hasWire ? [{ id: 'wire', kind: 'wire', title: 'wire' } satisfies TimelineLane] : []),
    ...others.map((a): TimelineLane => ({ id: `actor:${a}`, kind: 'actor', title: a, actor: a })),
  ];
  const byActor = new Map(lanes.map((l, i) => [l.actor ?? '', i]));
  const wire = lanes.findIndex((l) => l.kind === 'wire');
  const laneIds = new Map(traceLanes.map((l, i) => [l.id, i]));
  return {
    lanes,
    place(e, _step, packet) {
      if (e.kind === 'wire') return { lane: wire, side: packet?.from ?? null };
      const lane = e.actor === undefined ? undefined : byActor.get(e.actor);
      if (lane === undefined) return { lane: ACROSS, side: 'both' };
      const traceLane = e.lane === undefined ? undefined : traceLanes[laneIds.get(e.lane) ?? -1];
      return { lane, side: traceLane ? actorSide(traceLane, e.actor) : null };
    },
  };
}

function connectionsPlacer(events: readonly TraceEvent[], traceLanes: readonly Lane[], packets: readonly (PacketLane | null)[]): Placer {
  const lanes: TimelineLane[] = traceLanes.map((l) => ({ id: `lane:${l.id}`, kind: 'connection', title: connectionTitle(l), lane: l }));
  const laneIds = new Map(traceLanes.map((l, i) => [l.id, i]));
  const only = traceLanes.length === 1;
  const actorLanes = new Map<string, number[]>();
  const ofActor = (actor: string): number[] => {
    let found = actorLanes.get(actor);
    if (!found) actorLanes.set(actor, (found = lanesOfActor(traceLanes, actor)));
    return found;
  };
  let elsewhere = -1;
  const placeElsewhere = (): number => {
    if (elsewhere < 0) {
      elsewhere = lanes.length;
      lanes.push({ id: 'elsewhere', kind: 'elsewhere', title: 'elsewhere' });
    }
    return elsewhere;
  };
  // Whether anything lands on no connection decides if that lane exists: look first.
  const placeOne = (e: TraceEvent, step: number): { lane: number | 'elsewhere'; side: LaneSide | 'both' | null } => {
    const byId = e.lane === undefined ? undefined : laneIds.get(e.lane);
    if (e.kind === 'wire') {
      const found = packets[step];
      if (found) return { lane: laneIds.get(found.lane.id) ?? byId ?? 'elsewhere', side: found.from };
      return { lane: byId ?? 'elsewhere', side: null };
    }
    if (byId !== undefined) {
      const l = traceLanes[byId]!;
      const side = actorSide(l, e.actor) ?? (e.kind === 'note' ? 'both' : e.actor?.startsWith('server') ? 'server' : 'client');
      return { lane: byId, side };
    }
    if (e.kind === 'note' && !e.actor) return { lane: ACROSS, side: 'both' };
    const actor = e.actor ?? '';
    const candidates = ofActor(actor);
    if (candidates.length === 1) return { lane: candidates[0]!, side: actorSide(traceLanes[candidates[0]!]!, actor) };
    if (only) {
      const l = traceLanes[0]!;
      return { lane: 0, side: actorSide(l, actor) ?? (actor.startsWith('server') ? 'server' : 'client') };
    }
    return { lane: 'elsewhere', side: null };
  };
  const placed = events.map(placeOne);
  if (placed.some((p) => p.lane === 'elsewhere')) placeElsewhere();
  return {
    lanes,
    place(_e, step) {
      const p = placed[step]!;
      return { lane: p.lane === 'elsewhere' ? elsewhere : p.lane, side: p.side };
    },
  };
}

function stagesPlacer(traceLanes: readonly Lane[]): Placer {
  const lanes: TimelineLane[] = (['writes', 'wire', 'reads'] as const).map((stage) => ({
    id: `stage:${stage}`,
    kind: 'stage',
    title: stage,
    stage,
  }));
  const laneIds = new Map(traceLanes.map((l, i) => [l.id, i]));
  return {
    lanes,
    place(e, _step, packet) {
      if (e.kind === 'wire') return { lane: 1, side: packet?.from ?? null };
      const traceLane = e.lane === undefined ? undefined : traceLanes[laneIds.get(e.lane) ?? -1];
      const side = traceLane && e.actor ? actorSide(traceLane, e.actor) : null;
      if (e.kind === 'app') return { lane: e.op === 'write' ? 0 : 2, side };
      return { lane: ACROSS, side: e.kind === 'note' ? 'both' : side };
    },
  };
}

// ---------------------------------------------------------------- the model

/** Enough bytes for a 16-character preview in any script (4 bytes a character at most). */
const PREVIEW_BYTES = 72;

/** A short preview of base64 bytes, decoding only their start (cut at a whole UTF-8 character). */
export function previewOf(b64: string, max = 16): string {
  if (b64.length <= (PREVIEW_BYTES / 3) * 4) return textPreview(base64ToBytes(b64), max);
  const head = base64ToBytes(b64.slice(0, (PREVIEW_BYTES / 3) * 4));
  let end = head.length;
  // Step back over a character cut in two: continuation bytes, then its lead byte.
  let back = 0;
  while (back < 3 && end - back > 0 && (head[end - back - 1]! & 0xc0) === 0x80) back++;
  if (end - back > 0 && head[end - back - 1]! >= 0xc0) end -= back + 1;
  const text = textPreview(head.subarray(0, end), max);
  return text.endsWith('…"') ? text : `${text.slice(0, -1)}…"`;
}

function shapeOf(
  e: TraceEvent,
  side: LaneSide | 'both' | null,
  packet: { connection: number | null; fromLane?: number; toLane?: number },
): ItemShape {
  const own = side === 'both' ? null : side;
  switch (e.kind) {
    case 'app':
      return { kind: e.op, actor: e.actor, size: e.size, preview: previewOf(e.data), side: own, ...(e.peer !== undefined ? { peer: e.peer } : {}) };
    case 'socket':
      if (e.op === 'state') return { kind: 'state', actor: e.actor, state: e.state ?? '?', side: own };
      return {
        kind: 'socket',
        actor: e.actor,
        op: e.op,
        detail: e.op === 'error' ? (e.code ?? e.message ?? '') : '',
        error: e.op === 'error',
        side: own,
      };
    case 'note':
      return { kind: 'note', ...(e.actor ? { actor: e.actor } : {}), key: e.key, hasData: e.data !== undefined, side };
    case 'program':
      return { kind: 'program', actor: e.actor, side: own, ...programMarker(e) };
    case 'wire': {
      const s = e.decoded.summary;
      const protocol = packetProtocol(e);
      return {
        kind: 'packet',
        protocol,
        label: packetLabel(e, protocol),
        flagKind: protocol === 'tcp' || protocol === 'udp' ? flagKind(s.flags ?? [], s.payloadLength, protocol) : null,
        from: own,
        payloadLength: s.payloadLength,
        info: s.info,
        ...packet,
      };
    }
  }
}

/**
 * The timeline of `events` in `mode`. `traceLanes`: the run's connections and flows (as
 * `lanesOf` gives them).
 */
export function buildTimeline(events: readonly TraceEvent[], traceLanes: readonly Lane[], mode: LaneMode): TimelineModel {
  const index = new LaneIndex(traceLanes);
  // Each packet's connection, by the contract's rule, once.
  const packets = events.map((e) => (e.kind === 'wire' ? index.ofPacket(e.decoded.summary) : null));
  const placer =
    mode === 'programs'
      ? programsPlacer(events, traceLanes)
      : mode === 'connections'
        ? connectionsPlacer(events, traceLanes, packets)
        : stagesPlacer(traceLanes);
  const laneIds = new Map(traceLanes.map((l, i) => [l.id, i]));
  const actorLane = new Map<string, number>();
  placer.lanes.forEach((l, i) => l.actor !== undefined && actorLane.set(l.actor, i));

  const { ys, pauses, height } = placeByTime(events.length, (i) => events[i]!.t, () => ROW_HEIGHT, TIMELINE_TOP);
  const items: TimelineItem[] = new Array<TimelineItem>(events.length);
  const itemOfStep = new Int32Array(events.length);
  for (let step = 0; step < events.length; step++) {
    const e = events[step]!;
    const found = packets[step] ?? null;
    const { lane, side } = placer.place(e, step, found);
    const packet: { connection: number | null; fromLane?: number; toLane?: number } = { connection: null };
    if (e.kind === 'wire') {
      const onLane = found?.lane ?? (e.lane === undefined ? undefined : traceLanes[laneIds.get(e.lane) ?? -1]);
      packet.connection = onLane ? (laneIds.get(onLane.id) ?? null) : null;
      if (found && mode === 'programs') {
        const fromActor = found.from === 'client' ? found.lane.clientActor : found.lane.serverActor;
        const toActor = found.from === 'client' ? found.lane.serverActor : found.lane.clientActor;
        const fromLane = fromActor === undefined ? undefined : actorLane.get(fromActor);
        const toLane = toActor === undefined ? undefined : actorLane.get(toActor);
        if (fromLane !== undefined && toLane !== undefined) {
          packet.fromLane = fromLane;
          packet.toLane = toLane;
        }
      }
    }
    const item: TimelineItem = { step, lane, t: e.t, y: ys[step]!, shape: shapeOf(e, side, packet) };
    const pause = pauses[step];
    if (pause !== undefined) item.pauseUs = pause;
    items[step] = item;
    itemOfStep[step] = step;
  }
  return { mode, lanes: placer.lanes, items, ys, itemOfStep, rowHeight: ROW_HEIGHT, height: height + TIMELINE_TOP };
}

// ---------------------------------------------------------------- finding rows

/** The first index whose `ys` value is greater than `y` (binary search). */
export function upperBound(ys: ArrayLike<number>, y: number): number {
  let lo = 0;
  let hi = ys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ys[mid]! <= y) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Items `[start, end)` that show between `top` and `bottom` (px), with `margin` px more on
 * each side, and at most `max` of them. O(log n).
 */
export function visibleRange(
  model: Pick<TimelineModel, 'ys' | 'rowHeight'>,
  top: number,
  bottom: number,
  margin = 0,
  max = Infinity,
): { start: number; end: number } {
  const from = top - margin;
  const to = bottom + margin;
  // The first row that ends below `from`, the last that starts above `to`.
  const start = Math.max(0, upperBound(model.ys, from - model.rowHeight));
  let end = Math.max(start, upperBound(model.ys, to));
  if (end - start > max) {
    // Keep the rows around the middle of the view.
    const centre = upperBound(model.ys, (top + bottom) / 2);
    const half = Math.floor(max / 2);
    const s = Math.min(Math.max(start, centre - half), end - max);
    return { start: s, end: s + max };
  }
  end = Math.min(end, model.ys.length);
  return { start, end };
}

/** The item of `step`, or the last one before it when the step has none; null when none is. */
/** The indices to draw, in order: those of `range`, and `extra` (the selected one) wherever it is. */
export function drawnIndices(range: { start: number; end: number }, extra: number | null): number[] {
  const out: number[] = [];
  if (extra !== null && extra < range.start) out.push(extra);
  for (let i = range.start; i < range.end; i++) out.push(i);
  if (extra !== null && extra >= range.end) out.push(extra);
  return out;
}

export function itemIndexAtStep(model: Pick<TimelineModel, 'itemOfStep'>, step: number): number | null {
  const s = Math.min(step, model.itemOfStep.length - 1);
  for (let i = s; i >= 0; i--) {
    const item = model.itemOfStep[i]!;
    if (item >= 0) return item;
  }
  return null;
}

/** Whether an event is a note, for views that list notes. */
export function isNote(e: TraceEvent): e is NoteEvent {
  return e.kind === 'note';
}
