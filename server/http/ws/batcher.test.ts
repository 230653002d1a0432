import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TraceEvent } from '../../contract/trace.js';
import { EventBatcher } from './batcher.js';
import type { ServerMessage } from './protocol.js';

function note(seq: number): TraceEvent {
  return { kind: 'note', seq, t: seq, key: 'test.step' };
}

describe('EventBatcher', () => {
  afterEach(() => vi.useRealTimers());

  it('sends at most one frame per interval, with events in order', () => {
    vi.useFakeTimers();
    const sent: ServerMessage[] = [];
    const b = new EventBatcher('run1', { send: (m) => sent.push(m), bufferedAmount: () => 0, onOverflow: () => {} });
    for (let i = 0; i < 100; i++) b.push(note(i));
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(49);
    expect(sent).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(sent).toHaveLength(1);
    const frame = sent[0]!;
    expect(frame.type === 'events' && frame.events.map((e) => e.seq)).toEqual([...Array(100).keys()]);
    b.push(note(100));
    vi.advanceTimersByTime(50);
    expect(sent).toHaveLength(2);
  });

  it('holds events while the socket is backed up, then drops to a gap marker and overflows', () => {
    vi.useFakeTimers();
    const sent: ServerMessage[] = [];
    let buffered = 10 << 20;
    const onOverflow = vi.fn();
    const b = new EventBatcher('run1', {
      send: (m) => sent.push(m),
      bufferedAmount: () => buffered,
      onOverflow,
      maxPendingEvents: 50,
    });
    for (let i = 0; i < 40; i++) b.push(note(i));
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(0); // backed up: nothing sent, still within the limit
    for (let i = 40; i < 60; i++) b.push(note(i));
    expect(onOverflow).toHaveBeenCalledOnce();
    expect(sent).toEqual([{ type: 'gap', runId: 'run1', missed: 51 }]);
    b.push(note(61));
    expect(b.missed).toBe(61); // 51 at the gap, 9 more from the loop, then this one
    buffered = 0;
    vi.advanceTimersByTime(500);
    expect(sent).toHaveLength(1); // nothing more after the gap
  });

  it('counts what is still waiting when it is disposed', () => {
    vi.useFakeTimers();
    const sent: ServerMessage[] = [];
    const b = new EventBatcher('run1', { send: (m) => sent.push(m), bufferedAmount: () => 2 << 20, onOverflow: () => {} });
    for (let i = 0; i < 100; i++) b.push(note(i));
    expect(b.flush()).toBe(false);
    b.dispose();
    expect(b.missed).toBe(100);
    expect(sent).toHaveLength(0);
  });
});
