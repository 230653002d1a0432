/**
 * The timeline model on small hand-made runs: where each kind of event goes in each mode, on
 * which side, with which shape, and how rows are found and previews cut. Each test builds a
 * run of a few events, so a wrong lane or a wrong word shows on one named event.
 */
import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../../server/decode/index.ts';
import { concat, ethernet, ipv6 } from '../../../../server/decode/fixtures/craft.ts';
import type { Lane, TraceEvent, WireEvent } from '../../lib/trace-types.ts';
import {
  ACROSS,
  buildTimeline,
  drawnIndices,
  isNote,
  LANE_MODES,
  pauseSpace,
  placeByTime,
  previewOf,
  ROW_HEIGHT,
  visibleRange,
  type PacketShape,
  type TimelineModel,
} from './timeline-model.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');

const L1: Lane = { id: 'L1', transport: 'tcp', client: '127.0.0.1:40000', server: '127.0.0.1:9000', clientActor: 'client', serverActor: 'server' };
const L2: Lane = { id: 'L2', transport: 'tcp', client: '127.0.0.1:40001', server: '127.0.0.1:9000', clientActor: 'client-2', serverActor: 'server' };

type Draft = TraceEvent extends infer E ? (E extends TraceEvent ? Omit<E, 'seq' | 't'> : never) : never;

/** Events 10 µs apart, numbered in order. */
function run(...drafts: Draft[]): TraceEvent[] {
  return drafts.map((d, seq) => ({ ...d, seq, t: seq * 10 }) as TraceEvent);
}

function split(endpoint: string): [string, number] {
  const at = endpoint.lastIndexOf(':');
  return [endpoint.slice(0, at), Number(endpoint.slice(at + 1))];
}

/** A TCP segment of `lane` sent by its `from` end (a summary only, as the synthetic runs have). */
function segment(lane: Lane, from: 'client' | 'server', flags: string[], opts: { len?: number; laneId?: string } = {}): Draft {
  const [src, sport] = split(from === 'client' ? lane.client : lane.server);
  const [dst, dport] = split(from === 'client' ? lane.server : lane.client);
  const len = opts.len ?? 0;
  const w: Omit<WireEvent, 'seq' | 't'> = {
    kind: 'wire',
    frame: 1,
    tsNs: '0',
    caplen: 54 + len,
    len: 54 + len,
    linktype: 1,
    data: '',
    decoded: {
      layers: [],
      summary: { ip: 4, src, dst, proto: 'tcp', sport, dport, seq: 1, ack: 1, flags, window: 100, payloadLength: len, info: `${sport} → ${dport}` },
    },
    ...(opts.laneId === undefined ? {} : { lane: opts.laneId }),
  };
  return w;
}

/** A real frame, decoded as the page gets it. */
function frame(data: Uint8Array): Draft {
  return { kind: 'wire', frame: 1, tsNs: '0', caplen: data.length, len: data.length, linktype: 1, data: '', decoded: decodeFrame(data, 1, data.length) };
}

/** Each row as [its lane's id, or 'across'; the side it is drawn on]. */
const placed = (model: TimelineModel) =>
  model.items.map((i) => [model.lanes[i.lane]?.id ?? (i.lane === ACROSS ? 'across' : '?'), i.shape.kind === 'packet' ? i.shape.from : i.shape.side]);

