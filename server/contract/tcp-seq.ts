/** TCP sequence-number arithmetic: numbers live in a circle of 2^32 (RFC 9293 §3.4). */

export const SEQ_SPACE = 2 ** 32;

/** `a - b` modulo 2^32, in 0 .. 2^32-1: how far `a` lies after `b`. */
export function seqDiff(a: number, b: number): number {
  return (((a - b) % SEQ_SPACE) + SEQ_SPACE) % SEQ_SPACE;
}

/** `a + n` modulo 2^32. */
export function seqAdd(a: number, n: number): number {
  return (((a + n) % SEQ_SPACE) + SEQ_SPACE) % SEQ_SPACE;
}

/** Whether `a` comes before `b` (less than half the circle behind it). */
export function seqBefore(a: number, b: number): boolean {
  const d = seqDiff(b, a);
  return d !== 0 && d < SEQ_SPACE / 2;
}
