/** UDP (RFC 768): connectionless datagrams, one message each, with an 8-byte header. */
import { words, type LayerDef } from './fields.js';
import { markMalformed, type Protocol } from './protocol.js';
import { checkTransportChecksum, openTransport, type TransportSpec } from './transport.js';

export const UDP_PROTOCOL = 17;

export const udpDef: LayerDef<'udp'> = {
  name: 'udp',
  fields: [
    { name: 'sport', bytes: 2 },
    { name: 'dport', bytes: 2 },
    { name: 'length', bytes: 2, show: (raw) => words('value.udpLength', { n: raw, data: Math.max(0, raw - 8) }) },
    { name: 'checksum', bytes: 2, format: 'hex' },
  ],
};

const spec: TransportSpec<'udp'> = {
  def: udpDef,
  protocol: UDP_PROTOCOL,
  headerLength: 8,
  part: 'part.udpHeader',
  tooShort: 'malformed.datagramTooShort',
  checksumAt: 6,
  zeroMeansUnused: true,
};

export const udp: Protocol = {
  def: udpDef,
  decode(ctx, offset, end) {
    const opened = openTransport(ctx, offset, end, spec);
    if ('step' in opened) return opened.step;
    const { layer, read, fail } = opened;
    const { summary } = ctx;
    const length = read.values.get('length') ?? 0;
    if (length < 8) return fail(words('malformed.udpLengthTooSmall', { length }));
    let datagramEnd = offset + length;
    if (datagramEnd > end) {
      markMalformed(layer, words('malformed.udpLengthPastPacket', { length, available: end - offset }));
      datagramEnd = end;
    } else if (datagramEnd < end) {
      markMalformed(layer, words('malformed.udpLengthShort', { length, available: end - offset }));
    }
    checkTransportChecksum(ctx, opened, offset, datagramEnd, spec);
    summary.payloadLength = datagramEnd - offset - 8;
    summary.info = `${summary.sport} → ${summary.dport} Len=${summary.payloadLength}`;
    return { layer, next: { table: 'payload', value: 0, offset: offset + 8, end: datagramEnd } };
  },
};
