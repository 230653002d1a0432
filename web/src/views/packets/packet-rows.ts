/**
 * The packet list's rows, as Wireshark lists packets: number, time since the first event,
 * source, destination, protocol, length, and a summary whose TCP numbers follow the ladder's
 * choice (relative to each side's ISN, or absolute) and whose window is scaled as the handshake
 * agreed. DOM-free.
 */
import { formatEndpoint } from '../../../../server/contract/endpoint.ts';
import type { RelativeNumbers } from '../../../../server/contract/relative-seq.ts';
import { windowText } from '../../../../server/contract/tcp-window.ts';
import { flagsLabel } from '../../lib/flags.ts';
import type { TraceEvent, WireEvent } from '../../lib/trace-types.ts';

export interface PacketRow {
  /** 1-based number among the packets listed. */
  number: number;
  /** Its number among the whole run's packets (the capture's frame number). */
  frame: number;
  /** The step (index in the trace) of the packet. */
  step: number;
  /** Seconds since the first packet, six decimals (as Wireshark counts). */
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
}

/** The steps of the trace that are packets, in order. */
export function packetSteps(events: readonly TraceEvent[]): number[] {
  const steps: number[] = [];
  events.forEach((e, i) => {
    if (e.kind === 'wire') steps.push(i);
  });
  return steps;
}

/** The index in `steps` of the last packet at or before `step`; -1 when there is none. */
export function packetAtOrBefore(steps: readonly number[], step: number): number {
  let lo = 0;
  let hi = steps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (steps[mid]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function endpoint(ip: string | undefined, port: number | undefined): string {
  if (!ip) return '';
  return port === undefined ? ip : formatEndpoint(ip, port);
}

export function packetRow(
  e: WireEvent,
  number: number,
  step: number,
  startUs: number,
  relative: RelativeNumbers | undefined,
  absolute: boolean,
): PacketRow {
  const s = e.decoded.summary;
  let info = s.info;
  if (s.proto === 'tcp' && s.sport !== undefined && s.dport !== undefined && s.seq !== undefined) {
    const flags = s.flags ?? [];
    const seq = absolute || !relative ? s.seq : relative.seq;
    const hasAck = flags.includes('ACK');
    const ack = absolute || !relative ? s.ack : relative.ack;
    const window = relative?.window ? ` Win=${windowText(relative.window)}` : s.window !== undefined ? ` Win=${s.window}` : '';
    info = `${s.sport} → ${s.dport} [${flagsLabel(flags)}] Seq=${seq}${hasAck && ack !== undefined && ack !== null ? ` Ack=${ack}` : ''}${window} Len=${s.payloadLength}`;
  }
  return {
    number,
    frame: e.frame,
    step,
    time: ((e.t - startUs) / 1e6).toFixed(6),
    source: endpoint(s.src, s.sport),
    destination: endpoint(s.dst, s.dport),
    protocol: s.proto === 'tcp' ? 'TCP' : s.proto === 'udp' ? 'UDP' : (e.decoded.layers.at(-1)?.name ?? '').toUpperCase() || '—',
    length: e.len,
    info,
  };
}
