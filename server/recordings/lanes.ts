import type { Lane, WireEvent } from '../contract/trace.js';
import { formatEndpoint } from '../contract/endpoint.js';

/**
 * Gives every TCP connection and UDP flow in a list of packets its own lane and sets `lane` on
 * each packet. The client is the side that sent a SYN without ACK, or else the first sender.
 */
export function assignLanes(wire: WireEvent[]): Lane[] {
  const lanes: Lane[] = [];
  const byKey = new Map<string, Lane>();
  const count = { tcp: 0, udp: 0 };
  for (const event of wire) {
    const s = event.decoded.summary;
    if ((s.proto !== 'tcp' && s.proto !== 'udp') || !s.src || !s.dst || s.sport === undefined || s.dport === undefined) continue;
    const a = formatEndpoint(s.src, s.sport);
    const b = formatEndpoint(s.dst, s.dport);
    const key = `${s.proto} ${[a, b].sort().join(' ')}`;
    let lane = byKey.get(key);
    if (!lane) {
      const flipped = s.proto === 'tcp' && s.flags?.includes('SYN') && s.flags.includes('ACK');
      count[s.proto]++;
      lane = {
        id: `${s.proto}-${count[s.proto]}`,
        transport: s.proto,
        client: flipped ? b : a,
        server: flipped ? a : b,
      };
      lanes.push(lane);
      byKey.set(key, lane);
    }
    event.lane = lane.id;
  }
  return lanes;
}
