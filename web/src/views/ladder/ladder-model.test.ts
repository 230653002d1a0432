import { describe, expect, it } from 'vitest';
import { fixtureTrace } from '../../test-support/fixture-trace.ts';
import type { Lane, TraceEvent } from '../../lib/trace-types.ts';
import { buildLadder, pauseSpace, type SegmentRow } from './ladder-model.ts';
import { lanesOf } from '../timeline/lanes.ts';
import { placeByTime } from '../timeline/timeline-model.ts';

function segments(rows: ReturnType<typeof buildLadder>['rows']): SegmentRow[] {
  return rows.filter((r): r is SegmentRow => r.kind === 'segment');
}

describe('buildLadder on real loopback captures', () => {
  it('draws the IPv4 handshake and teardown with relative numbers and states', () => {
    const trace = fixtureTrace('handshake-ipv4');
    const lane = trace.lanes[0]!;
    const model = buildLadder(lane, trace.events, true);
    const segs = segments(model.rows);
    expect(segs).toHaveLength(trace.events.length);
    expect(segs.slice(0, 3).map((s) => [s.from, s.flagsLabel])).toEqual([
      ['client', 'SYN'],
      ['server', 'SYN, ACK'],
      ['client', 'ACK'],
    ]);
    expect(segs.slice(0, 3).map((s) => [s.relSeq, s.relAck])).toEqual([
      [0, null],
      [0, 1],
      [1, 1],
    ]);
    expect(model.initial).toEqual({ client: 'CLOSED', server: 'LISTEN' });
    expect(segs[2]?.states).toMatchObject({ client: 'ESTABLISHED', server: 'ESTABLISHED' });
    // Whoever sent the first FIN waits in TIME_WAIT; the other side is CLOSED.
    const firstFin = segs.find((s) => s.flags.includes('FIN'))!;
    const last = segs.at(-1)!.states!;
    expect(last[firstFin.from]).toBe('TIME_WAIT');
    expect(last[firstFin.from === 'client' ? 'server' : 'client']).toBe('CLOSED');
    // The data segments carry their payload length and the data colour.
    const data = segs.filter((s) => s.payloadLength > 0);
    expect(data.length).toBeGreaterThan(0);
    expect(data.every((s) => s.flagKind === 'data')).toBe(true);
  });

  it('finds the sides over IPv6 too', () => {
    const trace = fixtureTrace('handshake-ipv6');
    const lane = trace.lanes[0]!;
    expect(lane.client.startsWith('[')).toBe(true);
    const segs = segments(buildLadder(lane, trace.events, true).rows);
    expect(segs[0]?.from).toBe('client');
    expect(segs[1]?.from).toBe('server');
    expect(segs[1]?.flagsLabel).toBe('SYN, ACK');
  });

  it('shows a refused connection: SYN answered by RST, ACK; the server never listened', () => {
    const trace = fixtureTrace('rst-closed-port');
    const model = buildLadder(trace.lanes[0]!, trace.events, true);
    const segs = segments(model.rows);
    expect(model.initial?.server).toBe('CLOSED');
    expect(segs.map((s) => s.flagsLabel)).toEqual(['SYN', 'RST, ACK']);
    expect(segs[1]?.flagKind).toBe('rst');
    expect(segs[1]?.states).toMatchObject({ client: 'CLOSED', server: 'CLOSED' });
  });

  it('draws UDP datagrams without TCP states', () => {
    const trace = fixtureTrace('udp-ipv4');
    const model = buildLadder(trace.lanes[0]!, trace.events, true);
    expect(model.initial).toBeNull();
    const segs = segments(model.rows);
    expect(segs.map((s) => s.flagsLabel)).toEqual(['UDP', 'UDP']);
    expect(segs.map((s) => s.payloadLength)).toEqual([4, 0]);
  });
});

