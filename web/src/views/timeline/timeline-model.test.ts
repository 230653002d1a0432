import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../../server/decode/index.ts';
import { concat, craftedFrames, ethernet, ipv6 } from '../../../../server/decode/fixtures/craft.ts';
import type { Lane, TraceEvent, WireEvent } from '../../lib/trace-types.ts';
import { fixtureTrace } from '../../test-support/fixture-trace.ts';
import { lanesOf } from './lanes.ts';
import { syntheticTrace } from './synthetic.ts';
import { MUTATION_RUN, once } from '../../../../server/setup/mutation-run.ts';
import {
  ACROSS,
  buildTimeline,
  itemIndexAtStep,
  LANE_MODES,
  pauseSpace,
  placeByTime,
  previewOf,
  ROW_HEIGHT,
  upperBound,
  visibleRange,
  type PacketShape,
  type TimelineModel,
} from './timeline-model.ts';

// Traces are built inside the tests (`once`), and big ones are smaller inside `npm run mutate`.
function laneTitles(model: TimelineModel): string[] {
  return model.lanes.map((l) => l.id);
}

function wire(seq: number, t: number, data: Uint8Array): WireEvent {
  return {
    seq,
    t,
    kind: 'wire',
    frame: seq + 1,
    tsNs: String(t * 1000),
    caplen: data.length,
    len: data.length,
    linktype: 1,
    data: Buffer.from(data).toString('base64'),
    decoded: decodeFrame(data, 1, data.length),
  };
}

describe('every event once', () => {
  const bigTrace = once(() => syntheticTrace(MUTATION_RUN ? 300 : 2000));
  for (const mode of LANE_MODES) {
    it(`places each event exactly once, in step order, on a lane (${mode})`, () => {
      const trace = bigTrace();
      const model = buildTimeline(trace.events, trace.lanes, mode);
      expect(model.items.map((i) => i.step)).toEqual(trace.events.map((_, i) => i));
      for (const item of model.items) {
        expect(item.lane === ACROSS || (item.lane >= 0 && item.lane < model.lanes.length)).toBe(true);
        expect(item.t).toBe(trace.events[item.step]!.t);
      }
      // Rows go down in step order and never overlap.
      for (let i = 1; i < model.items.length; i++) expect(model.ys[i]! - model.ys[i - 1]!).toBeGreaterThanOrEqual(ROW_HEIGHT);
      expect(model.height).toBeGreaterThan(model.ys[model.ys.length - 1]! + ROW_HEIGHT - 1);
    });
  }
});

