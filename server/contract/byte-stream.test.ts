import { describe, expect, it } from 'vitest';
import { messageSpans, messagesIn, rebuildMessages, spanAt, type StreamPlan } from './byte-stream.js';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);
const plan = (framing: StreamPlan['framing'], sizes: number[], extra: Partial<StreamPlan> = {}): StreamPlan => ({
  framing,
  sender: 'client',
  receiver: 'server',
  warmupBytes: 0,
  sizes,
  fixedSize: 0,
  ...extra,
});

describe('byte stream', () => {
  it('places each message with its framing after the warm-up', () => {
    const spans = messageSpans(plan('length', [5, 0, 3], { warmupBytes: 8 }));
    expect(spans.map((s) => [s.start, s.body.start, s.body.end, s.end])).toEqual([
      [8, 12, 17, 17],
      [17, 21, 21, 21],
      [21, 25, 28, 28],
    ]);
    expect(messageSpans(plan('fixed', [2, 4], { fixedSize: 4 })).map((s) => [s.start, s.body.end, s.end])).toEqual([
      [0, 2, 4],
      [4, 8, 8],
    ]);
    expect(spanAt(spans, 7)).toBe(-1);
    expect(spanAt(spans, 21)).toBe(2);
    expect(messagesIn(spans, { start: 10, end: 22 })).toEqual({ first: 0, last: 2 });
  });

  it('rebuilds length-prefixed messages cut anywhere across reads', () => {
    const frame = (s: string) => [0, 0, 0, s.length, ...enc(s)];
    const bytes = Uint8Array.from([...frame('hello'), ...frame(''), ...frame('you')]);
    for (const cut of [1, 2, 3, 5, 7, 100]) {
      const reads = [];
      for (let at = 0; at < bytes.length; at += cut) reads.push({ start: at, bytes: bytes.slice(at, at + cut) });
      const { messages, leftover } = rebuildMessages('length', 0, reads);
      expect(messages.map((m) => dec(m.bytes))).toEqual(['hello', '', 'you']);
      expect(leftover).toBe(0);
    }
  });

  it('rebuilds delimited and fixed-size messages; without framing each read is one message', () => {
    expect(rebuildMessages('delimiter', 0, [{ start: 0, bytes: enc('ab\nc') }, { start: 4, bytes: enc('d\n\ne') }]).messages.map((m) => dec(m.bytes))).toEqual(['ab', 'cd', '']);
    const fixed = rebuildMessages('fixed', 3, [{ start: 0, bytes: Uint8Array.from([104, 0, 0, 104, 105]) }, { start: 5, bytes: Uint8Array.from([0]) }]);
    expect(fixed.messages.map((m) => dec(m.bytes))).toEqual(['h', 'hi']);
    expect(fixed.messages.map((m) => m.span)).toEqual([{ start: 0, end: 3 }, { start: 3, end: 6 }]);
    expect(rebuildMessages('none', 0, [{ start: 0, bytes: enc('helloworld') }]).messages.map((m) => dec(m.bytes))).toEqual(['helloworld']);
  });
});
