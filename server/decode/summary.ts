/**
 * The fast half of the decoder: a frame's summary (addresses, ports, flags, sequence numbers,
 * lengths, TCP options, the one-line info) without building its field tree. It reads only the
 * bytes it needs and verifies no checksum (the summary holds none).
 *
 * It handles the frames a run and most captures are made of: Ethernet or raw IP, IPv4 or IPv6
 * without extension headers, TCP or UDP (or another protocol, named), sound headers with the
 * payload perhaps cut by the snapshot length. Anything else (a malformed header, an extension
 * header, a link type or EtherType length it does not read) is handed to the full decoder, whose rules stay the only copy of what is malformed; a test holds
 * the two to the same summary on every packet the decoder tests use and on the public captures.
 */
import { BoundedCache } from '../contract/bounded-cache.js';
import { sayText, type PacketTextKey } from '../contract/packet-texts.js';
import type { InnerTextRef, PacketSummary, TcpOptionValues } from '../contract/trace.js';
import { etherTypeLabel } from './ethernet.js';
import { formatIpv6, inner } from './fields.js';
import { protocolLabel } from './ip-protocols.js';
import { decodeFrame, type DecodeOptions } from './index.js';
import { TCP_FLAG_NAMES, TCP_INFO_ORDER } from './tcp.js';

/** Flag names (wire order) and the info text (`[SYN, ACK]`) of every flags byte. */
const FLAG_NAMES: string[][] = [];
const FLAG_INFO: string[] = [];
for (let bits = 0; bits < 256; bits++) {
  const set = TCP_FLAG_NAMES.filter((_, i) => bits & (0x80 >> i));
  FLAG_NAMES.push(set);
  FLAG_INFO.push(`[${TCP_INFO_ORDER.filter((n) => (set as readonly string[]).includes(n)).join(', ')}]`);
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}

function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + ((d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!);
}

interface FastOptions {
  summary: Record<string, string>;
  values: TcpOptionValues;
  /** The info line's words for the options, each after a space (` MSS=1460 SACK_PERM`). */
  info: string;
}

/** Dotted IPv4 addresses by their 32-bit value: captures repeat a few addresses many times. */
const ipv4Text = new BoundedCache<number, string>(4096);

function ipv4At(d: Uint8Array, o: number): string {
  return ipv4Text.get(u32(d, o), () => `${d[o]}.${d[o + 1]}.${d[o + 2]}.${d[o + 3]}`);
}

/** TCP options as the full decoder reads them, or undefined when any is malformed. */
function fastTcpOptions(d: Uint8Array, start: number, stop: number): FastOptions | undefined {
  const summary: Record<string, string> = {};
  const values: TcpOptionValues = { sackPerm: false };
  let info = '';
  let at = start;
  while (at < stop) {
    const kind = d[at]!;
    if (kind === 0) break;
    if (kind === 1) {
      at++;
      continue;
    }
    if (at + 1 >= stop) return undefined;
    const len = d[at + 1]!;
    if (len < 2 || at + len > stop) return undefined;
    switch (kind) {
      case 2: {
        if (len !== 4) return undefined;
        const mss = u16(d, at + 2);
        summary['mss'] = String(mss);
        values.mss = mss;
        info += ` MSS=${mss}`;
        break;
      }
      case 3: {
        if (len !== 3) return undefined;
        const shift = d[at + 2]!;
        const factor = 2 ** Math.min(shift, 14);
        summary['wscale'] = `${shift} (×${factor})`;
        values.wscale = shift;
        info += ` WS=${factor}`;
        break;
      }
      case 4:
        if (len !== 2) return undefined;
        values.sackPerm = true;
        summary['sackPerm'] = 'yes';
        info += ' SACK_PERM';
        break;
      case 5: {
        if ((len - 2) % 8 !== 0 || len === 2) return undefined;
        const blocks: { left: number; right: number }[] = [];
        for (let b = at + 2; b + 8 <= at + len; b += 8) {
          const left = u32(d, b);
          const right = u32(d, b + 4);
          blocks.push({ left, right });
          info += ` SLE=${left} SRE=${right}`;
        }
        summary['sack'] = blocks.map((x) => `${x.left}-${x.right}`).join(', ');
        values.sack = blocks;
        break;
      }
      case 8: {
        if (len !== 10) return undefined;
        const val = u32(d, at + 2);
        const ecr = u32(d, at + 6);
        const valText = String(val);
        const ecrText = String(ecr);
        summary['ts'] = `${valText} / ${ecrText}`;
        values.ts = { val, ecr };
        info += ` TSval=${valText} TSecr=${ecrText}`;
        break;
      }
      default:
    }
    at += len;
  }
  return { summary, values, info };
}

/** An undecoded layer's note, in English, as the full decoder's info line says it. */
function note(key: PacketTextKey, args: InnerTextRef['args']): string {
  return sayText(inner(key, args), 'en');
}

/** The info line's mark for a payload cut short: by the snapshot length, or by the frame. */
function cutMark(dataLength: number, wireLength: number, end: number): string {
  return dataLength < wireLength && end <= wireLength ? ' [truncated]' : ' [malformed payload]';
}

/**
 * The summary of a frame the fast path knows to be sound (the payload may be cut short), or
 * undefined when the full decoder must say it. Exported for tests.
 */