describe('lanes per mode', () => {
  const trace = syntheticTrace(400, 3);

  it('programs: clients, then the wire, then the server; packets run from sender to receiver', () => {
    const model = buildTimeline(trace.events, trace.lanes, 'programs');
    expect(laneTitles(model)).toEqual(['actor:client', 'actor:client-2', 'actor:client-3', 'wire', 'actor:server']);
    const wireLane = model.lanes.findIndex((l) => l.kind === 'wire');
    const byStep = (step: number) => model.items[step]!;
    trace.events.forEach((e, step) => {
      const item = byStep(step);
      if (e.kind === 'wire') expect(item.lane).toBe(wireLane);
      else if (e.kind === 'note' && !e.actor) expect(item.lane).toBe(ACROSS);
      else expect(model.lanes[item.lane]?.actor).toBe(e.actor);
    });
    // The second connection's SYN runs from client-2 to the server; the SYN,ACK back.
    const synOf2 = model.items.find((i) => i.shape.kind === 'packet' && i.shape.label === 'SYN' && i.shape.connection === 1)!;
    const shape = synOf2.shape as PacketShape;
    expect([model.lanes[shape.fromLane!]!.actor, model.lanes[shape.toLane!]!.actor]).toEqual(['client-2', 'server']);
    expect(shape.from).toBe('client');
    const synAck = model.items.find((i) => i.step > synOf2.step && i.shape.kind === 'packet')!.shape as PacketShape;
    expect([synAck.label, model.lanes[synAck.fromLane!]!.actor, synAck.from]).toEqual(['SYN, ACK', 'server', 'server']);
  });

  it('programs: no wire lane when nothing was captured', () => {
    const events = trace.events.filter((e) => e.kind !== 'wire').map((e, seq) => ({ ...e, seq }));
    const model = buildTimeline(events, trace.lanes, 'programs');
    expect(model.lanes.some((l) => l.kind === 'wire')).toBe(false);
  });

  it('connections: one lane per connection, and one for what is on none', () => {
    const model = buildTimeline(trace.events, trace.lanes, 'connections');
    expect(laneTitles(model)).toEqual(['lane:tcp-1', 'lane:tcp-2', 'lane:tcp-3', 'lane:udp-1', 'elsewhere']);
    expect(model.lanes[0]!.title).toBe('TCP 127.0.0.1:40000 → 127.0.0.1:9000');
    trace.events.forEach((e, step) => {
      const lane = model.lanes[model.items[step]!.lane];
      if (e.lane !== undefined) expect(lane?.lane?.id).toBe(e.lane);
    });
    // The server's listen() is on no connection (it serves them all); the ICMP packet neither.
    const listen = model.items.find((i) => i.shape.kind === 'socket' && i.shape.op === 'listen')!;
    expect(model.lanes[listen.lane]!.kind).toBe('elsewhere');
    const icmp = model.items.find((i) => i.shape.kind === 'packet' && i.shape.protocol === 'icmp')!;
    expect(model.lanes[icmp.lane]!.kind).toBe('elsewhere');
  });

  it('connections: a packet without a lane id still finds its connection by endpoints', () => {
    const fixture = fixtureTrace('handshake-ipv4');
    const events = fixture.events.map((e) => ({ ...e, lane: undefined }));
    const other: Lane = { id: 'x', transport: 'tcp', client: '127.0.0.1:1', server: '127.0.0.1:2' };
    const model = buildTimeline(events, [other, ...fixture.lanes], 'connections');
    expect(new Set(model.items.map((i) => model.lanes[i.lane]!.id))).toEqual(new Set(['lane:L1']));
    expect(model.items.slice(0, 2).map((i) => (i.shape as PacketShape).from)).toEqual(['client', 'server']);
  });

  it('stages: writes, wire, reads; calls and notes across', () => {
    const model = buildTimeline(trace.events, trace.lanes, 'stages');
    expect(laneTitles(model)).toEqual(['stage:writes', 'stage:wire', 'stage:reads']);
    trace.events.forEach((e, step) => {
      const lane = model.items[step]!.lane;
      const expected = e.kind === 'app' ? (e.op === 'write' ? 0 : 2) : e.kind === 'wire' ? 1 : ACROSS;
      expect(lane).toBe(expected);
    });
  });

  it('an imported capture without programs: connections come from the packets', () => {
    const fixture = fixtureTrace('udp-ipv6');
    const model = buildTimeline(fixture.events, lanesOf(fixture), 'connections');
    expect(model.lanes).toHaveLength(1);
    expect(model.items.every((i) => i.lane === 0)).toBe(true);
  });
});

describe('packets of any protocol', () => {
  const packetEvents = once((): TraceEvent[] => {
    const frames = craftedFrames();
    const icmp6 = ethernet(0x86dd, ipv6(58, new Uint8Array([128, 0, 0, 0, 0, 1, 0, 1])));
    const ospf = ethernet(0x86dd, ipv6(89, new Uint8Array(8)));
    return [
      ...fixtureTrace('udp-ipv4').events,
      wire(2, 10, frames['ipv4Icmp']!.data),
      wire(3, 20, icmp6),
      wire(4, 30, ospf),
      wire(5, 40, frames['arp']!.data),
      wire(6, 50, concat([1, 2, 3])),
    ];
  });

  for (const mode of LANE_MODES) {
    it(`gives UDP, ICMP, another IP protocol and a non-IP frame a lane and a shape (${mode})`, () => {
      const events = packetEvents();
      const lanes = fixtureTrace('udp-ipv4').lanes;
      const model = buildTimeline(events, lanes, mode);
      const shapes = model.items.map((i) => i.shape as PacketShape);
      expect(shapes.map((s) => [s.kind, s.protocol, s.label])).toEqual([
        ['packet', 'udp', 'UDP'],
        ['packet', 'udp', 'UDP'],
        ['packet', 'icmp', 'ICMP'],
        ['packet', 'icmp', 'ICMPv6'],
        ['packet', 'ip', 'IP 89'],
        ['packet', 'unknown', ''],
        ['packet', 'unknown', ''],
      ]);
      expect(shapes.map((s) => s.flagKind)).toEqual(['udp', 'udp', null, null, null, null, null]);
      for (const item of model.items) expect(item.lane).toBeGreaterThanOrEqual(0);
      // The UDP datagrams (4 bytes, then an empty one) are on their flow; the others on none.
      expect(shapes.map((s) => s.connection)).toEqual([0, 0, null, null, null, null, null]);
      expect(shapes.map((s) => s.from)).toEqual(['client', 'client', null, null, null, null, null]);
      if (mode === 'programs') {
        expect(model.lanes.map((l) => l.id)).toEqual(['actor:client', 'wire', 'actor:server']);
        expect([shapes[0]!.fromLane, shapes[0]!.toLane]).toEqual([0, 2]);
        expect(shapes[2]!.fromLane).toBeUndefined();
      }
    });
  }
});

