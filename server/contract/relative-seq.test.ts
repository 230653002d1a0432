import { describe, expect, it } from 'vitest';
import { initialSequenceNumbers, NumberingAccumulator, relativeNumbers, relativeNumbersByEvent, summaryLine } from './relative-seq.js';
import type { Lane, TraceEvent } from './trace.js';
import { tcpWire } from './test-wire.js';

const MOD = 2 ** 32;

describe('relativeNumbers', () => {
  it('counts each side from its own ISN, and acks from the peer’s', () => {
    const c = 3_000_000_000;
    const s = 17;
    const rel = relativeNumbers([
      { from: 'client', flags: ['SYN'], seq: c, ack: 0 },
      { from: 'server', flags: ['SYN', 'ACK'], seq: s, ack: c + 1 },
      { from: 'client', flags: ['ACK'], seq: c + 1, ack: s + 1 },
      { from: 'client', flags: ['PSH', 'ACK'], seq: c + 1, ack: s + 1 },
      { from: 'server', flags: ['ACK'], seq: s + 1, ack: c + 6 },
    ]);
    expect(rel).toEqual([
      { seq: 0, ack: null },
      { seq: 0, ack: 1 },
      { seq: 1, ack: 1 },
      { seq: 1, ack: 1 },
      { seq: 1, ack: 6 },
    ]);
  });

  it('wraps around 2^32', () => {
    const c = MOD - 2;
    const rel = relativeNumbers([
      { from: 'client', flags: ['SYN'], seq: c, ack: 0 },
      { from: 'server', flags: ['SYN', 'ACK'], seq: 9, ack: (c + 1) % MOD },
      { from: 'client', flags: ['ACK'], seq: (c + 1) % MOD, ack: 10 },
      { from: 'client', flags: ['PSH', 'ACK'], seq: (c + 1) % MOD, ack: 10 },
      { from: 'server', flags: ['ACK'], seq: 10, ack: (c + 101) % MOD },
    ]);
    expect(rel[4]).toEqual({ seq: 1, ack: 101 });
  });

  it('uses the first segment seen when a side’s SYN was not captured', () => {
    expect(
      initialSequenceNumbers([
        { from: 'server', flags: ['ACK'], seq: 500, ack: 1 },
        { from: 'server', flags: ['ACK'], seq: 510, ack: 1 },
      ]),
    ).toEqual({ server: 500 });
  });

  it('takes a side’s first SYN as its ISN even when a segment of that side was captured before it, and not a later SYN', () => {
    expect(
      initialSequenceNumbers([
        { from: 'client', flags: ['ACK'], seq: 42, ack: 0 },
        { from: 'client', flags: ['SYN'], seq: 1000, ack: 0 },
        { from: 'client', flags: ['SYN'], seq: 2000, ack: 0 },
        { from: 'server', flags: ['ACK'], seq: 7, ack: 1001 },
      ]),
    ).toEqual({ client: 1000, server: 7 });
  });

  it('leaves an ack as it is when the peer was never seen, and says null without the ACK flag', () => {
    expect(
      relativeNumbers([
        { from: 'client', flags: ['SYN'], seq: 100, ack: 12345 },
        { from: 'client', flags: ['ACK'], seq: 101, ack: 777 },
      ]),
    ).toEqual([
      { seq: 0, ack: null },
      { seq: 1, ack: 777 },
    ]);
  });
});

