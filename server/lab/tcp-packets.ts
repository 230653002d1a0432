/**
 * Small helpers for reading TCP packets out of a trace. Pure TS: the page imports this too.
 */
import type { PacketSummary, Trace, TraceEvent, WireEvent } from '../contract/trace.js';
import { formatEndpoint } from '../contract/endpoint.js';
import { parseTcpOptions } from '../decode/tcp-options.js';

/** A TCP packet of the trace with what the facts need. */
export interface TcpPacket {
  /** The event's `seq` (what a mark points at). */
  eventSeq: number;
  event: WireEvent;
  /** Microseconds on the trace clock. */
  t: number;
  /** Capture timestamp, nanoseconds since the epoch, when known. */
  tsNs?: string;
  summary: PacketSummary;
  from: string;
  to: string;
  flags: ReadonlySet<string>;
}

/** `ip:port`, or `[ip]:port` for IPv6, as lanes write endpoints. */
export const endpoint = formatEndpoint;

function isWire(event: TraceEvent): event is WireEvent {
  return event.kind === 'wire';
}

/** Every decoded TCP packet of the trace, in trace order. */
export function tcpPackets(trace: Trace): TcpPacket[] {
  const packets: TcpPacket[] = [];
  for (const event of trace.events) {
    if (!isWire(event)) continue;
    const s = event.decoded.summary;
    if (!s || s.proto !== 'tcp' || s.src === undefined || s.dst === undefined) continue;
    if (s.sport === undefined || s.dport === undefined) continue;
    packets.push({
      eventSeq: event.seq,
      event,
      t: event.t,
      tsNs: event.tsNs,
      summary: s,
      from: endpoint(s.src, s.sport),
      to: endpoint(s.dst, s.dport),
      flags: new Set((s.flags ?? []).map((f) => f.toUpperCase())),
    });
  }
  return packets;
}

/** Sequence arithmetic, from the one copy in the contract. */
export { seqDiff } from '../contract/tcp-seq.js';

/** A capture timestamp as the trace writes it: nanoseconds, in decimal digits. */
const NANOSECONDS = /^\d+$/;

/** A capture timestamp's nanoseconds; undefined when there is none or it is not readable. */
function nanoseconds(tsNs: string | undefined): bigint | undefined {
  const digits = tsNs?.match(NANOSECONDS)?.[0];
  return digits === undefined ? undefined : BigInt(digits);
}

/**
 * Microseconds from packet `a` to packet `b`, to a tenth: from the capture timestamps when both
 * have readable ones, else on the trace clock.
 */
export function microsBetween(a: TcpPacket, b: TcpPacket): number {
  const from = nanoseconds(a.tsNs);
  const to = nanoseconds(b.tsNs);
  if (from !== undefined && to !== undefined) return Math.round(Number(to - from) / 100) / 10;
  return Math.round((b.t - a.t) * 10) / 10;
}

/** The TCP options of one packet that the facts quote. */
export interface TcpOptions {
  mss?: number;
  wscale?: number;
  sackPerm: boolean;
  timestamps: boolean;
}

/**
 * The TCP options of a wire event, as the decoder read them (`summary.tcpOptions`); for a
 * recording made before the summary held them, the decoder's option parser reads the bytes.
 * Undefined when the packet has no TCP layer or its bytes are not there.
 */
export function readTcpOptions(event: WireEvent): TcpOptions | undefined {
  const tcp = event.decoded.layers.find((l) => l.name === 'tcp');
  if (!tcp) return undefined;
  let values = event.decoded.summary.tcpOptions;
  if (!values) {
    if (tcp.length <= 20) return { sackPerm: false, timestamps: false };
    let bytes: Uint8Array;
    try {
      bytes = base64Bytes(event.data);
    } catch {
      return undefined;
    }
    const start = tcp.offset + 20;
    values = parseTcpOptions(bytes, start, Math.max(start, Math.min(bytes.length, tcp.offset + tcp.length))).values;
  }
  const out: TcpOptions = { sackPerm: values.sackPerm, timestamps: values.ts !== undefined };
  if (values.mss !== undefined) out.mss = values.mss;
  if (values.wscale !== undefined) out.wscale = values.wscale;
  return out;
}

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}
