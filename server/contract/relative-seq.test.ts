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
});