describe('relativeNumbersByEvent', () => {
  const wire = tcpWire;
  const note: TraceEvent = { kind: 'note', seq: 1, t: 1, key: 'x' };

  it('counts each lane on its own, by event index, whatever the address spelling', () => {
    const lanes: Lane[] = [
      { id: 'a', transport: 'tcp', client: '[::1]:5000', server: '[::1]:80' },
      { id: 'b', transport: 'tcp', client: '127.0.0.1:6000', server: '127.0.0.1:80' },
    ];
    const events = [
      wire(0, '0:0:0:0:0:0:0:1', 5000, '::1', 80, ['SYN'], 100),
      note,
      wire(2, '127.0.0.1', 6000, '127.0.0.1', 80, ['SYN'], 7000),
      wire(3, '::1', 80, '::1', 5000, ['SYN', 'ACK'], 900, 101),
      wire(4, '127.0.0.1', 80, '127.0.0.1', 6000, ['SYN', 'ACK'], 50, 7001),
    ];
    const rel = relativeNumbersByEvent(lanes, events);
    expect([...rel.keys()].sort()).toEqual([0, 2, 3, 4]);
    expect(rel.get(3)).toEqual({ seq: 0, ack: 1 });
    expect(rel.get(4)).toEqual({ seq: 0, ack: 1 });
  });

  it('counts a connection on no lane from its first sender', () => {
    const events = [wire(0, '10.0.0.1', 1, '10.0.0.2', 2, ['ACK'], 500, 70), wire(1, '10.0.0.2', 2, '10.0.0.1', 1, ['ACK'], 70, 510)];
    const rel = relativeNumbersByEvent([], events);
    expect(rel.get(0)).toEqual({ seq: 0, ack: 0 });
    expect(rel.get(1)).toEqual({ seq: 0, ack: 10 });
  });

  it('follows the lane’s sides, not the first sender, when a connection is on a lane', () => {
    const lanes: Lane[] = [{ id: 'a', transport: 'tcp', client: '127.0.0.1:6000', server: '127.0.0.1:80' }];
    const events = [
      // The server's segment is captured first; it is still the server's.
      wire(0, '127.0.0.1', 80, '127.0.0.1', 6000, ['ACK'], 50, 7001),
      wire(1, '127.0.0.1', 6000, '127.0.0.1', 80, ['SYN'], 7000),
      wire(2, '127.0.0.1', 6000, '127.0.0.1', 80, ['ACK'], 7001, 51),
    ];
    const rel = relativeNumbersByEvent(lanes, events);
    expect(rel.get(0)).toEqual({ seq: 0, ack: 1 });
    expect(rel.get(2)).toEqual({ seq: 1, ack: 1 });
  });

  it('skips what is not a TCP segment with a sequence number', () => {
    const udp: TraceEvent = { ...wire(0, '127.0.0.1', 1, '127.0.0.1', 2, [], 0), decoded: { layers: [], summary: { proto: 'udp', src: '127.0.0.1', dst: '127.0.0.1', sport: 1, dport: 2, payloadLength: 3, info: '' } } } as TraceEvent;
    const noSeq = wire(1, '127.0.0.1', 1, '127.0.0.1', 2, ['ACK'], 0) as Extract<TraceEvent, { kind: 'wire' }>;
    delete noSeq.decoded.summary.seq;
    const rel = relativeNumbersByEvent([], [udp, noSeq, wire(2, '127.0.0.1', 1, '127.0.0.1', 2, ['SYN'], 9)]);
    expect([...rel.keys()]).toEqual([2]);
  });
});

