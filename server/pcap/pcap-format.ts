/**
 * The classic libpcap format: its global header and what a record holds. `CaptureReader` reads
 * files and streams (`tcpdump -w -`) of it, and pcapng.
 */

/** One captured packet. `tsNs`: nanoseconds since the epoch. */
export interface PcapRecord {
  tsNs: bigint;
  /** Bytes captured (`data.length`). */
  caplen: number;
  /** Length of the packet on the wire. */
  len: number;
  data: Uint8Array;
  /** Link type of this record, when a file holds several interfaces (pcapng). */
  linktype?: number;
}

export interface PcapHeader {
  linktype: number;
  snaplen: number;
  /** True when record timestamps carry nanoseconds (magic 0xa1b23c4d). */
  nanosecond: boolean;
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
}

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAP_GLOBAL_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;
/** No sane capture has a record larger than this (tcpdump's largest snapshot length). */
export const PCAP_MAX_CAPLEN = 256 * 1024;

/**
 * Reads the 24-byte global header. Returns null when the magic is not a pcap magic.
 * `bytes` must hold at least 24 bytes.
 */
export function parsePcapGlobalHeader(bytes: Uint8Array): PcapHeader | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const big = view.getUint32(0, false);
  let littleEndian: boolean;
  let nanosecond: boolean;
  if (big === PCAP_MAGIC_US || big === PCAP_MAGIC_NS) {
    littleEndian = false;
    nanosecond = big === PCAP_MAGIC_NS;
  } else {
    const little = view.getUint32(0, true);
    if (little !== PCAP_MAGIC_US && little !== PCAP_MAGIC_NS) return null;
    littleEndian = true;
    nanosecond = little === PCAP_MAGIC_NS;
  }
  return {
    versionMajor: view.getUint16(4, littleEndian),
    versionMinor: view.getUint16(6, littleEndian),
    snaplen: view.getUint32(16, littleEndian),
    // The upper bits may carry FCS information; the link type is the low 16 bits.
    linktype: view.getUint32(20, littleEndian) & 0xffff,
    nanosecond,
    littleEndian,
  };
}
