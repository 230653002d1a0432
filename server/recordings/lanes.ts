import type { Lane, WireEvent } from '../contract/trace.js';
import { LaneIndex, laneForPacket } from '../contract/lanes.js';

/**
 * Gives every TCP connection and UDP flow in a list of packets its own lane and sets `lane` on
 * each packet. The client is the side that sent a SYN without ACK, or else the first sender.
 */
export function assignLanes(wire: WireEvent[]): Lane[] {
  const index = new LaneIndex();
  const lanes: Lane[] = [];
  const count = { tcp: 0, udp: 0 };
  for (const event of wire) {
    const summary = event.decoded.summary;
    let lane = index.ofPacket(summary)?.lane;
    if (!lane) {
      const transport = summary.proto === 'udp' ? 'udp' : 'tcp';
      const made = laneForPacket(`${transport}-${count[transport] + 1}`, summary);
      if (!made) continue;
      count[made.transport]++;
      index.add(made);
      lanes.push(made);
      lane = made;
    }
    event.lane = lane.id;
  }
  return lanes;
}