describe('time placement', () => {
  it('compresses long idle gaps and labels them', () => {
    const times = [0, 10, 20, 200_020, 200_030];
    const placed = placeByTime(times.length, (i) => times[i]!, () => 30, 5);
    const gaps = Array.from(placed.ys).slice(1).map((y, i) => y - placed.ys[i]!);
    expect(gaps).toEqual([30, 30, 30 + pauseSpace(200_000), 30]);
    expect(pauseSpace(200_000)).toBeLessThanOrEqual(44);
    expect(placed.pauses).toEqual([undefined, undefined, undefined, 200_000, undefined]);
    expect(placed.ys[0]).toBe(5);
    expect(placed.height).toBe(placed.ys[4]! + 30);
  });

  it('a long pause in a big run takes no more room than a short one a thousand times over', () => {
    const trace = syntheticTrace(MUTATION_RUN ? 300 : 3000);
    const model = buildTimeline(trace.events, trace.lanes, 'programs');
    const labelled = model.items.filter((i) => i.pauseUs !== undefined);
    expect(labelled.length).toBeGreaterThan(0);
    expect(labelled.every((i) => i.pauseUs! >= 5000)).toBe(true);
    expect(model.height).toBeLessThan(trace.events.length * (ROW_HEIGHT + 44) + 100);
  });
});

describe('finding rows', () => {
  const bigModel = once(() => {
    const trace = syntheticTrace(MUTATION_RUN ? 1000 : 10_000);
    return buildTimeline(trace.events, trace.lanes, 'programs');
  });

  it('finds the rows in view by scroll position', () => {
    const model = bigModel();
    for (const top of [0, 1234, Math.floor(model.height / 2), model.height - 400]) {
      const bottom = top + 400;
      const { start, end } = visibleRange(model, top, bottom);
      // Exactly the rows that overlap [top, bottom).
      const expected = model.items.map((_, i) => i).filter((i) => model.ys[i]! + ROW_HEIGHT > top && model.ys[i]! < bottom);
      expect([start, end]).toEqual([expected[0], expected.at(-1)! + 1]);
    }
  });

  it('adds the margin and caps the count', () => {
    const model = bigModel();
    const plain = visibleRange(model, 10_000, 10_600);
    const wide = visibleRange(model, 10_000, 10_600, 600);
    expect(wide.start).toBeLessThan(plain.start);
    expect(wide.end).toBeGreaterThan(plain.end);
    const capped = visibleRange(model, 0, model.height, 0, 300);
    expect(capped.end - capped.start).toBe(300);
    expect(visibleRange(model, -500, -100)).toEqual({ start: 0, end: 0 });
    expect(visibleRange(model, model.height + 10, model.height + 500).start).toBe(model.items.length);
  });

  it('binary-searches positions', () => {
    expect(upperBound([0, 10, 10, 20], 10)).toBe(3);
    expect(upperBound([0, 10, 10, 20], -1)).toBe(0);
    expect(upperBound([0, 10, 10, 20], 25)).toBe(4);
  });

  it('maps a step to its row, and a step without a row to the one before', () => {
    const model = bigModel();
    expect(itemIndexAtStep(model, 567)).toBe(567);
    expect(model.items[itemIndexAtStep(model, 567)!]!.step).toBe(567);
    // A step past the end (a trace still growing) shows the last row.
    expect(itemIndexAtStep(model, model.items.length + 50)).toBe(model.items.length - 1);
    const sparse = { itemOfStep: Int32Array.from([0, -1, -1, 1, -1]) };
    expect([0, 1, 2, 3, 4, 99].map((s) => itemIndexAtStep(sparse, s))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(itemIndexAtStep({ itemOfStep: Int32Array.from([-1, 0]) }, 0)).toBeNull();
  });
});

describe('previews', () => {
  it('decodes only the start of long data, cutting at a whole character', () => {
    const long = Buffer.from('你好'.repeat(100)).toString('base64');
    expect(previewOf(long)).toBe(`"${'你好'.repeat(8)}…"`);
    expect(previewOf(Buffer.from('hi\n').toString('base64'))).toBe('"hi\\n"');
  });
});
