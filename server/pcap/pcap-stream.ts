/**
 * Incremental reader for the classic libpcap stream (`tcpdump -w -`): feed it chunks as they
 * arrive, split anywhere, and get back every record that is complete so far.
 */
import { LabError } from '../errors.js';

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

/** Largest caplen a record may claim under this header. */
export function maxCaplenFor(header: PcapHeader): number {
  return header.snaplen > 0 ? Math.min(header.snaplen, PCAP_MAX_CAPLEN) : PCAP_MAX_CAPLEN;
}

/**
 * Parses the pcap stream incrementally. After a malformed input it stays failed: every later
 * `push` throws the same error.
 */
export class PcapStreamParser {
  /** Known once the first 24 bytes have arrived. */
  header: PcapHeader | null = null;
  /** Total bytes consumed so far (records and header), for error positions. */
  private consumed = 0;
  private buffer = new Uint8Array(4096);
  private start = 0;
  private end = 0;
  private failure: LabError | null = null;

  /** Appends a chunk and returns the records it completed. Throws LabError('PCAP_MALFORMED'). */
  push(chunk: Uint8Array): PcapRecord[] {
    if (this.failure) throw this.failure;
    this.append(chunk);
    const records: PcapRecord[] = [];
    for (;;) {
      const available = this.end - this.start;
      if (!this.header) {
        if (available < PCAP_GLOBAL_HEADER_LENGTH) break;
        const header = parsePcapGlobalHeader(this.buffer.subarray(this.start, this.start + PCAP_GLOBAL_HEADER_LENGTH));
        if (!header) {
          const magic = new DataView(this.buffer.buffer, this.start, 4).getUint32(0, false);
          this.fail(`not a pcap stream: magic 0x${magic.toString(16).padStart(8, '0')} at byte 0`);
        }
        this.header = header;
        this.advance(PCAP_GLOBAL_HEADER_LENGTH);
        continue;
      }
      if (available < PCAP_RECORD_HEADER_LENGTH) break;
      const view = new DataView(this.buffer.buffer, this.start, PCAP_RECORD_HEADER_LENGTH);
      const le = this.header.littleEndian;
      const sec = view.getUint32(0, le);
      const frac = view.getUint32(4, le);
      const caplen = view.getUint32(8, le);
      const len = view.getUint32(12, le);
      const limit = maxCaplenFor(this.header);
      if (caplen > limit) {
        this.fail(
          `record at byte ${this.consumed} claims ${caplen} captured bytes, more than the limit of ${limit}`,
        );
      }
      if (frac >= (this.header.nanosecond ? 1_000_000_000 : 1_000_000)) {
        this.fail(`record at byte ${this.consumed} has an out-of-range fractional timestamp ${frac}`);
      }
      if (available < PCAP_RECORD_HEADER_LENGTH + caplen) break;
      const dataStart = this.start + PCAP_RECORD_HEADER_LENGTH;
      const data = this.buffer.slice(dataStart, dataStart + caplen);
      const tsNs = BigInt(sec) * 1_000_000_000n + BigInt(this.header.nanosecond ? frac : frac * 1000);
      records.push({ tsNs, caplen, len, data });
      this.advance(PCAP_RECORD_HEADER_LENGTH + caplen);
    }
    return records;
  }

  /** Bytes received that do not yet form a complete record. */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  private fail(message: string): never {
    this.failure = new LabError('PCAP_MALFORMED', `Malformed pcap stream: ${message}.`);
    throw this.failure;
  }

  private advance(n: number): void {
    this.start += n;
    this.consumed += n;
    if (this.start === this.end) {
      this.start = 0;
      this.end = 0;
    }
  }

  private append(chunk: Uint8Array): void {
    const pending = this.end - this.start;
    if (this.end + chunk.length > this.buffer.length) {
      if (pending + chunk.length <= this.buffer.length) {
        this.buffer.copyWithin(0, this.start, this.end);
      } else {
        let size = this.buffer.length;
        while (size < pending + chunk.length) size *= 2;
        const grown = new Uint8Array(size);
        grown.set(this.buffer.subarray(this.start, this.end));
        this.buffer = grown;
      }
      this.start = 0;
      this.end = pending;
    }
    this.buffer.set(chunk, this.end);
    this.end += chunk.length;
  }
}
