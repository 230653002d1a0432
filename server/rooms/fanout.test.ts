import { describe, expect, it, vi } from 'vitest';
import { Outlet } from './fanout.js';
import { Room } from './room.js';
import { HOME_VIEW } from './rooms.js';

describe('Outlet', () => {
  it('sends at once while the socket keeps up, queues while it is backed up, drains in order', () => {
    const sent: Buffer[] = [];
    let buffered = 0;
    const outlet = new Outlet({ send: (b) => sent.push(b), bufferedAmount: () => buffered, onOverflow: () => {}, highWaterBytes: 100 });
    outlet.offer(Buffer.from('a'));
    buffered = 500;
    outlet.offer(Buffer.from('b'));
    outlet.offer(Buffer.from('c'));
    expect(sent.map(String)).toEqual(['a']);
    expect(outlet.queuedBytes).toBe(2);
    buffered = 0;
    expect(outlet.drain()).toBe(true);
    expect(sent.map(String)).toEqual(['a', 'b', 'c']);
  });

  it('drops its queue and overflows once more than its limit waits', () => {
    const onOverflow = vi.fn();
    const outlet = new Outlet({ send: () => {}, bufferedAmount: () => 1 << 30, onOverflow, maxQueuedBytes: 1000 });
    for (let i = 0; i < 20; i++) outlet.offer(Buffer.alloc(100));
    expect(onOverflow).toHaveBeenCalledOnce();
    expect(outlet.overflowed).toBe(true);
    expect(outlet.queuedBytes).toBe(0);
  });
});

describe('Room fan-out', () => {
  it('serialises each message once: every follower gets the same Buffer; a stuck one is cut off, the others go on', () => {
    const room = new Room('ABCDEF', HOME_VIEW);
    const got: Buffer[][] = [[], [], []];
    const overflowed = vi.fn();
    for (let i = 0; i < 3; i++) {
      room.join(`client-${i}-xxxx`, undefined, {
        send: (b) => got[i]!.push(b),
        bufferedAmount: () => (i === 2 ? 1 << 30 : 0),
        onOverflow: overflowed,
        maxQueuedBytes: 10_000,
      });
    }
    for (let step = 1; step <= 200; step++) room.setView({ ...HOME_VIEW, step });
    expect(got[0]!.length).toBe(201);
    // After each one's own join state, the very same Buffer went to both.
    got[0]!.slice(1).forEach((b, k) => expect(got[1]![k + 1]).toBe(b));
    expect(got[2]).toHaveLength(0);
    expect(overflowed).toHaveBeenCalledOnce();
    room.close();
  });
});

describe('Rooms', () => {
  it('closes a room its instructor left, once the wait is over; a return in time keeps it', async () => {
    vi.useFakeTimers();
    const { Rooms } = await import('./rooms.js');
    const rooms = new Rooms(1000);
    const kept = rooms.open();
    const left = rooms.open();
    rooms.unattended(kept);
    rooms.unattended(left);
    vi.advanceTimersByTime(500);
    rooms.attended(kept);
    vi.advanceTimersByTime(600);
    expect(rooms.get(kept.code)).toBe(kept);
    expect(rooms.get(left.code)).toBeUndefined();
    expect(left.closed).toBe(true);
    rooms.closeAll();
    vi.useRealTimers();
  });
});
