/**
 * Writes packets as a pcapng file (little-endian): one section header, one interface
 * description per link type with nanosecond timestamps, one enhanced packet block per packet.
 * Pure TypeScript, no Node APIs.
 */
import type { PcapRecord } from './pcap-format.js';
import {
  BLOCK_EPB,
  BLOCK_IDB,
  IF_TSRESOL,
  OPT_COMMENT,
  OPT_ENDOFOPT,
  PCAPNG_BYTE_ORDER_MAGIC,
  PCAPNG_SHB,
  SHB_HARDWARE,
  SHB_OS,
  SHB_USERAPPL,
} from './pcapng-format.js';

export interface WritePcapngOptions {
  /** Link type of records that do not name their own. */
  linktype: number;
  snaplen: number;
  /** Records; `comment` becomes that packet's opt_comment. */
  records: (PcapRecord & { comment?: string })[];
  /** A comment on the whole file (section header). */
  comment?: string;
  hardware?: string;
  os?: string;
  /** Defaults to `Socket Lab`. */
  application?: string;
}

/** if_tsresol value: timestamps count units of 10^-9 s. */
const TSRESOL_NANOSECONDS = 9;

const encoder = new TextEncoder();

type Option = [code: number, value: Uint8Array];

function pad4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

function optionsLength(options: Option[]): number {
  if (options.length === 0) return 0;
  return options.reduce((sum, [, value]) => sum + 4 + pad4(value.length), 0) + 4;
}

/** Lays out a block: type, total length, body, options, total length. */
function block(type: number, body: Uint8Array, options: Option[]): Uint8Array {
  const total = 12 + pad4(body.length) + optionsLength(options);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, total, true);
  out.set(body, 8);
  writeOptions(view, out, 8 + pad4(body.length), options);
  view.setUint32(total - 4, total, true);
  return out;
}

/** Writes `options` and the end-of-options marker at `at` (nothing when there are none). */
function writeOptions(view: DataView, out: Uint8Array, at: number, options: Option[]): void {
  if (!options.length) return;
  for (const [code, value] of options) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    out.set(value, at + 4);
    out.fill(0, at + 4 + value.length, at + 4 + pad4(value.length));
    at += 4 + pad4(value.length);
  }
  view.setUint16(at, OPT_ENDOFOPT, true);
  view.setUint16(at + 2, 0, true);
}

function text(code: number, value: string | undefined): Option[] {
  if (!value) return [];
  const bytes = encoder.encode(value);
  // An option's length field is 16 bits.
  return [[code, bytes.length > 0xffff ? bytes.subarray(0, 0xffff) : bytes]];
}

/** The section header block that starts a file. */
export function sectionHeader(opts: Omit<WritePcapngOptions, 'records' | 'linktype' | 'snaplen'>): Uint8Array {
  const body = new Uint8Array(16);
  const view = new DataView(body.buffer);
  view.setUint32(0, PCAPNG_BYTE_ORDER_MAGIC, true);
  view.setUint16(4, 1, true);
  view.setUint16(6, 0, true);
  view.setBigInt64(8, -1n, true); // section length not specified
  return block(PCAPNG_SHB, body, [
    ...text(OPT_COMMENT, opts.comment),
    ...text(SHB_HARDWARE, opts.hardware),
    ...text(SHB_OS, opts.os),
    ...text(SHB_USERAPPL, opts.application ?? 'Socket Lab'),
  ]);
}

/** An interface description (nanosecond timestamps); packets name it by its position. */
export function interfaceDescription(linktype: number, snaplen: number): Uint8Array {
  const body = new Uint8Array(8);
  const view = new DataView(body.buffer);
  view.setUint16(0, linktype, true);
  view.setUint32(4, snaplen, true);
  return block(BLOCK_IDB, body, [[IF_TSRESOL, new Uint8Array([TSRESOL_NANOSECONDS])]]);
}

/** One packet as an enhanced packet block. */
export function enhancedPacket(interfaceId: number, record: PcapRecord & { comment?: string }): Uint8Array {
  const out = new Uint8Array(enhancedPacketSize(record));
  writeEnhancedPacket(out, 0, interfaceId, record);
  return out;
}

/** The size of `record`'s enhanced packet block. */
export function enhancedPacketSize(record: PcapRecord & { comment?: string }): number {
  return 32 + pad4(record.data.length) + optionsLength(text(OPT_COMMENT, record.comment));
}

/**
 * Lays out `record`'s enhanced packet block in `out` at `at` (room for `enhancedPacketSize`
 * bytes, every one of them written), so a writer can gather many packets in one buffer.
 */
export function writeEnhancedPacket(out: Uint8Array, at: number, interfaceId: number, record: PcapRecord & { comment?: string }): void {
  const data = record.data;
  const ts = record.tsNs < 0n ? 0n : BigInt.asUintN(64, record.tsNs);
  const options = text(OPT_COMMENT, record.comment);
  const total = 32 + pad4(data.length) + optionsLength(options);
  const view = new DataView(out.buffer, out.byteOffset + at, total);
  const block = out.subarray(at, at + total);
  view.setUint32(0, BLOCK_EPB, true);
  view.setUint32(4, total, true);
  view.setUint32(8, interfaceId, true);
  view.setUint32(12, Number(ts >> 32n), true);
  view.setUint32(16, Number(ts & 0xffffffffn), true);
  view.setUint32(20, data.length, true);
  view.setUint32(24, Math.max(record.len, 0), true);
  block.set(data, 28);
  block.fill(0, 28 + data.length, 28 + pad4(data.length));
  writeOptions(view, block, 28 + pad4(data.length), options);
  view.setUint32(total - 4, total, true);
}

/** The records as a pcapng file. The captured length written is always `data.length`. */
export function writePcapng(opts: WritePcapngOptions): Uint8Array {
  const parts: Uint8Array[] = [sectionHeader(opts)];
  const interfaceIds = new Map<number, number>();
  const interfaceFor = (linktype: number): number => {
    let id = interfaceIds.get(linktype);
    if (id === undefined) {
      id = interfaceIds.size;
      interfaceIds.set(linktype, id);
      parts.push(interfaceDescription(linktype, opts.snaplen));
    }
    return id;
  };
  interfaceFor(opts.linktype);
  for (const record of opts.records) parts.push(enhancedPacket(interfaceFor(record.linktype ?? opts.linktype), record));
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