describe('shapes: what each event is drawn as', () => {
  it('socket calls, states, errors, reads and writes, notes and program markers carry their own words', () => {
    const events = run(
      { kind: 'socket', actor: 'server', op: 'listen' },
      { kind: 'socket', actor: 'client', op: 'state', state: 'SYN_SENT', lane: 'L1' },
      { kind: 'socket', actor: 'client', op: 'state', lane: 'L1' },
      { kind: 'socket', actor: 'client', op: 'error', code: 'ECONNREFUSED', message: 'Connection refused', lane: 'L1' },
      { kind: 'socket', actor: 'client', op: 'error', message: 'went wrong' },
      { kind: 'socket', actor: 'client', op: 'error' },
      { kind: 'app', actor: 'client', op: 'write', data: b64('hello'), size: 5, lane: 'L1' },
      { kind: 'app', actor: 'server', op: 'read', data: b64('hi'), size: 2, peer: '127.0.0.1:5353', lane: 'L1' },
      { kind: 'note', key: 'demo.plain' },
      { kind: 'note', key: 'demo.table', actor: 'server', data: { rows: [] } },
      { kind: 'program', actor: 'client', op: 'start' },
      { kind: 'program', actor: 'server', op: 'exit', code: 3 },
    );
    const shapes = buildTimeline(events, [L1], 'programs').items.map((i) => i.shape);
    expect(shapes).toStrictEqual([
      { kind: 'socket', actor: 'server', op: 'listen', detail: '', error: false, side: null },
      { kind: 'state', actor: 'client', state: 'SYN_SENT', side: 'client' },
      // A state the kernel did not name.
      { kind: 'state', actor: 'client', state: '?', side: 'client' },
      // An error says its code, else its message.
      { kind: 'socket', actor: 'client', op: 'error', detail: 'ECONNREFUSED', error: true, side: 'client' },
      { kind: 'socket', actor: 'client', op: 'error', detail: 'went wrong', error: true, side: null },
      { kind: 'socket', actor: 'client', op: 'error', detail: '', error: true, side: null },
      { kind: 'write', actor: 'client', size: 5, preview: '"hello"', side: 'client' },
      { kind: 'read', actor: 'server', size: 2, preview: '"hi"', side: 'server', peer: '127.0.0.1:5353' },
      { kind: 'note', key: 'demo.plain', hasData: false, side: 'both' },
      { kind: 'note', actor: 'server', key: 'demo.table', hasData: true, side: null },
      { kind: 'program', actor: 'client', side: null, op: 'start', detail: '', error: false },
      { kind: 'program', actor: 'server', side: null, op: 'exit', detail: '3', error: true },
    ]);
  });

  it('a row gets a pause label only when the pause before it is long', () => {
    const events = run({ kind: 'note', key: 'a' }, { kind: 'note', key: 'b' });
    events[1]!.t = 10_000;
    const model = buildTimeline(events, [], 'stages');
    expect('pauseUs' in model.items[0]!).toBe(false);
    expect(model.items[1]!.pauseUs).toBe(10_000);
  });

  it('ICMPv6 behind an IPv6 extension header is ICMPv6, not the extension header', () => {
    const icmp6 = [128, 0, 0, 0, 0, 1, 0, 1];
    const hopByHop = (next: number) => [next, 0, 1, 4, 0, 0, 0, 0];
    const events = run(
      frame(ethernet(0x86dd, ipv6(0, concat(hopByHop(58), icmp6)))),
      frame(ethernet(0x86dd, ipv6(0, concat(hopByHop(89), new Array(8).fill(0))))),
    );
    const shapes = buildTimeline(events, [], 'stages').items.map((i) => i.shape as PacketShape);
    expect(shapes.map((s) => [s.protocol, s.label])).toEqual([
      ['icmp', 'ICMPv6'],
      ['ip', 'IP 89'],
    ]);
  });

  it('a TCP segment is labelled and coloured by its flags', () => {
    const events = run(segment(L1, 'client', ['SYN'], { laneId: 'L1' }), segment(L1, 'client', ['PSH', 'ACK'], { len: 5, laneId: 'L1' }));
    const shapes = buildTimeline(events, [L1], 'stages').items.map((i) => i.shape as PacketShape);
    expect(shapes.map((s) => [s.protocol, s.label, s.flagKind, s.payloadLength])).toEqual([
      ['tcp', 'SYN', 'syn', 0],
      ['tcp', 'PSH, ACK', 'data', 5],
    ]);
  });
});

