import type { Lane, PacketSummary, WireEvent } from '../contract/trace.js';
import { LaneIndex, laneForPacket } from '../contract/lanes.js';

/**
 * Gives every TCP connection and UDP flow its own lane, packet by packet (an import reads them
 * as they come). The client is the side that sent a SYN without ACK, or else the first sender.
 */
export class LaneAssigner {
  readonly lanes: Lane[] = [];
  #index = new LaneIndex();
  #count = { tcp: 0, udp: 0 };

  /** The packet's lane; `made` when this packet opened it. */
  laneOf(summary: PacketSummary): { lane: Lane; made: boolean } | null {
    const known = this.#index.ofPacket(summary)?.lane;
    if (known) return { lane: known, made: false };
    const transport = summary.proto === 'udp' ? 'udp' : 'tcp';
    const lane = laneForPacket(`${transport}-${this.#count[transport] + 1}`, summary);
    if (!lane) return null;
    this.#count[lane.transport]++;
    this.#index.add(lane);
    this.lanes.push(lane);
    return { lane, made: true };
  }
}

/** Sets `lane` on each packet of a list and returns the lanes. */
export function assignLanes(wire: WireEvent[]): Lane[] {
  const assigner = new LaneAssigner();
  for (const event of wire) {
    const found = assigner.laneOf(event.decoded.summary);
    if (found) event.lane = found.lane.id;
  }
  return assigner.lanes;
}