describe('buildLadder without packets', () => {
  const events: TraceEvent[] = [
    { seq: 0, t: 0, kind: 'socket', actor: 'server', op: 'listen', local: '127.0.0.1:4000' },
    { seq: 1, t: 100, kind: 'socket', actor: 'client', op: 'connect', remote: '127.0.0.1:4000' },
    { seq: 2, t: 900, kind: 'socket', actor: 'client', op: 'error', code: 'ECONNREFUSED' },
    { seq: 3, t: 200_900, kind: 'socket', actor: 'client', op: 'state', state: 'CLOSED' },
  ];

  it('synthesises a lane from the socket events and puts each marker on its side', () => {
    const lanes = lanesOf({ lanes: [], events });
    expect(lanes).toHaveLength(1);
    expect(lanes[0]).toMatchObject({ client: 'client', server: '127.0.0.1:4000' });
    const model = buildLadder(lanes[0]!, events, true);
    expect(model.rows.map((r) => (r.kind === 'segment' ? 'segment' : [r.kind, r.side, r.op, r.error]))).toEqual([
      ['socket', 'server', 'listen', false],
      ['socket', 'client', 'connect', false],
      ['socket', 'client', 'error', true],
      ['kernel-state', 'client', 'state', false],
    ]);
  });

  it('spaces rows further apart after a pause, and labels long pauses', () => {
    const lane: Lane = lanesOf({ lanes: [], events })[0]!;
    const rows = buildLadder(lane, events, true).rows;
    const gap = (i: number) => rows[i]!.y - rows[i - 1]!.y;
    expect(gap(3)).toBeGreaterThan(gap(2));
    expect(rows[3]?.pauseUs).toBe(200_000);
    expect(rows[2]?.pauseUs).toBeUndefined();
    expect(pauseSpace(10)).toBe(0);
    expect(pauseSpace(200_000)).toBeGreaterThan(pauseSpace(2_000));
  });
});

describe('the ladder over the timeline placement', () => {
  it('places its rows with the timeline rule, its own row heights, and selects by the contract lane rule', () => {
    const trace = fixtureTrace('handshake-ipv6');
    // A second connection's packets in the same trace stay off this lane.
    const other: Lane = { id: 'L2', transport: 'tcp', client: '[::1]:1', server: '[::1]:2' };
    const model = buildLadder(trace.lanes[0]!, trace.events.map((e) => ({ ...e, lane: undefined })), false);
    expect(model.rows.map((r) => r.step)).toEqual(trace.events.map((_, i) => i));
    const placed = placeByTime(model.rows.length, (i) => model.rows[i]!.t, () => 62, 46);
    expect(model.rows.map((r) => r.y)).toEqual(Array.from(placed.ys));
    expect(buildLadder(other, trace.events.map((e) => ({ ...e, lane: undefined })), false).rows).toEqual([]);
  });
});

