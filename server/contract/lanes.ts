/**
 * Which lane (TCP connection or UDP flow) a packet belongs to, and which of the lane's two ends
 * sent it: the one rule, by transport and both endpoints, for the server (recording, import,
 * live runs) and the page (ladder, timeline) alike.
 *
 * A lane is the pair of its endpoints, in either direction; an endpoint compares equal however
 * its address was written (`::1` / `0:0:0:0:0:0:0:1`, `::ffff:127.0.0.1` / `127.0.0.1`).
 * A packet without ports (ICMP, another IP protocol, ARP, an undecoded frame) is on no lane.
 */
import { endpointKey, formatEndpoint, parseEndpoint } from './endpoint.js';
import type { Lane, PacketSummary } from './trace.js';

/** The two ends of a lane: `client` connected or sent first. */
export type LaneSide = 'client' | 'server';
export type LaneTransport = Lane['transport'];

/** A packet's transport and its two endpoints as traces write them; null when it has no ports. */
export interface PacketEnds {
  transport: LaneTransport;
  /** `ip:port` / `[ip]:port` of the sender and of the receiver. */
  src: string;
  dst: string;
}

export function packetEnds(summary: Pick<PacketSummary, 'proto' | 'src' | 'dst' | 'sport' | 'dport'>): PacketEnds | null {
  const { proto, src, dst, sport, dport } = summary;
  if ((proto !== 'tcp' && proto !== 'udp') || !src || !dst || sport === undefined || dport === undefined) return null;
  return { transport: proto, src: formatEndpoint(src, sport), dst: formatEndpoint(dst, dport) };
}

/** A key equal for equal endpoints however written; the text itself when it is not `ip:port`. */
export function endpointTextKey(text: string): string {
  const parsed = parseEndpoint(text);
  return parsed ? endpointKey(parsed.ip, parsed.port) : text;
}

/** A key for the flow between `from` and `to`, in that direction. */
export function directedFlowKey(transport: LaneTransport, from: string, to: string): string {
  return `${transport}|${endpointTextKey(from)}|${endpointTextKey(to)}`;
}

/** A key for the flow between `a` and `b`, the same in both directions. */
export function flowKey(transport: LaneTransport, a: string, b: string): string {
  const [x, y] = [endpointTextKey(a), endpointTextKey(b)].sort();
  return `${transport}|${x}|${y}`;
}

/**
 * Which end of `lane` sends from `from` to `to` over `transport`; null when these are not the
 * lane's two ends (or not its transport).
 */
export function sideOf(
  lane: Pick<Lane, 'transport' | 'client' | 'server'>,
  transport: LaneTransport,
  from: string,
  to: string,
): LaneSide | null {
  if (lane.transport !== transport) return null;
  const c = endpointTextKey(lane.client);
  const s = endpointTextKey(lane.server);
  const f = endpointTextKey(from);
  const t = endpointTextKey(to);
  if (f === c && t === s) return 'client';
  if (f === s && t === c) return 'server';
  return null;
}

/** Which end of `lane` sent this packet; null when the packet is not on the lane. */
export function packetSide(
  lane: Pick<Lane, 'transport' | 'client' | 'server'>,
  summary: Pick<PacketSummary, 'proto' | 'src' | 'dst' | 'sport' | 'dport'>,
): LaneSide | null {
  const ends = packetEnds(summary);
  return ends ? sideOf(lane, ends.transport, ends.src, ends.dst) : null;
}

export interface PacketLane<L extends Lane = Lane> {
  lane: L;
  /** The end that sent the packet. */
  from: LaneSide;
}

/**
 * Lanes by their endpoints, for finding many packets' lanes (each look-up O(1)). The first lane
 * added between two endpoints wins.
 */
export class LaneIndex<L extends Lane = Lane> {
  readonly #byFlow = new Map<string, PacketLane<L>>();

  constructor(lanes: Iterable<L> = []) {
    for (const lane of lanes) this.add(lane);
  }

  add(lane: L): void {
    const forward = directedFlowKey(lane.transport, lane.client, lane.server);
    const backward = directedFlowKey(lane.transport, lane.server, lane.client);
    if (!this.#byFlow.has(forward)) this.#byFlow.set(forward, { lane, from: 'client' });
    if (!this.#byFlow.has(backward)) this.#byFlow.set(backward, { lane, from: 'server' });
  }

  /** The lane between two endpoints, either way round. */
  between(transport: LaneTransport, a: string, b: string): L | undefined {
    return this.#byFlow.get(directedFlowKey(transport, a, b))?.lane;
  }

  /** The lane of a packet and the end that sent it; null when it is on none of these lanes. */
  ofPacket(summary: Pick<PacketSummary, 'proto' | 'src' | 'dst' | 'sport' | 'dport'>): PacketLane<L> | null {
    const { proto, src, dst, sport, dport } = summary;
    if ((proto !== 'tcp' && proto !== 'udp') || !src || !dst || sport === undefined || dport === undefined) return null;
    // The same key as `directedFlowKey`, without writing the endpoints out and reading them back.
    return this.#byFlow.get(`${proto}|${endpointKey(src, sport)}|${endpointKey(dst, dport)}`) ?? null;
  }
}

/** The lane of a packet among `lanes`, and the end that sent it (see `LaneIndex` for many). */
export function laneOfPacket<L extends Lane>(
  lanes: readonly L[],
  summary: Pick<PacketSummary, 'proto' | 'src' | 'dst' | 'sport' | 'dport'>,
): PacketLane<L> | null {
  for (const lane of lanes) {
    const from = packetSide(lane, summary);
    if (from) return { lane, from };
  }
  return null;
}

/**
 * A new lane for a packet that is on none yet (an imported capture): the client is the end that
 * sent a SYN without ACK, so a SYN,ACK's receiver; otherwise the packet's sender. Null for a
 * packet without ports.
 */
export function laneForPacket(
  id: string,
  summary: Pick<PacketSummary, 'proto' | 'src' | 'dst' | 'sport' | 'dport' | 'flags'>,
): Lane | null {
  const ends = packetEnds(summary);
  if (!ends) return null;
  const flipped = ends.transport === 'tcp' && !!summary.flags?.includes('SYN') && summary.flags.includes('ACK');
  return {
    id,
    transport: ends.transport,
    client: flipped ? ends.dst : ends.src,
    server: flipped ? ends.src : ends.dst,
  };
}
