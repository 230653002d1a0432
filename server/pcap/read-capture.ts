/**
 * Reads a whole capture file: classic pcap (either byte order, micro- or nanoseconds) or pcapng
 * (any byte order, several sections and interfaces). Work is bounded by the file size: every
 * step moves forward, and nothing is allocated beyond the packets themselves.
 */
import { LabError } from '../errors.js';
import {
  parsePcapGlobalHeader,
  PCAP_GLOBAL_HEADER_LENGTH,
  PCAP_MAX_CAPLEN,
  PCAP_RECORD_HEADER_LENGTH,
  type PcapRecord,
} from './pcap-stream.js';
import { BLOCK_EPB, BLOCK_IDB, BLOCK_OPB, BLOCK_SPB, IF_TSOFFSET, IF_TSRESOL, PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_SHB } from './pcapng-format.js';

export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  /** Link type of the first interface; each record also carries its own `linktype`. */
  linktype: number;
  snaplen: number;
  records: PcapRecord[];
  /**
   * What is odd about the file but was read anyway, as tshark reads it: a record holding more
   * bytes than the snapshot length, a fractional timestamp of a second or more. One entry per
   * kind of oddity, with the first packet that has it and how many do.
   */
  oddities: CaptureOddity[];
}

/** Something odd a capture file holds; `code` is stable, `message` says it in English. */
export interface CaptureOddity {
  code: 'CAPLEN_OVER_SNAPLEN' | 'TIMESTAMP_FRACTION_OUT_OF_RANGE';
  /** 1-based number of the first packet with it. */
  packet: number;
  /** How many packets have it. */
  count: number;
  message: string;
}

/** Collects oddities, one entry per code. */
class Oddities {
  readonly list: CaptureOddity[] = [];
  add(code: CaptureOddity['code'], packet: number, message: string): void {
    const seen = this.list.find((o) => o.code === code);
    if (seen) seen.count++;
    else this.list.push({ code, packet, count: 1, message });
  }
}


/** The bytes of a record: a copy, or a view (`ReadCaptureOptions.views`). */
type Take = (from: number, to: number) => Uint8Array;

function malformed(message: string): LabError {
  return new LabError('CAPTURE_MALFORMED', `Malformed capture file: ${message}.`);
}

function hex32(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}

export interface ReadCaptureOptions {
  /**
   * Give each record's `data` as a view into `bytes` instead of a copy: faster, but every record
   * then keeps the whole file's buffer alive. Default false.
   */
  views?: boolean;
}

/** Reads a pcap or pcapng file. Throws LabError('CAPTURE_MALFORMED') naming what and where. */
export function readCaptureFile(input: Uint8Array, options: ReadCaptureOptions = {}): CaptureFile {
  // A plain Uint8Array over the same memory: a Node Buffer's `slice` makes views, not copies,
  // and its `subarray` is slower.
  const bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  const take = options.views ? (from: number, to: number) => bytes.subarray(from, to) : (from: number, to: number) => bytes.slice(from, to);
  if (bytes.length === 0) throw malformed('the file is empty');
  if (bytes.length < 4) throw malformed(`the file is only ${bytes.length} bytes long`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic === PCAPNG_SHB) return readPcapng(bytes, view, take);
  if (bytes.length >= PCAP_GLOBAL_HEADER_LENGTH && parsePcapGlobalHeader(bytes)) return readPcap(bytes, view, take);
  const padded = new Uint8Array(PCAP_GLOBAL_HEADER_LENGTH);
  padded.set(bytes.subarray(0, 4));
  if (parsePcapGlobalHeader(padded)) {
    throw malformed(`the pcap header is cut short: ${bytes.length} of ${PCAP_GLOBAL_HEADER_LENGTH} bytes`);
  }
  throw malformed(`not a pcap or pcapng file: it starts with ${hex32(magic)}`);
}

