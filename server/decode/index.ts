/**
 * Packet decoder: bytes of one captured frame → layers with fields and a summary.
 * Never throws.
 */
import type { DecodedPacket, Layer } from '../trace/schema.js';

function hex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Decodes one frame. `len` is the length on the wire when known (may exceed `data.length`). */
export function decodeFrame(data: Uint8Array, linktype: number, len?: number): DecodedPacket {
  try {
    return decodeSimple(data, linktype, len);
  } catch (err) {
    return {
      layers: [
        {
          name: 'unknown',
          osi: 'link',
          offset: 0,
          length: data.length,
          fields: [],
          malformed: `could not decode: ${err instanceof Error ? err.message : String(err)}`,
        },
      ],
      summary: { payloadLength: 0, info: 'undecodable frame' },
    };
  }
}

function decodeSimple(data: Uint8Array, linktype: number, _len?: number): DecodedPacket {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const layers: Layer[] = [];
  if (linktype !== 1 || data.length < 14) {
    layers.push({ name: 'unknown', osi: 'link', offset: 0, length: data.length, fields: [], malformed: 'not decoded' });
    return { layers, summary: { payloadLength: 0, info: 'unknown frame' } };
  }
  layers.push({ name: 'ethernet', osi: 'link', offset: 0, length: 14, fields: [] });
  const ethertype = view.getUint16(12);
  let off = 14;
  let proto = -1;
  let ip: 4 | 6 | undefined;
  let src: string | undefined;
  let dst: string | undefined;
  let end = data.length;
  if (ethertype === 0x0800 && data.length >= off + 20) {
    const ihl = (data[off]! & 0x0f) * 4;
    ip = 4;
    proto = data[off + 9]!;
    src = Array.from(data.subarray(off + 12, off + 16)).join('.');
    dst = Array.from(data.subarray(off + 16, off + 20)).join('.');
    end = Math.min(data.length, off + view.getUint16(off + 2));
    layers.push({ name: 'ipv4', osi: 'network', offset: off, length: ihl, fields: [] });
    off += ihl;
  } else if (ethertype === 0x86dd && data.length >= off + 40) {
    ip = 6;
    proto = data[off + 6]!;
    end = Math.min(data.length, off + 40 + view.getUint16(off + 4));
    layers.push({ name: 'ipv6', osi: 'network', offset: off, length: 40, fields: [] });
    off += 40;
  }
  const summary: DecodedPacket['summary'] = { payloadLength: 0, info: '' };
  if (ip) summary.ip = ip;
  if (src) summary.src = src;
  if (dst) summary.dst = dst;
  if (proto === 6 && end >= off + 20) {
    const doff = (data[off + 12]! >> 4) * 4;
    summary.proto = 'tcp';
    summary.sport = view.getUint16(off);
    summary.dport = view.getUint16(off + 2);
    summary.seq = view.getUint32(off + 4);
    summary.ack = view.getUint32(off + 8);
    const names = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'];
    const flagByte = data[off + 13]!;
    summary.flags = names.filter((_, i) => flagByte & (0x80 >> i));
    summary.window = view.getUint16(off + 14);
    layers.push({ name: 'tcp', osi: 'transport', offset: off, length: doff, fields: [] });
    off += doff;
  } else if (proto === 17 && end >= off + 8) {
    summary.proto = 'udp';
    summary.sport = view.getUint16(off);
    summary.dport = view.getUint16(off + 2);
    layers.push({ name: 'udp', osi: 'transport', offset: off, length: 8, fields: [] });
    off += 8;
  }
  summary.payloadLength = Math.max(0, end - off);
  if (summary.payloadLength > 0) {
    const bytes = data.subarray(off, end);
    layers.push({
      name: 'payload',
      osi: 'application',
      offset: off,
      length: bytes.length,
      fields: [{ name: 'data', explain: 'payload.data', offset: off, length: bytes.length, raw: hex(bytes), display: '' }],
    });
  }
  summary.info = `${summary.sport ?? ''} → ${summary.dport ?? ''} [${(summary.flags ?? []).join(', ')}] Len=${summary.payloadLength}`;
  return { layers, summary };
}
