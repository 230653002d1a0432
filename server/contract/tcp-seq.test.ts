/** Sequence arithmetic on the circle of 2^32 (RFC 9293 §3.4): the one copy the page and the facts use. */
import { describe, expect, it } from 'vitest';
import { SEQ_SPACE, seqAdd, seqBefore, seqDiff } from './tcp-seq.js';

describe('sequence arithmetic', () => {
  it('adds and subtracts modulo 2^32, always in 0 .. 2^32-1', () => {
    expect(seqAdd(1, 1)).toBe(2);
    expect(seqAdd(SEQ_SPACE - 1, 1)).toBe(0);
    expect(seqAdd(SEQ_SPACE - 2, 5)).toBe(3);
    expect(seqAdd(3, -5)).toBe(SEQ_SPACE - 2);
    expect(seqDiff(3, SEQ_SPACE - 2)).toBe(5);
    expect(seqDiff(SEQ_SPACE - 2, 3)).toBe(SEQ_SPACE - 5);
    expect(seqDiff(7, 7)).toBe(0);
  });

  it('puts a number before another when it lies less than half the circle behind it', () => {
    const a = SEQ_SPACE - 10;
    expect(seqBefore(a, seqAdd(a, 1))).toBe(true);
    expect(seqBefore(a, seqAdd(a, SEQ_SPACE / 2 - 1))).toBe(true);
    // Exactly half the circle away is neither before nor after.
    expect(seqBefore(a, seqAdd(a, SEQ_SPACE / 2))).toBe(false);
    expect(seqBefore(seqAdd(a, SEQ_SPACE / 2), a)).toBe(false);
    expect(seqBefore(a, a)).toBe(false);
    expect(seqBefore(seqAdd(a, 1), a)).toBe(false);
  });
});
