/** TCP (RFC 9293): a reliable, connection-oriented byte stream between two ports. */
import { words, type LayerDef } from './fields.js';
import { markMalformed, missingBytesReason, type Protocol } from './protocol.js';
import { parseTcpOptions, TCP_OPTION_KEYS } from './tcp-options.js';
import { checkTransportChecksum, openTransport, type TransportSpec } from './transport.js';

export const TCP_PROTOCOL = 6;

/** Flag names in wire order, most significant bit first. */
export const TCP_FLAG_NAMES = ['CWR', 'ECE', 'URG', 'ACK', 'PSH', 'RST', 'SYN', 'FIN'] as const;
/** The order Wireshark lists flags in its info column (`[SYN, ACK]`). */
export const TCP_INFO_ORDER = ['FIN', 'SYN', 'RST', 'PSH', 'ACK', 'URG', 'ECE', 'CWR'] as const;
const INFO_ORDER: readonly string[] = TCP_INFO_ORDER;

function flagNames(bits: number): string[] {
  return TCP_FLAG_NAMES.filter((_, i) => bits & (0x80 >> i));
}

export const tcpDef: LayerDef<'tcp'> = {
  name: 'tcp',
  fields: [
    { name: 'sport', bytes: 2 },
    { name: 'dport', bytes: 2 },
    { name: 'seq', bytes: 4 },
    { name: 'ack', bytes: 4 },
    { name: 'dataOffset', bits: 4, show: (raw) => words('value.countBytes', { n: raw, bytes: raw * 4 }) },
    { name: 'reserved', bits: 4 },
    {
      name: 'flags',
      bits: 8,
      show: (raw) => {
        const set = flagNames(raw);
        const value = `0x${raw.toString(16).padStart(2, '0')}`;
        const ordered = INFO_ORDER.filter((n) => set.includes(n));
        return ordered.length ? `${value} (${ordered.join(', ')})` : words('value.tcpFlagsNone', { value });
      },
      children: TCP_FLAG_NAMES.map((flag) => ({ name: flag.toLowerCase(), bits: 1 })),
    },
    { name: 'window', bytes: 2 },
    { name: 'checksum', bytes: 2, format: 'hex' },
    { name: 'urgentPointer', bytes: 2 },
  ],
  handBuilt: TCP_OPTION_KEYS,
};

const spec: TransportSpec<'tcp'> = {
  def: tcpDef,
  protocol: TCP_PROTOCOL,
  headerLength: 20,
  part: 'part.tcpHeader',
  tooShort: 'malformed.segmentTooShort',
  checksumAt: 16,
};

export const tcp: Protocol = {
  def: tcpDef,
  decode(ctx, offset, end) {
    const opened = openTransport(ctx, offset, end, spec);
    if ('step' in opened) return opened.step;
    const { layer, read, fail } = opened;
    const { data, summary } = ctx;
    const v = read.values;
    const seq = v.get('seq') ?? 0;
    const ack = v.get('ack') ?? 0;
    const flags = v.get('flags') ?? 0;
    const window = v.get('window') ?? 0;
    summary.seq = seq;
    summary.ack = ack;
    summary.flags = flagNames(flags);
    summary.window = window;
    const dataOffset = v.get('dataOffset') ?? 0;
    const headerLength = dataOffset * 4;
    if (dataOffset < 5) return fail(words('malformed.dataOffsetTooSmall', { dataOffset, bytes: headerLength }));
    if (offset + headerLength > end) {
      return fail(words('malformed.dataOffsetPastSegment', { bytes: headerLength, length: end - offset }));
    }
    if (offset + headerLength > data.length) {
      return fail(missingBytesReason(ctx, 'part.tcpHeaderOptions', offset, headerLength));
    }
    layer.length = headerLength;
    summary.tcpOptions = { sackPerm: false };
    const info: string[] = [];
    if (headerLength > 20) {
      const options = parseTcpOptions(data, offset + 20, offset + headerLength);
      read.fields.push(options.field);
      summary.options = options.summary;
      summary.tcpOptions = options.values;
      info.push(...options.info);
      if (options.malformed) markMalformed(layer, options.malformed);
    }
    checkTransportChecksum(ctx, opened, offset, end, spec);
    const payloadStart = offset + headerLength;
    summary.payloadLength = end - payloadStart;
    const set = summary.flags;
    const head = [`${summary.sport} → ${summary.dport}`, `[${INFO_ORDER.filter((n) => set.includes(n)).join(', ')}]`, `Seq=${seq}`];
    if (set.includes('ACK')) head.push(`Ack=${ack}`);
    head.push(`Win=${window}`, `Len=${summary.payloadLength}`);
    if (set.includes('URG')) head.push(`Urg=${v.get('urgentPointer') ?? 0}`);
    summary.info = [...head, ...info].join(' ');
    return { layer, next: { table: 'payload', value: 0, offset: payloadStart, end } };
  },
};