describe('the numbering base of a whole run, gathered a packet at a time', () => {
  const wire = tcpWire;
  const summaryOf = (e: TraceEvent) => (e as Extract<TraceEvent, { kind: 'wire' }>).decoded.summary;
  const withWscale = (e: TraceEvent, wscale: number): TraceEvent => {
    summaryOf(e).tcpOptions = { sackPerm: false, wscale };
    return e;
  };
  const lane: Lane = { id: 'a', transport: 'tcp', client: '127.0.0.1:6000', server: '127.0.0.1:80' };

  it('keeps each side’s SYN (ISN and window scale, −1 without the option), or its first segment, per connection', () => {
    const acc = new NumberingAccumulator([lane]);
    const events = [
      // The server's segment first: a lane settles the sides, not the order.
      wire(0, '127.0.0.1', 80, '127.0.0.1', 6000, ['ACK'], 40, 7001),
      withWscale(wire(1, '127.0.0.1', 6000, '127.0.0.1', 80, ['SYN'], 7000), 7),
      wire(2, '127.0.0.1', 80, '127.0.0.1', 6000, ['SYN', 'ACK'], 50, 7001),
      // A second SYN from the client does not move its ISN.
      withWscale(wire(3, '127.0.0.1', 6000, '127.0.0.1', 80, ['SYN'], 9999), 3),
      // No lane: the first sender is the client; no SYN seen, so its first segment counts.
      wire(4, '10.0.0.1', 1, '10.0.0.2', 2, ['ACK'], 500, 70),
      wire(5, '10.0.0.2', 2, '10.0.0.1', 1, ['ACK'], 70, 510),
      wire(6, '10.0.0.1', 1, '10.0.0.2', 2, ['ACK'], 510, 70),
    ];
    for (const e of events) acc.add(summaryOf(e));
    acc.add({ proto: 'udp', src: '127.0.0.1', dst: '127.0.0.1', sport: 1, dport: 2, payloadLength: 0, info: '' });
    expect(acc.size).toBe(2);
    expect(acc.base()).toEqual({
      'lane|a': { isn: { client: 7000, server: 50 }, wscale: { client: 7, server: -1 } },
      [Object.keys(acc.base()).find((k) => k !== 'lane|a')!]: { isn: { client: 500, server: 70 }, wscale: {} },
    });
    expect(Object.keys(acc.base()).find((k) => k !== 'lane|a')).toMatch(/10\.0\.0\.1.*10\.0\.0\.2/);
  });

  it('takes lanes added after it started', () => {
    const acc = new NumberingAccumulator();
    acc.addLane(lane);
    acc.add(summaryOf(wire(0, '127.0.0.1', 80, '127.0.0.1', 6000, ['ACK'], 40, 7001)));
    expect(acc.base()).toEqual({ 'lane|a': { isn: { server: 40 }, wscale: {} } });
  });

  it('numbers a window far from the handshake as the whole run', () => {
    const all = [
      withWscale(wire(0, '10.0.0.1', 1, '10.0.0.2', 2, ['SYN'], 1000), 2),
      withWscale(wire(1, '10.0.0.2', 2, '10.0.0.1', 1, ['SYN', 'ACK'], 5000, 1001), 3),
      wire(2, '10.0.0.1', 1, '10.0.0.2', 2, ['ACK'], 1001, 5001),
      wire(3, '10.0.0.2', 2, '10.0.0.1', 1, ['ACK'], 5101, 1201),
    ];
    summaryOf(all[3]!).window = 10;
    const acc = new NumberingAccumulator();
    for (const e of all) acc.add(summaryOf(e));
    // A window holding only the server's late segment: without the base its first sender would be the client.
    const alone = relativeNumbersByEvent([], [all[3]!], acc.base());
    expect(alone.get(0)).toEqual({ seq: 101, ack: 201, window: { field: 10, bytes: 80, shift: 3 } });
    expect(relativeNumbersByEvent([], [all[3]!]).get(0)).toMatchObject({ seq: 0, ack: 1201 });
  });
});

describe('a summary line with the connection’s numbers', () => {
  const info = '50000 → 80 [ACK] Seq=1001 Ack=5001 Win=10 Len=0';

  it('puts in the relative seq and ack, and the window scaled', () => {
    const numbers = { seq: 1, ack: 1, window: { field: 10, bytes: 1280, shift: 7 } };
    expect(summaryLine(info, numbers)).toBe('50000 → 80 [ACK] Seq=1 Ack=1 Win=1280 (scaled: 10×128) Len=0');
    expect(summaryLine(info, numbers, true)).toBe('50000 → 80 [ACK] Seq=1001 Ack=5001 Win=1280 (scaled: 10×128) Len=0');
  });

  it('leaves what it has no number for as it is', () => {
    expect(summaryLine(info, { seq: 1, ack: null })).toBe('50000 → 80 [ACK] Seq=1 Ack=5001 Win=10 Len=0');
    expect(summaryLine(info, null)).toBe(info);
    expect(summaryLine(info, undefined)).toBe(info);
  });
});
