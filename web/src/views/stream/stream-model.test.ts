import { describe, expect, it } from 'vitest';
import { messageSpans, type StreamPlan } from '../../../../server/contract/byte-stream.ts';
import { isMerge, isSplit, piecesOf } from './stream-model.ts';

const plan = (framing: StreamPlan['framing'], sizes: number[], warmupBytes = 0): StreamPlan => ({
  framing,
  sender: 'client',
  receiver: 'server',
  warmupBytes,
  sizes,
  fixedSize: 0,
});

describe('the byte-stream rows', () => {
  it('cut a read into the messages it holds, framing apart', () => {
    const spans = messageSpans(plan('length', [5, 5]));
    // 4 + 5 + 4 + 5 bytes: the whole stream in one read.
    expect(piecesOf(spans, { start: 0, end: 18 })).toEqual([
      { message: 0, bytes: 4, framing: true },
      { message: 0, bytes: 5, framing: false },
      { message: 1, bytes: 4, framing: true },
      { message: 1, bytes: 5, framing: false },
    ]);
    expect(isMerge({ touches: { first: 0, last: 1 } })).toBe(true);
    expect(isSplit(spans, { start: 0, end: 18 })).toBe(false);
  });

  it('mark a read that ends inside a message as a split, and warm-up bytes as no message', () => {
    const spans = messageSpans(plan('none', [3000], 4));
    expect(isSplit(spans, { start: 4, end: 1028 })).toBe(true);
    expect(piecesOf(spans, { start: 0, end: 10 })).toEqual([
      { message: -1, bytes: 4, framing: false },
      { message: 0, bytes: 6, framing: false },
    ]);
  });

  it('draw at most the pieces asked for, the rest counted in the last', () => {
    const spans = messageSpans(plan('none', new Array<number>(1000).fill(2)));
    const pieces = piecesOf(spans, { start: 0, end: 2000 }, 10);
    expect(pieces).toHaveLength(10);
    expect(pieces.reduce((n, p) => n + p.bytes, 0)).toBe(2000);
  });
});
