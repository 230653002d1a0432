/**
 * Reads a capture file as it arrives: classic pcap (either byte order, micro- or nanoseconds) or
 * pcapng (any byte order, several sections and interfaces). Feed it chunks split anywhere with
 * `push`; each call returns the packets it completed, so a caller can count as it reads and stop
 * at a limit without holding the file. `end` says whether the file ended cleanly.
 * Work is bounded by the bytes given: every step moves forward.
 */
import { LabError } from '../errors.js';
import {
  parsePcapGlobalHeader,
  PCAP_GLOBAL_HEADER_LENGTH,
  PCAP_MAX_CAPLEN,
  PCAP_RECORD_HEADER_LENGTH,
  type PcapHeader,
  type PcapRecord,
} from './pcap-format.js';
import { BLOCK_EPB, BLOCK_IDB, BLOCK_OPB, BLOCK_SPB, IF_TSOFFSET, IF_TSRESOL, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_SHB } from './pcapng-format.js';

export type CaptureFormat = 'pcap' | 'pcapng';

/** Something odd a capture file holds; `code` is stable, `message` says it in English. */
export interface CaptureOddity {
  code: 'CAPLEN_OVER_SNAPLEN' | 'TIMESTAMP_FRACTION_OUT_OF_RANGE';
  /** 1-based number of the first packet with it. */
  packet: number;
  /** How many packets have it. */
  count: number;
  message: string;
}