function readPcap(bytes: Uint8Array, view: DataView, take: Take): CaptureFile {
  const header = parsePcapGlobalHeader(bytes)!;
  const le = header.littleEndian;
  const records: PcapRecord[] = [];
  const oddities = new Oddities();
  const second = header.nanosecond ? 1_000_000_000 : 1_000_000;
  let at = PCAP_GLOBAL_HEADER_LENGTH;
  while (at < bytes.length) {
    const n = records.length + 1;
    if (at + PCAP_RECORD_HEADER_LENGTH > bytes.length) {
      throw malformed(`packet ${n} at byte ${at}: the record header is cut short (${bytes.length - at} of 16 bytes)`);
    }
    const sec = view.getUint32(at, le);
    const frac = view.getUint32(at + 4, le);
    const caplen = view.getUint32(at + 8, le);
    const len = view.getUint32(at + 12, le);
    // tshark reads both of these; so does the lab, saying what is odd.
    if (frac >= second) {
      const unit = header.nanosecond ? 'nanoseconds' : 'microseconds';
      oddities.add('TIMESTAMP_FRACTION_OUT_OF_RANGE', n, `packet ${n}: the fraction of its timestamp, ${frac} ${unit}, is a second or more; it is added to the seconds as it is`);
    }
    if (caplen > PCAP_MAX_CAPLEN) {
      throw malformed(`packet ${n} at byte ${at}: it claims ${caplen} captured bytes, more than the limit of ${PCAP_MAX_CAPLEN}`);
    }
    if (header.snaplen > 0 && caplen > header.snaplen) {
      oddities.add('CAPLEN_OVER_SNAPLEN', n, `packet ${n}: it holds ${caplen} captured bytes, more than the file's snapshot length of ${header.snaplen}`);
    }
    const dataStart = at + PCAP_RECORD_HEADER_LENGTH;
    if (dataStart + caplen > bytes.length) {
      throw malformed(
        `packet ${n} at byte ${at}: it claims ${caplen} bytes but the file ends after ${bytes.length - dataStart}`,
      );
    }
    // Microseconds since the epoch are exact as a Number (below 2^53 for any 32-bit second).
    const tsNs = header.nanosecond ? BigInt(sec) * 1_000_000_000n + BigInt(frac) : BigInt(sec * 1_000_000 + frac) * 1000n;
    records.push({ tsNs, caplen, len, data: take(dataStart, dataStart + caplen), linktype: header.linktype });
    at = dataStart + caplen;
  }
  return { format: 'pcap', linktype: header.linktype, snaplen: header.snaplen, records, oddities: oddities.list };
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

function readPcapng(bytes: Uint8Array, view: DataView, take: Take): CaptureFile {
  const records: PcapRecord[] = [];
  let interfaces: Interface[] = [];
  let first: Interface | undefined;
  let le = true;
  let at = 0;
  while (at < bytes.length) {
    if (at + 12 > bytes.length) {
      throw malformed(`the block at byte ${at} is cut short: ${bytes.length - at} bytes where at least 12 are needed`);
    }
    let type = view.getUint32(at, le);
    if (view.getUint32(at, false) === PCAPNG_SHB) {
      // A section header sets the byte order for everything up to the next one.
      type = PCAPNG_SHB;
      const order = view.getUint32(at + 8, false);
      if (order === PCAPNG_BYTE_ORDER_MAGIC) le = false;
      else if (order === 0x4d3c2b1a) le = true;
      else throw malformed(`the section header at byte ${at} has an unknown byte-order magic ${hex32(order)}`);
      interfaces = [];
    }
    const total = view.getUint32(at + 4, le);
    const where = `the block at byte ${at} (type ${hex32(type)})`;
    if (total < 12 || total % 4 !== 0) throw malformed(`${where} has an invalid length ${total}`);
    if (at + total > bytes.length) {
      throw malformed(`${where} claims ${total} bytes but the file ends after ${bytes.length - at}`);
    }
    if (view.getUint32(at + total - 4, le) !== total) {
      throw malformed(`${where}: its trailing length does not match its leading length ${total}`);
    }
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
      const iface: Interface = {
        linktype: view.getUint16(body, le),
        snaplen: view.getUint32(body + 4, le),
        decimal: true,
        exp: 6,
        offsetSeconds: 0n,
      };
      readInterfaceOptions(bytes, view, le, body + 8, bodyEnd, iface, where);
      interfaces.push(iface);
      first ??= iface;
    } else if (type === BLOCK_EPB || type === BLOCK_OPB) {
      need(20);
      const id = type === BLOCK_EPB ? view.getUint32(body, le) : view.getUint16(body, le);
      const iface = interfaces[id];
      if (!iface) throw malformed(`${where}: packet for interface ${id}, which was never described`);
      const ts = (BigInt(view.getUint32(body + 4, le)) << 32n) | BigInt(view.getUint32(body + 8, le));
      const caplen = view.getUint32(body + 12, le);
      const len = view.getUint32(body + 16, le);
      if (caplen > PCAP_MAX_CAPLEN) throw malformed(`${where}: it claims ${caplen} captured bytes, more than the limit of ${PCAP_MAX_CAPLEN}`);
      if (body + 20 + caplen > bodyEnd) throw malformed(`${where}: its ${caplen} packet bytes run past the end of the block`);
      const data = take(body + 20, body + 20 + caplen);
      records.push({ tsNs: toNs(ts, iface), caplen, len, data, linktype: iface.linktype });
    } else if (type === BLOCK_SPB) {
      need(4);
      const iface = interfaces[0];
      if (!iface) throw malformed(`${where}: a simple packet block before any interface was described`);
      const len = view.getUint32(body, le);
      const room = bodyEnd - (body + 4);
      let caplen = Math.min(len, room);
      if (iface.snaplen > 0) caplen = Math.min(caplen, iface.snaplen);
      if (caplen > PCAP_MAX_CAPLEN) throw malformed(`${where}: it holds ${caplen} packet bytes, more than the limit of ${PCAP_MAX_CAPLEN}`);
      // A simple packet block carries no timestamp.
      records.push({ tsNs: 0n, caplen, len, data: take(body + 4, body + 4 + caplen), linktype: iface.linktype });
    }
    // Any other block type (statistics, name resolution, custom...) is skipped.
    at += total;
  }
  return { format: 'pcapng', linktype: first?.linktype ?? 1, snaplen: first?.snaplen ?? 0, records, oddities: [] };
}

function readInterfaceOptions(
  bytes: Uint8Array,
  view: DataView,
  le: boolean,
  start: number,
  end: number,
  iface: Interface,
  where: string,
): void {
  let at = start;
  while (at + 4 <= end) {
    const code = view.getUint16(at, le);
    const length = view.getUint16(at + 2, le);
    if (code === 0) return;
    const value = at + 4;
    if (value + length > end) throw malformed(`${where}: option ${code} at byte ${at} runs past the end of the block`);
    if (code === IF_TSRESOL && length >= 1) {
      const resol = bytes[value]!;
      iface.decimal = (resol & 0x80) === 0;
      iface.exp = resol & 0x7f;
      if (iface.decimal ? iface.exp > 18 : iface.exp > 63) {
        throw malformed(`${where}: timestamp resolution ${resol} is out of range`);
      }
    } else if (code === IF_TSOFFSET && length >= 8) {
      iface.offsetSeconds = view.getBigInt64(value, le);
    }
    at = value + Math.ceil(length / 4) * 4;
  }
}