describe('buildLadder, every kind of row', () => {
  /** The IPv4 handshake's packets with a program's calls, a note and kernel states between them. */
  function mixed(): { lane: Lane; events: TraceEvent[] } {
    const trace = fixtureTrace('handshake-ipv4');
    const lane = trace.lanes[0]!;
    const [syn, synack, ack, ...rest] = trace.events;
    const events: TraceEvent[] = [
      { seq: 0, t: 1, kind: 'socket', actor: 'server', op: 'listen', local: lane.server },
      syn!,
      synack!,
      ack!,
      { seq: 0, t: ack!.t + 1, kind: 'app', actor: 'client', op: 'write', data: btoa('hello, a long message\n'), size: 22, lane: lane.id },
      { seq: 0, t: ack!.t + 2, kind: 'app', actor: 'server', op: 'read', data: btoa('hi'), size: 2, lane: lane.id, peer: lane.client },
      { seq: 0, t: ack!.t + 3, kind: 'note', key: 'lesson.step', lane: lane.id },
      { seq: 0, t: ack!.t + 4, kind: 'socket', actor: 'client', op: 'state', lane: lane.id },
      { seq: 0, t: ack!.t + 5, kind: 'socket', actor: 'server', op: 'error', message: 'broken pipe', lane: lane.id },
      { seq: 0, t: ack!.t + 6, kind: 'socket', actor: 'client', op: 'error', lane: lane.id },
      { seq: 0, t: ack!.t + 7, kind: 'socket', actor: 'client', op: 'end', lane: lane.id },
      // Another lane's event is not on this ladder.
      { seq: 0, t: ack!.t + 8, kind: 'socket', actor: 'client', op: 'end', lane: 'another-lane' },
      ...rest,
    ];
    events.forEach((e, i) => (e.seq = i));
    return { lane, events };
  }

  it('draws app, note, state and error markers on their sides with what they say', () => {
    const { lane, events } = mixed();
    const model = buildLadder(lane, events, false);
    const markers = model.rows.filter((r) => r.kind !== 'segment').map((r) => ({ kind: r.kind, side: r.side, op: r.op, detail: r.detail, error: r.error }));
    expect(markers).toEqual([
      { kind: 'socket', side: 'server', op: 'listen', detail: '', error: false },
      { kind: 'app', side: 'client', op: 'write', detail: '"hello, a long me…"', error: false },
      { kind: 'app', side: 'server', op: 'read', detail: '"hi"', error: false },
      { kind: 'note', side: 'both', op: 'lesson.step', detail: '', error: false },
      { kind: 'kernel-state', side: 'client', op: 'state', detail: '?', error: false },
      { kind: 'socket', side: 'server', op: 'error', detail: 'broken pipe', error: true },
      { kind: 'socket', side: 'client', op: 'error', detail: '', error: true },
      { kind: 'socket', side: 'client', op: 'end', detail: '', error: false },
    ]);
    const read = model.rows.find((r) => r.kind === 'app' && r.op === 'read');
    expect(read).toMatchObject({ size: 2, peer: lane.client });
    expect(model.rows.find((r) => r.kind === 'app' && r.op === 'write')).not.toHaveProperty('peer');
  });

  it('numbers the segments from 1, maps each step to its row and the other lane’s to none', () => {
    const { lane, events } = mixed();
    const model = buildLadder(lane, events, false);
    const segs = segments(model.rows);
    expect(segs.map((s) => s.number)).toEqual(segs.map((_, i) => i + 1));
    model.rows.forEach((row, i) => expect(model.rowOfStep[row.step]).toBe(i));
    expect(model.rowOfStep[11]).toBe(-1);
    expect([...model.rowOfStep].filter((r) => r === -1)).toHaveLength(1);
    expect(model.height).toBeGreaterThan(model.rows.at(-1)!.y);
    expect(model.rowHeight).toBeGreaterThan(62);
    // Markers are shorter than segments: two markers in a row are closer than two segments.
    const ys = model.rows.map((r) => r.y);
    expect(ys[5]! - ys[4]!).toBeLessThan(ys[2]! - ys[1]!);
  });

  it('with packets only, draws the segments alone, numbered the same', () => {
    const { lane, events } = mixed();
    const all = segments(buildLadder(lane, events, false).rows);
    const model = buildLadder(lane, events, false, undefined, true);
    expect(model.rows.every((r) => r.kind === 'segment')).toBe(true);
    expect(segments(model.rows).map((s) => [s.step, s.number, s.relSeq, s.relAck])).toEqual(all.map((s) => [s.step, s.number, s.relSeq, s.relAck]));
  });

  it('starts the server in LISTEN when it listened, even if the connection was refused; CLOSED when it did not', () => {
    const trace = fixtureTrace('rst-closed-port');
    const lane = trace.lanes[0]!;
    expect(buildLadder(lane, trace.events, true).initial).toEqual({ client: 'CLOSED', server: 'CLOSED' });
    const listen: TraceEvent = { seq: 0, t: 0, kind: 'socket', actor: 'server', op: 'listen', local: lane.server };
    const elsewhere: TraceEvent = { seq: 0, t: 0, kind: 'socket', actor: 'server', op: 'listen', local: '127.0.0.1:1', lane: 'another-lane' };
    expect(buildLadder(lane, [elsewhere, ...trace.events], true).initial).toEqual({ client: 'CLOSED', server: 'CLOSED' });
    expect(buildLadder(lane, [listen, ...trace.events], true).initial).toEqual({ client: 'CLOSED', server: 'LISTEN' });
  });

  it('gives an empty ladder its own height', () => {
    const lane: Lane = { id: 'x', transport: 'tcp', client: '127.0.0.1:1', server: '127.0.0.1:2' };
    const model = buildLadder(lane, [], true);
    expect(model.rows).toEqual([]);
    expect(model.height).toBe(46 + 40);
  });
});
