/** Reading traces in tests: TCP packets with their payload bytes, app bytes per actor. */
import type { AppEvent, SocketEvent, Trace, TraceEvent, WireEvent } from '../contract/trace.js';

export interface Segment {
  event: WireEvent;
  from: string;
  to: string;
  flags: string[];
  seq: number;
  ack: number;
  payload: Buffer;
}

export { seqAdd } from '../contract/tcp-seq.js';

function endpoint(ip: string, port: number): string {
  return ip.includes(':') ? `[${ip}]:${port}` : `${ip}:${port}`;
}

/** The TCP segments captured, in trace order. The payload is the frame's last `payloadLength` bytes. */
export function segments(trace: Trace): Segment[] {
  const out: Segment[] = [];
  for (const event of trace.events) {
    if (event.kind !== 'wire') continue;
    const s = event.decoded.summary;
    if (s.proto !== 'tcp' || !s.src || !s.dst || s.sport === undefined || s.dport === undefined) continue;
    const frame = Buffer.from(event.data, 'base64');
    out.push({
      event,
      from: endpoint(s.src, s.sport),
      to: endpoint(s.dst, s.dport),
      flags: [...(s.flags ?? [])].map((f) => f.toUpperCase()).sort(),
      seq: s.seq ?? -1,
      ack: s.ack ?? -1,
      payload: frame.subarray(frame.length - s.payloadLength),
    });
  }
  return out;
}

export function hasFlags(segment: Segment, ...flags: string[]): boolean {
  return flags.every((f) => segment.flags.includes(f));
}

export function appBytes(trace: Trace, actor: string, op: 'write' | 'read'): Buffer {
  return Buffer.concat(
    trace.events
      .filter((e): e is AppEvent => e.kind === 'app' && e.actor === actor && e.op === op)
      .map((e) => Buffer.from(e.data, 'base64')),
  );
}

export function socketEvents(trace: Trace, op?: SocketEvent['op']): SocketEvent[] {
  return trace.events.filter((e): e is SocketEvent => e.kind === 'socket' && (op === undefined || e.op === op));
}

export function noteIndex(trace: Trace, key: string): number {
  return trace.events.findIndex((e: TraceEvent) => e.kind === 'note' && e.key === key);
}