export function fastSummary(d: Uint8Array, linktype: number, wireLength: number): PacketSummary | undefined {
  let at = 0;
  let version: 4 | 6;
  if (linktype === 1) {
    if (d.length < 14) return undefined;
    const type = u16(d, 12);
    if (type === 0x0800) version = 4;
    else if (type === 0x86dd) version = 6;
    else if (type < 0x0600) return undefined;
    else {
      const text = note('note.etherType', { type: etherTypeLabel(type) });
      return { payloadLength: 0, info: text.charAt(0).toUpperCase() + text.slice(1) };
    }
    at = 14;
  } else if (linktype === 101 || linktype === 228 || linktype === 229) {
    if (d.length < 1) return undefined;
    const nibble = linktype === 228 ? 4 : linktype === 229 ? 6 : d[0]! >> 4;
    if (nibble !== 4 && nibble !== 6) return undefined;
    version = nibble;
  } else {
    return undefined;
  }
  if (at >= d.length || d[at]! >> 4 !== version) return undefined;
  // Where the frame ends on the wire. The IP packet must end within it; its bytes may be cut
  // short by the snapshot length, but then only in the payload.
  const frameEnd = Math.max(wireLength, d.length);
  let protocol: number;
  let start: number;
  let end: number;
  let src: string;
  let dst: string;
  let laterFragment = 0;
  if (version === 4) {
    const headerLength = (d[at]! & 15) * 4;
    if (headerLength < 20 || at + headerLength > d.length) return undefined;
    const total = u16(d, at + 2);
    end = at + total;
    if (total < headerLength || end > frameEnd) return undefined;
    laterFragment = (u16(d, at + 6) & 0x1fff) * 8;
    protocol = d[at + 9]!;
    src = ipv4At(d, at + 12);
    dst = ipv4At(d, at + 16);
    start = at + headerLength;
  } else {
    if (at + 40 > d.length) return undefined;
    const payloadLength = u16(d, at + 4);
    end = at + 40 + payloadLength;
    if (payloadLength === 0 || end > frameEnd) return undefined;
    protocol = d[at + 6]!;
    // Extension headers and No Next Header: the full decoder.
    if (protocol === 0 || protocol === 43 || protocol === 44 || protocol === 60 || protocol === 59) return undefined;
    src = formatIpv6(d.subarray(at + 8, at + 24));
    dst = formatIpv6(d.subarray(at + 24, at + 40));
    start = at + 40;
  }
  if (laterFragment > 0 || (protocol !== 6 && protocol !== 17)) {
    const text = laterFragment > 0
      ? note('note.laterFragmentV4', { offset: laterFragment, protocol: protocolLabel(protocol) })
      : note('note.protocol', { protocol: protocolLabel(protocol) });
    return { payloadLength: 0, info: `${src} → ${dst} ${version === 6 ? 'IPv6' : 'IPv4'}, ${text}`, ip: version, src, dst, proto: 'other' };
  }
  if (protocol === 6) {
    if (start + 20 > end || start + 20 > d.length) return undefined;
    const headerLength = (d[start + 12]! >> 4) * 4;
    if (headerLength < 20 || start + headerLength > end || start + headerLength > d.length) return undefined;
    const sport = u16(d, start);
    const dport = u16(d, start + 2);
    const seq = u32(d, start + 4);
    const ack = u32(d, start + 8);
    const bits = d[start + 13]!;
    const window = u16(d, start + 14);
    const payloadLength = end - start - headerLength;
    let tcpOptions: TcpOptionValues = { sackPerm: false };
    let options: Record<string, string> | undefined;
    let optionInfo = '';
    if (headerLength > 20) {
      const parsed = fastTcpOptions(d, start + 20, start + headerLength);
      if (!parsed) return undefined;
      options = parsed.summary;
      tcpOptions = parsed.values;
      optionInfo = parsed.info;
    }
    const hasAck = (bits & 0x10) !== 0;
    const urg = (bits & 0x20) !== 0 ? ` Urg=${u16(d, start + 18)}` : '';
    const cut = end > d.length ? cutMark(d.length, wireLength, end) : '';
    const info = `${sport} → ${dport} ${FLAG_INFO[bits]} Seq=${seq}${hasAck ? ` Ack=${ack}` : ''} Win=${window} Len=${payloadLength}${urg}${optionInfo}${cut}`;
    const summary: PacketSummary = {
      payloadLength,
      info,
      ip: version,
      src,
      dst,
      proto: 'tcp',
      sport,
      dport,
      seq,
      ack,
      flags: FLAG_NAMES[bits]!.slice(),
      window,
      tcpOptions,
    };
    if (options) summary.options = options;
    return summary;
  }
  if (start + 8 > end || start + 8 > d.length) return undefined;
  const length = u16(d, start + 4);
  if (length < 8) return undefined;
  const sport = u16(d, start);
  const dport = u16(d, start + 2);
  // A UDP length that disagrees with the IP length makes the datagram malformed; the payload
  // is what both lengths hold.
  const datagramEnd = Math.min(start + length, end);
  const payloadLength = datagramEnd - start - 8;
  const cut = start + length !== end ? ' [malformed udp]' : end > d.length ? cutMark(d.length, wireLength, end) : '';
  return { payloadLength, info: `${sport} → ${dport} Len=${payloadLength}${cut}`, ip: version, src, dst, proto: 'udp', sport, dport };
}

/**
 * The summary of one frame: what the timeline, the ladder's lanes and the summary line need.
 * Equal to `decodeFrame(data, linktype, len, options).summary`, at a fraction of the cost for
 * the usual frames. `len`: the frame's length on the wire, when known.
 */
export function summarizeFrame(data: Uint8Array, linktype: number, len?: number, options: DecodeOptions = {}): PacketSummary {
  const wireLength = len !== undefined && Number.isFinite(len) && len >= 0 ? len : data.length;
  if (data.length <= wireLength) {
    const fast = fastSummary(data, linktype, wireLength);
    if (fast) return fast;
  }
  return decodeFrame(data, linktype, len, options).summary;
}
