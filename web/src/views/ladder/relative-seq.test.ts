import { describe, expect, it } from 'vitest';
import { initialSequenceNumbers, relativeNumbers } from './relative-seq.ts';

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