describe('lanes: each mode its own', () => {
  it('every mode gives its own kind of lanes', () => {
    const events = run({ kind: 'socket', actor: 'client', op: 'connect', lane: 'L1' }, segment(L1, 'client', ['SYN'], { laneId: 'L1' }));
    const kinds = Object.fromEntries(LANE_MODES.map((mode) => [mode, buildTimeline(events, [L1], mode).lanes.map((l) => l.kind)]));
    expect(kinds).toEqual({
      programs: ['actor', 'wire', 'actor'],
      connections: ['connection'],
      stages: ['stage', 'stage', 'stage'],
    });
    for (const mode of LANE_MODES) expect(buildTimeline(events, [L1], mode).mode).toBe(mode);
  });

  it('programs: a lane for each program the connections name, even one with no event; clients first', () => {
    const quiet: Lane = { ...L1, serverActor: 'server-b' };
    const events = run({ kind: 'socket', actor: 'server', op: 'listen' }, { kind: 'note', key: 'demo.plain' });
    const model = buildTimeline(events, [quiet], 'programs');
    expect(model.lanes).toEqual([
      { id: 'actor:client', kind: 'actor', title: 'client', actor: 'client' },
      { id: 'actor:server', kind: 'actor', title: 'server', actor: 'server' },
      { id: 'actor:server-b', kind: 'actor', title: 'server-b', actor: 'server-b' },
    ]);
    // A note about the whole run is on no lane.
    expect(model.items[1]!.lane).toBe(ACROSS);
    expect(model.lanes[model.items[1]!.lane]).toBeUndefined();
  });

  it('programs: a packet runs from its sender to its receiver, both ways; without known programs it runs nowhere', () => {
    const anonymous: Lane = { id: 'X', transport: 'tcp', client: '127.0.0.1:41000', server: '127.0.0.1:9001' };
    const events = run(
      { kind: 'socket', actor: 'client', op: 'connect', lane: 'L1' },
      segment(L1, 'client', ['SYN'], { laneId: 'L1' }),
      segment(L1, 'server', ['SYN', 'ACK'], { laneId: 'L1' }),
      { kind: 'socket', actor: 'server', op: 'accept', lane: 'L1' },
      segment(anonymous, 'server', ['RST']),
    );
    const model = buildTimeline(events, [L1, anonymous], 'programs');
    expect(model.lanes).toEqual([
      { id: 'actor:client', kind: 'actor', title: 'client', actor: 'client' },
      { id: 'wire', kind: 'wire', title: 'wire' },
      { id: 'actor:server', kind: 'actor', title: 'server', actor: 'server' },
    ]);
    const packets = model.items.filter((i) => i.shape.kind === 'packet').map((i) => [i.lane, i.shape as PacketShape] as const);
    expect(packets.map(([lane, s]) => [lane, s.from, s.connection, s.fromLane, s.toLane])).toEqual([
      [1, 'client', 0, 0, 2],
      [1, 'server', 0, 2, 0],
      [1, 'server', 1, undefined, undefined],
    ]);
    expect(placed(model).filter((_, i) => events[i]!.kind === 'socket')).toEqual([
      ['actor:client', 'client'],
      ['actor:server', 'server'],
    ]);
  });

  it('connections: an event without a lane goes to the one connection of its program, else elsewhere', () => {
    const stray: Lane = { id: 'S', transport: 'tcp', client: '127.0.0.1:1', server: '127.0.0.1:2' };
    const events = run(
      // The server is on both connections: it belongs to neither.
      { kind: 'socket', actor: 'server', op: 'listen' },
      // client-2 has one connection.
      { kind: 'socket', actor: 'client-2', op: 'connect' },
      { kind: 'app', actor: 'client', op: 'write', data: b64('x'), size: 1, lane: 'L1' },
      { kind: 'note', key: 'demo.plain' },
      { kind: 'note', key: 'demo.lane', lane: 'L2' },
      // On a connection by its id, by a program the connection does not name: its side by name.
      { kind: 'socket', actor: 'helper', op: 'connect', lane: 'L1' },
      { kind: 'socket', actor: 'server-x', op: 'accept', lane: 'L1' },
      // Found by endpoints, with no lane id.
      segment(L2, 'server', ['ACK']),
      // A lane id but endpoints of no connection.
      { ...segment(stray, 'client', ['ACK']), lane: 'L1' },
      // Nothing at all.
      segment(stray, 'client', ['ACK']),
    );
    const model = buildTimeline(events, [L1, L2], 'connections');
    expect(model.lanes).toEqual([
      { id: 'lane:L1', kind: 'connection', title: 'TCP 127.0.0.1:40000 → 127.0.0.1:9000', lane: L1 },
      { id: 'lane:L2', kind: 'connection', title: 'TCP 127.0.0.1:40001 → 127.0.0.1:9000', lane: L2 },
      { id: 'elsewhere', kind: 'elsewhere', title: 'elsewhere' },
    ]);
    expect(placed(model)).toEqual([
      ['elsewhere', null],
      ['lane:L2', 'client'],
      ['lane:L1', 'client'],
      ['across', 'both'],
      ['lane:L2', 'both'],
      ['lane:L1', 'client'],
      ['lane:L1', 'server'],
      ['lane:L2', 'server'],
      ['lane:L1', null],
      ['elsewhere', null],
    ]);
    expect((model.items[8]!.shape as PacketShape).connection).toBe(0);
    expect((model.items[9]!.shape as PacketShape).connection).toBeNull();
  });

  it('connections: with one connection, every program is on it (by name when the connection does not name it)', () => {
    const imported: Lane = { id: '', transport: 'tcp', client: '127.0.0.1:40000', server: '127.0.0.1:9000' };
    const events = run(
      { kind: 'socket', actor: 'server', op: 'listen' },
      { kind: 'socket', actor: 'client', op: 'connect' },
      { kind: 'socket', actor: 'server-2', op: 'listen' },
    );
    const model = buildTimeline(events, [imported], 'connections');
    expect(model.lanes.map((l) => l.id)).toEqual(['lane:']);
    expect(placed(model)).toEqual([
      ['lane:', 'server'],
      ['lane:', 'client'],
      ['lane:', 'server'],
    ]);
    const named = buildTimeline(run({ kind: 'socket', actor: 'client-9', op: 'connect' }, { kind: 'socket', actor: 'server-9', op: 'listen' }), [L1], 'connections');
    expect(named.lanes.map((l) => l.id)).toEqual(['lane:L1']);
    expect(placed(named)).toEqual([
      ['lane:L1', 'client'],
      ['lane:L1', 'server'],
    ]);
  });

  it('connections: a connection that names its programs is theirs; one that names none is not (imported beside a run)', () => {
    const imported: Lane = { id: 'I', transport: 'tcp', client: '127.0.0.1:50000', server: '127.0.0.1:50001' };
    const events = run({ kind: 'socket', actor: 'client-2', op: 'connect' }, { kind: 'note', key: 'demo.mine', actor: 'client-2' });
    const model = buildTimeline(events, [L2, imported], 'connections');
    expect(placed(model)).toEqual([
      ['lane:L2', 'client'],
      // A note by a program goes where the program is; only a note by no one is across.
      ['lane:L2', 'client'],
    ]);
  });

  it('stages: writes and reads on their side, calls across on theirs, notes across both, packets on the wire', () => {
    const events = run(
      { kind: 'app', actor: 'client', op: 'write', data: b64('x'), size: 1, lane: 'L1' },
      { kind: 'app', actor: 'server', op: 'read', data: b64('x'), size: 1, lane: 'L1' },
      { kind: 'app', actor: 'server', op: 'write', data: b64('y'), size: 1 },
      { kind: 'socket', actor: 'client', op: 'close', lane: 'L1' },
      { kind: 'socket', actor: 'client', op: 'close', lane: 'nowhere' },
      { kind: 'note', key: 'demo.lane', lane: 'L1' },
      segment(L1, 'server', ['ACK'], { laneId: 'L1' }),
    );
    const model = buildTimeline(events, [L1], 'stages');
    expect(model.lanes).toEqual([
      { id: 'stage:writes', kind: 'stage', title: 'writes', stage: 'writes' },
      { id: 'stage:wire', kind: 'stage', title: 'wire', stage: 'wire' },
      { id: 'stage:reads', kind: 'stage', title: 'reads', stage: 'reads' },
    ]);
    expect(placed(model)).toEqual([
      ['stage:writes', 'client'],
      ['stage:reads', 'server'],
      ['stage:writes', null],
      ['across', 'client'],
      ['across', null],
      ['across', 'both'],
      ['stage:wire', 'server'],
    ]);
  });
});

