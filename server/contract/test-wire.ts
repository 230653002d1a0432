/** Tests only: a TCP packet event with a summary and no bytes. */
import type { TraceEvent } from './trace.js';

export function tcpWire(
  seq: number,
  src: string,
  sport: number,
  dst: string,
  dport: number,
  flags: string[],
  tcpSeq: number,
  ack = 0,
): TraceEvent {
  return {
    kind: 'wire',
    seq,
    t: seq * 100,
    frame: seq + 1,
    tsNs: String(seq),
    caplen: 0,
    len: 0,
    linktype: 1,
    data: '',
    decoded: { layers: [], summary: { proto: 'tcp', src, dst, sport, dport, flags, seq: tcpSeq, ack, payloadLength: 0, info: '' } },
  };
}
