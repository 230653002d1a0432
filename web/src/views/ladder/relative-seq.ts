/**
 * Relative sequence and acknowledgement numbers, as Wireshark shows them: each side's numbers
 * counted from its initial sequence number (ISN), so the SYN has seq 0 and the first data byte 1.
 */
import { seqDiff } from '../../../../server/contract/tcp-seq.ts';
import type { Side } from './tcp-state.ts';

export interface SeqInput {
  from: Side;
  flags: readonly string[];
  seq: number;
  ack: number;
}

export interface RelativeNumbers {
  seq: number;
  /** Null when the segment carries no ACK flag (its ack field means nothing then). */
  ack: number | null;
}

/** Each side's ISN: the seq of its SYN, or of its first segment when the SYN was not captured. */
export function initialSequenceNumbers(segments: readonly SeqInput[]): Partial<Record<Side, number>> {
  const isn: Partial<Record<Side, number>> = {};
  for (const seg of segments) {
    if (seg.flags.includes('SYN') && isn[seg.from] === undefined) isn[seg.from] = seg.seq;
  }
  for (const seg of segments) {
    if (isn[seg.from] === undefined) isn[seg.from] = seg.seq;
  }
  return isn;
}

export function relativeNumbers(segments: readonly SeqInput[]): RelativeNumbers[] {
  const isn = initialSequenceNumbers(segments);
  return segments.map((seg) => {
    const own = isn[seg.from] ?? seg.seq;
    const peer = isn[seg.from === 'client' ? 'server' : 'client'];
    const hasAck = seg.flags.includes('ACK');
    return {
      seq: seqDiff(seg.seq, own),
      ack: hasAck ? (peer === undefined ? seg.ack : seqDiff(seg.ack, peer)) : null,
    };
  });
}