describe('placement in time', () => {
  it('adds no space under 1 ms, then 10 px more for each tenfold pause, up to 44 px', () => {
    expect([999, 1000, 10_000, 100_000, 1_000_000, 1e9].map(pauseSpace)).toEqual([0, 8, 18, 28, 38, 44]);
    expect(pauseSpace(Number.NaN)).toBe(0);
  });

  it('labels a pause of 5 ms or more', () => {
    const times = [0, 4999, 9998, 20_000];
    const { pauses } = placeByTime(times.length, (i) => times[i]!, () => ROW_HEIGHT, 0);
    expect(pauses).toEqual([undefined, undefined, undefined, 10_002]);
    expect(placeByTime(2, (i) => i * 5000, () => ROW_HEIGHT, 0).pauses).toEqual([undefined, 5000]);
    expect(placeByTime(0, () => 0, () => ROW_HEIGHT, 7).height).toBe(7);
  });
});

describe('rows in view', () => {
  // 100 rows, one under the other.
  const rows = { ys: Float64Array.from({ length: 100 }, (_, i) => i * ROW_HEIGHT), rowHeight: ROW_HEIGHT };

  it('gives every row that shows when there are no more than the cap', () => {
    // Row 39 ends where the view starts; row 59 starts 10 px above its bottom.
    expect(visibleRange(rows, 40 * ROW_HEIGHT, 60 * ROW_HEIGHT - 10)).toEqual({ start: 40, end: 60 });
    expect(visibleRange(rows, 40 * ROW_HEIGHT, 60 * ROW_HEIGHT - 10, 0, 50)).toEqual({ start: 40, end: 60 });
    expect(visibleRange(rows, 98 * ROW_HEIGHT, 200 * ROW_HEIGHT)).toEqual({ start: 98, end: 100 });
  });

  it('keeps the rows around the middle of the view when there are more than the cap', () => {
    const { start, end } = visibleRange(rows, 40 * ROW_HEIGHT, 60 * ROW_HEIGHT, 0, 6);
    expect(end - start).toBe(6);
    // The middle of the view is the top of row 50: rows 47..52 or 48..53.
    expect(start).toBeGreaterThanOrEqual(47);
    expect(start).toBeLessThanOrEqual(48);
  });

  it('keeps the last rows when the middle of the view is past them', () => {
    expect(visibleRange(rows, 95 * ROW_HEIGHT, 200 * ROW_HEIGHT, 0, 2)).toEqual({ start: 98, end: 100 });
  });

  it('draws the selected row too, before or after the rows in view', () => {
    const range = { start: 2, end: 5 };
    expect(drawnIndices(range, null)).toEqual([2, 3, 4]);
    expect(drawnIndices(range, 0)).toEqual([0, 2, 3, 4]);
    expect(drawnIndices(range, 2)).toEqual([2, 3, 4]);
    expect(drawnIndices(range, 4)).toEqual([2, 3, 4]);
    expect(drawnIndices(range, 5)).toEqual([2, 3, 4, 5]);
    expect(drawnIndices(range, 9)).toEqual([2, 3, 4, 9]);
  });

  it('tells notes from other events', () => {
    const [note, call] = run({ kind: 'note', key: 'demo.plain' }, { kind: 'socket', actor: 'client', op: 'close' });
    expect([isNote(note!), isNote(call!)]).toEqual([true, false]);
  });
});

