/** IPv4 (RFC 791): the network layer that carries a datagram from one host to another. */
import type { Layer, TextRef } from '../contract/trace.js';
import { fold, onesComplementSum, setChecksum } from './checksum.js';
import { bytesField, formatIpv4, inner, readFields, setShown, words, type LayerDef } from './fields.js';
import { protocolLabel, showDscp, showEcn, showIpProtocol } from './ip-protocols.js';
import { ipv6 } from './ipv6.js';
import { malformedCopy, markMalformed, missingBytesReason, type Protocol } from './protocol.js';

const OPTION_NAMES: Record<number, string> = {
  0: 'End of Options',
  1: 'NOP',
  7: 'Record Route',
  68: 'Timestamp',
  130: 'Security',
  131: 'Loose Source Route',
  137: 'Strict Source Route',
  148: 'Router Alert',
};

export const ipv4Def: LayerDef<'ipv4'> = {
  name: 'ipv4',
  fields: [
    { name: 'version', bits: 4 },
    { name: 'ihl', bits: 4, show: (raw) => words('value.countBytes', { n: raw, bytes: raw * 4 }) },
    { name: 'dscp', bits: 6, show: showDscp },
    { name: 'ecn', bits: 2, show: showEcn },
    { name: 'totalLength', bytes: 2, show: (raw) => words('value.bytes', { n: raw }) },
    { name: 'id', bytes: 2, show: (raw) => `0x${raw.toString(16).padStart(4, '0')} (${raw})` },
    {
      name: 'flags',
      bits: 3,
      show: (raw) => {
        const bits = `0b${raw.toString(2).padStart(3, '0')}`;
        const df = (raw & 2) !== 0;
        const mf = (raw & 1) !== 0;
        if (df && mf) return words('value.ipFlagsDfMf', { bits });
        if (df) return words('value.ipFlagsDf', { bits });
        if (mf) return words('value.ipFlagsMf', { bits });
        return bits;
      },
      children: [
        { name: 'reserved', bits: 1 },
        { name: 'df', bits: 1 },
        { name: 'mf', bits: 1 },
      ],
    },
    { name: 'fragmentOffset', bits: 13, show: (raw) => words('value.fragment', { n: raw, bytes: raw * 8 }) },
    { name: 'ttl', bytes: 1, show: (raw) => words('value.hops', { n: raw }) },
    { name: 'protocol', bytes: 1, show: showIpProtocol },
    { name: 'checksum', bytes: 2, format: 'hex' },
    { name: 'src', bytes: 4, format: 'ipv4' },
    { name: 'dst', bytes: 4, format: 'ipv4' },
  ],
  handBuilt: ['options'],
};

/** The options as a list, each by name (or kind number) and length. */
function describeOptions(bytes: Uint8Array): TextRef[] {
  const items: TextRef[] = [];
  for (let i = 0; i < bytes.length && items.length < 40; ) {
    const kind = bytes[i]!;
    const known = OPTION_NAMES[kind];
    const name = known ?? inner('value.kind', { kind });
    if (kind === 0 || kind === 1) {
      items.push(words('value.name', { name }));
      if (kind === 0) break;
      i++;
      continue;
    }
    const len = bytes[i + 1] ?? 0;
    if (len < 2 || i + len > bytes.length) {
      items.push(words('value.namedInvalidLength', { name, len }));
      break;
    }
    items.push(words('value.namedBytes', { name, n: len }));
    i += len;
  }
  return items;
}

export const ipv4: Protocol = {
  def: ipv4Def,
  decode(ctx, offset, end) {
    const { data } = ctx;
    const read = readFields(data, 'ipv4', offset, end, ipv4Def.fields);
    const layer: Layer = { name: 'ipv4', osi: 'network', offset, length: read.end - offset, fields: read.fields };
    const fail = (reason: TextRef): { layer: Layer } => ({ layer: malformedCopy(layer, reason) });
    const version = read.values.get('version');
    // An IPv6 packet where IPv4 was announced is read as IPv6, as tshark and the Linux stack do.
    if (version === 6) return ipv6.decode(ctx, offset, end);
    if (version !== undefined && version !== 4) return fail(words('malformed.version', { version, expected: 4 }));
    const ihl = read.values.get('ihl');
    if (ihl !== undefined && ihl < 5) return fail(words('malformed.ihlTooSmall', { ihl, bytes: ihl * 4 }));
    if (read.missing) return fail(missingBytesReason(ctx, 'part.ipv4Header', offset, 20));
    const headerLength = (ihl ?? 5) * 4;
    const src = data.slice(offset + 12, offset + 16);
    const dst = data.slice(offset + 16, offset + 20);
    ctx.summary.ip = 4;
    ctx.summary.src = formatIpv4(src);
    ctx.summary.dst = formatIpv4(dst);
    if (offset + headerLength > end) {
      return fail(words('malformed.ipv4HeaderPastEnd', { bytes: headerLength, available: end - offset }));
    }
    if (offset + headerLength > data.length) {
      return fail(missingBytesReason(ctx, 'part.ipv4HeaderOptions', offset, headerLength));
    }
    layer.length = headerLength;
    if (headerLength > 20) {
      const options = data.subarray(offset + 20, offset + headerLength);
      read.fields.push(bytesField(data, 'options', 'ipv4.options', offset + 20, headerLength - 20, describeOptions(options)));
    }
    const checksum = read.fields.find((f) => f.name === 'checksum');
    if (checksum) {
      const header = data.subarray(offset, offset + headerLength);
      const stored = Number(checksum.raw);
      if (onesComplementSum(header, 0, header.length) === 0xffff) {
        setChecksum(checksum, stored, { status: 'ok' });
      } else {
        const rest = fold(onesComplementSum(header, 0, 10) + onesComplementSum(header, 12, header.length));
        setChecksum(checksum, stored, { status: 'bad', expected: 0xffff - rest });
      }
    }

    let totalLength = read.values.get('totalLength') ?? 0;
    if (totalLength === 0) {
      // A segment handed to the network card whole (TSO; BIG TCP above 64 KiB) is captured
      // before the card cuts it, with no length: the packet is the rest of the frame, as tshark takes it.
      totalLength = end - offset;
      const field = read.fields.find((f) => f.name === 'totalLength');
      if (field) setShown(field, words('value.totalLengthTso', { n: totalLength }));
    }
    if (totalLength < headerLength) {
      return fail(words('malformed.totalLengthTooSmall', { total: totalLength, header: headerLength }));
    }
    let datagramEnd = offset + totalLength;
    if (datagramEnd > end) {
      markMalformed(layer, words('malformed.totalLengthPastFrame', { total: totalLength, available: end - offset }));
      datagramEnd = end;
    }
    const flags = read.values.get('flags') ?? 0;
    const fragmentOffset = read.values.get('fragmentOffset') ?? 0;
    ctx.ip = { version: 4, src, dst, fragmented: (flags & 1) === 1 || fragmentOffset > 0 };
    const protocol = read.values.get('protocol') ?? 0;
    const start = offset + headerLength;
    if (fragmentOffset > 0) {
      const note = inner('note.laterFragmentV4', { offset: fragmentOffset * 8, protocol: protocolLabel(protocol) });
      return { layer, next: { table: 'opaque', value: protocol, offset: start, end: datagramEnd, note } };
    }
    return { layer, next: { table: 'ipProtocol', value: protocol, offset: start, end: datagramEnd } };
  },
};
