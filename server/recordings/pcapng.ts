import type { Trace, WireEvent } from '../contract/trace.js';
import { LINKTYPE_ETHERNET } from '../contract/trace.js';
import { writePcapng } from '../pcap/write-pcapng.js';

/**
 * The trace's captured packets as a pcapng file that Wireshark and tshark open; `comments` (by
 * the packet's event `seq`) become the packets' comments.
 */
export function traceToPcapng(trace: Trace, comments?: ReadonlyMap<number, string>): Uint8Array {
  const wire = trace.events.filter((e): e is WireEvent => e.kind === 'wire');
  return writePcapng({
    linktype: wire[0]?.linktype ?? LINKTYPE_ETHERNET,
    snaplen: trace.env.snaplen,
    comment: `${trace.title} (${trace.experiment}, ${trace.startedAt})`,
    records: wire.map((e) => ({
      tsNs: BigInt(e.tsNs),
      caplen: e.caplen,
      len: e.len,
      linktype: e.linktype,
      data: Buffer.from(e.data, 'base64'),
      ...(comments?.has(e.seq) ? { comment: comments.get(e.seq)! } : {}),
    })),
  });
}