describe('previews of long data', () => {
  const repeat = (s: string, n: number): string => s.repeat(n);

  it('decodes the first 72 bytes only, and says there is more', () => {
    expect(previewOf(b64(repeat('y', 72)), 100)).toBe(`"${repeat('y', 72)}"`);
    expect(previewOf(b64(repeat('y', 73)), 100)).toBe(`"${repeat('y', 72)}…"`);
    expect(previewOf(b64(repeat('y', 500)), 100)).toBe(`"${repeat('y', 72)}…"`);
    expect(previewOf(b64(repeat('y', 500)))).toBe(`"${repeat('y', 16)}…"`);
  });

  it('drops a character the 72 bytes cut in two, whatever its length in UTF-8', () => {
    // 1 + 35 × 2 bytes, then the first byte of the 36th é.
    expect(previewOf(b64(`a${repeat('é', 100)}`), 100)).toBe(`"a${repeat('é', 35)}…"`);
    // 1 + 23 × 3 bytes, then two bytes of the 24th €.
    expect(previewOf(b64(`a${repeat('€', 100)}`), 100)).toBe(`"a${repeat('€', 23)}…"`);
    // 1 + 17 × 4 bytes, then three bytes of the 18th emoji.
    expect(previewOf(b64(`a${repeat('😀', 100)}`), 100)).toBe(`"a${repeat('😀', 17)}…"`);
  });
});
