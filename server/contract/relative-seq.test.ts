import { describe, expect, it } from 'vitest';
import { initialSequenceNumbers, relativeNumbers, relativeNumbersByEvent } from './relative-seq.js';
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