function malformed(message: string): LabError {
  return new LabError('CAPTURE_MALFORMED', `Malformed capture file: ${message}.`);
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

interface Interface {
  linktype: number;
  snaplen: number;
  /** Timestamp units: 10^-exp (decimal) or 2^-exp seconds. */
  decimal: boolean;
  exp: number;
  offsetSeconds: bigint;
}

/** Timestamp in interface units → nanoseconds since the epoch. */
function toNs(ts: bigint, iface: Interface): bigint {
  let ns: bigint;
  if (iface.decimal) {
    ns = iface.exp <= 9 ? ts * 10n ** BigInt(9 - iface.exp) : ts / 10n ** BigInt(iface.exp - 9);
  } else {
    ns = (ts * 1_000_000_000n) >> BigInt(iface.exp);
  }
  return ns + iface.offsetSeconds * 1_000_000_000n;
}

export interface CaptureReaderOptions {
  /**
   * How a record holds its bytes. `copy` (the default): a copy of its own. `view`: a view of the
   * chunk given to `push` (or of a buffer joining the end of one chunk to the next), which the
   * reader never writes again: no copy per packet, but a record keeps its chunk alive and sees
   * any later change a caller makes to the chunk.
   */
  data?: 'copy' | 'view';
}

export class CaptureReader {
  format: CaptureFormat | null = null;
  /** Link type of the first interface (pcap: of the file); each record also carries its own. */
  linktype = 1;
  snaplen = 0;
  /** Packets read so far. */
  packets = 0;
  /**
   * What is odd about the file but was read anyway, as tshark reads it: a record holding more
   * bytes than the snapshot length, a fractional timestamp of a second or more. One entry per
   * kind of oddity, with the first packet that has it and how many do.
   */
  readonly oddities: CaptureOddity[] = [];
  #buffer: Uint8Array = new Uint8Array(64 * 1024);
  #start = 0;
  #end = 0;
  /** File offset of `#buffer[#start]`. */
  #offset = 0;
  #pcap: PcapHeader | null = null;
  #interfaces: Interface[] = [];
  #firstInterface = false;
  #le = true;
  #failure: LabError | null = null;
  readonly #views: boolean;

  constructor(options: CaptureReaderOptions = {}) {
    this.#views = options.data === 'view';
  }

  /** Appends a chunk and returns the packets it completed. Throws LabError('CAPTURE_MALFORMED'). */
  push(chunk: Uint8Array): PcapRecord[] {
    if (this.#failure) throw this.#failure;
    this.#append(chunk);
    const records: PcapRecord[] = [];
    try {
      this.#parse(records);
    } catch (err) {
      if (err instanceof LabError) this.#failure = err;
      throw err;
    }
    return records;
  }

  /** The file has ended: throws when it ended inside a header, a record or a block. */
  end(): void {
    if (this.#failure) throw this.#failure;
    const left = this.#end - this.#start;
    const total = this.#offset + left;
    if (this.format === null) {
      if (total === 0) throw malformed('the file is empty');
      if (total < 4) throw malformed(`the file is only ${total} bytes long`);
      throw malformed(`the pcap header is cut short: ${total} of ${PCAP_GLOBAL_HEADER_LENGTH} bytes`);
    }
    if (left === 0) return;
    const view = new DataView(this.#buffer.buffer, this.#buffer.byteOffset + this.#start, left);
    if (this.format === 'pcap') {
      const n = this.packets + 1;
      if (left < PCAP_RECORD_HEADER_LENGTH) {
        throw malformed(`packet ${n} at byte ${this.#offset}: the record header is cut short (${left} of 16 bytes)`);
      }
      const caplen = view.getUint32(8, this.#pcap!.littleEndian);
      throw malformed(`packet ${n} at byte ${this.#offset}: it claims ${caplen} bytes but the file ends after ${left - PCAP_RECORD_HEADER_LENGTH}`);
    }
    if (left < 12) {
      throw malformed(`the block at byte ${this.#offset} is cut short: ${left} bytes where at least 12 are needed`);
    }
    const type = view.getUint32(0, false) === PCAPNG_SHB ? PCAPNG_SHB : view.getUint32(0, this.#le);
    const le = type === PCAPNG_SHB ? this.#sectionOrder(view.getUint32(8, false)) : this.#le;
    throw malformed(`the block at byte ${this.#offset} (type ${hex32(type)}) claims ${view.getUint32(4, le)} bytes but the file ends after ${left}`);
  }

  #append(chunk: Uint8Array): void {
    const pending = this.#end - this.#start;
    if (this.#views) {
      // Records are views: the buffer is never written again once read from.
      if (pending === 0) {
        this.#buffer = chunk;
      } else {
        const joined = new Uint8Array(pending + chunk.length);
        joined.set(this.#buffer.subarray(this.#start, this.#end));
        joined.set(chunk, pending);
        this.#buffer = joined;
      }
      this.#start = 0;
      this.#end = this.#buffer.length;
      return;
    }
    if (this.#end + chunk.length > this.#buffer.length) {
      if (pending + chunk.length <= this.#buffer.length) {
        this.#buffer.copyWithin(0, this.#start, this.#end);
      } else {
        let size = this.#buffer.length;
        while (size < pending + chunk.length) size *= 2;
        const grown = new Uint8Array(size);
        grown.set(this.#buffer.subarray(this.#start, this.#end));
        this.#buffer = grown;
      }
      this.#start = 0;
      this.#end = pending;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /** A record's bytes, as the options say: a copy, or a view. */
  #data(start: number, end: number): Uint8Array {
    return this.#views ? this.#buffer.subarray(start, end) : this.#buffer.slice(start, end);
  }

  #advance(n: number): void {
    this.#start += n;
    this.#offset += n;
  }

  #parse(records: PcapRecord[]): void {
    if (this.format === null) {
      const available = this.#end - this.#start;
      if (available < 4) return;
      const head = this.#buffer.subarray(this.#start, this.#end);
      const magic = new DataView(head.buffer, head.byteOffset, 4).getUint32(0, false);
      if (magic === PCAPNG_SHB) {
        this.format = 'pcapng';
      } else {
        const padded = new Uint8Array(PCAP_GLOBAL_HEADER_LENGTH);
        padded.set(head.subarray(0, Math.min(PCAP_GLOBAL_HEADER_LENGTH, available)));
        const header = parsePcapGlobalHeader(padded);
        if (!header) throw malformed(`not a pcap or pcapng file: it starts with ${hex32(magic)}`);
        if (available < PCAP_GLOBAL_HEADER_LENGTH) return;
        this.format = 'pcap';
        this.#pcap = header;
        this.linktype = header.linktype;
        this.snaplen = header.snaplen;
        this.#advance(PCAP_GLOBAL_HEADER_LENGTH);
      }
    }
    if (this.format === 'pcap') this.#parsePcap(records);
    else this.#parsePcapng(records);
  }

  #odd(code: CaptureOddity['code'], packet: number, message: string): void {
    const seen = this.oddities.find((o) => o.code === code);
    if (seen) seen.count++;
    else this.oddities.push({ code, packet, count: 1, message });
  }

  #parsePcap(records: PcapRecord[]): void {
    const header = this.#pcap!;
    const le = header.littleEndian;
    const second = header.nanosecond ? 1_000_000_000 : 1_000_000;
    const bytes = this.#buffer;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (this.#end - this.#start >= PCAP_RECORD_HEADER_LENGTH) {
      const at = this.#start;
      const n = this.packets + 1;
      const sec = view.getUint32(at, le);
      const frac = view.getUint32(at + 4, le);
      const caplen = view.getUint32(at + 8, le);
      const len = view.getUint32(at + 12, le);
      if (caplen > PCAP_MAX_CAPLEN) {
        throw malformed(`packet ${n} at byte ${this.#offset}: it claims ${caplen} captured bytes, more than the limit of ${PCAP_MAX_CAPLEN}`);
      }
      const dataStart = at + PCAP_RECORD_HEADER_LENGTH;
      if (dataStart + caplen > this.#end) return;
      // tshark reads both of these; so does the lab, saying what is odd.
      if (frac >= second) {
        const unit = header.nanosecond ? 'nanoseconds' : 'microseconds';
        this.#odd('TIMESTAMP_FRACTION_OUT_OF_RANGE', n, `packet ${n}: the fraction of its timestamp, ${frac} ${unit}, is a second or more; it is added to the seconds as it is`);
      }
      if (header.snaplen > 0 && caplen > header.snaplen) {
        this.#odd('CAPLEN_OVER_SNAPLEN', n, `packet ${n}: it holds ${caplen} captured bytes, more than the file's snapshot length of ${header.snaplen}`);
      }
      const tsNs = BigInt(sec) * 1_000_000_000n + BigInt(header.nanosecond ? frac : frac * 1000);
      records.push({ tsNs, caplen, len, data: this.#data(dataStart, dataStart + caplen), linktype: header.linktype });
      this.packets++;
      this.#advance(PCAP_RECORD_HEADER_LENGTH + caplen);
    }
  }

  #sectionOrder(order: number): boolean {
    if (order === PCAPNG_BYTE_ORDER_MAGIC) return false;
    if (order === 0x4d3c2b1a) return true;
    throw malformed(`the section header at byte ${this.#offset} has an unknown byte-order magic ${hex32(order)}`);
  }

  #parsePcapng(records: PcapRecord[]): void {
    const bytes = this.#buffer;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (this.#end - this.#start >= 12) {
      const at = this.#start;
      let type = view.getUint32(at, this.#le);
      let le = this.#le;
      const shb = view.getUint32(at, false) === PCAPNG_SHB;
      if (shb) {
        // A section header sets the byte order for everything up to the next one.
        type = PCAPNG_SHB;
        le = this.#sectionOrder(view.getUint32(at + 8, false));
      }
      const total = view.getUint32(at + 4, le);
      const where = `the block at byte ${this.#offset} (type ${hex32(type)})`;
      if (total < 12 || total % 4 !== 0) throw malformed(`${where} has an invalid length ${total}`);
      if (total > PCAP_MAX_CAPLEN + 1024 * 1024) throw malformed(`${where} claims ${total} bytes, more than any block this lab reads`);
      if (at + total > this.#end) return;
      if (view.getUint32(at + total - 4, le) !== total) {
        throw malformed(`${where}: its trailing length does not match its leading length ${total}`);
      }
      if (shb) {
        this.#le = le;
        this.#interfaces = [];
      }
      const record = this.#block(view, type, at, total, where);
      if (record) {
        records.push(record);
        this.packets++;
      }
      this.#advance(total);
    }
  }

  #block(view: DataView, type: number, at: number, total: number, where: string): PcapRecord | null {
    const le = this.#le;
    const body = at + 8;
    const bodyEnd = at + total - 4;
    const need = (n: number): void => {
      if (body + n > bodyEnd) throw malformed(`${where} is too short for its fields (${total} bytes)`);
    };
    if (type === PCAPNG_SHB) {
      need(16);
      const major = view.getUint16(body + 4, le);
      if (major !== 1) throw malformed(`${where}: pcapng version ${major} is not supported`);
    } else if (type === BLOCK_IDB) {
      need(8);
      const iface: Interface = { linktype: view.getUint16(body, le), snaplen: view.getUint32(body + 4, le), decimal: true, exp: 6, offsetSeconds: 0n };
      this.#interfaceOptions(view, body + 8, bodyEnd, iface, where);
      this.#interfaces.push(iface);
      if (!this.#firstInterface) {
        this.#firstInterface = true;
        this.linktype = iface.linktype;
        this.snaplen = iface.snaplen;
      }
    } else if (type === BLOCK_EPB || type === BLOCK_OPB) {
      need(20);
      const id = type === BLOCK_EPB ? view.getUint32(body, le) : view.getUint16(body, le);
      const iface = this.#interfaces[id];
      if (!iface) throw malformed(`${where}: packet for interface ${id}, which was never described`);
      const ts = (BigInt(view.getUint32(body + 4, le)) << 32n) | BigInt(view.getUint32(body + 8, le));
      const caplen = view.getUint32(body + 12, le);
      const len = view.getUint32(body + 16, le);
      if (caplen > PCAP_MAX_CAPLEN) throw malformed(`${where}: it claims ${caplen} captured bytes, more than the limit of ${PCAP_MAX_CAPLEN}`);
      if (body + 20 + caplen > bodyEnd) throw malformed(`${where}: its ${caplen} packet bytes run past the end of the block`);
      return { tsNs: toNs(ts, iface), caplen, len, data: this.#data(body + 20, body + 20 + caplen), linktype: iface.linktype };
    } else if (type === BLOCK_SPB) {
      need(4);
      const iface = this.#interfaces[0];
      if (!iface) throw malformed(`${where}: a simple packet block before any interface was described`);
      const len = view.getUint32(body, le);
      let caplen = Math.min(len, bodyEnd - (body + 4));
      if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
      if (caplen > PCAP_MAX_CAPLEN) throw malformed(`${where}: it holds ${caplen} packet bytes, more than the limit of ${PCAP_MAX_CAPLEN}`);
      // A simple packet block carries no timestamp.
      return { tsNs: 0n, caplen, len, data: this.#data(body + 4, body + 4 + caplen), linktype: iface.linktype };
    }
    // Any other block type (statistics, name resolution, custom...) is skipped.
    return null;
  }

  #interfaceOptions(view: DataView, start: number, end: number, iface: Interface, where: string): void {
    const le = this.#le;
    let at = start;
    while (at + 4 <= end) {
      const code = view.getUint16(at, le);
      const length = view.getUint16(at + 2, le);
      if (code === 0) return;
      const value = at + 4;
      if (value + length > end) throw malformed(`${where}: option ${code} at byte ${this.#offset + (at - this.#start)} runs past the end of the block`);
      if (code === IF_TSRESOL && length >= 1) {
        const resol = this.#buffer[value]!;
        iface.decimal = (resol & 0x80) === 0;
        iface.exp = resol & 0x7f;
        if (iface.decimal ? iface.exp > 18 : iface.exp > 63) throw malformed(`${where}: timestamp resolution ${resol} is out of range`);
      } else if (code === IF_TSOFFSET && length >= 8) {
        iface.offsetSeconds = view.getBigInt64(value, le);
      }
      at = value + Math.ceil(length / 4) * 4;
    }
  }
}
