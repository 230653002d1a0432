/**
 * What TCP and UDP share: the two ports first, a fixed header the segment or datagram must
 * hold, and a checksum over the data and a pseudo-header of the IP addresses.
 */
import type { PacketTextKey } from '../contract/packet-texts.js';
import type { Layer, TextRef } from '../contract/trace.js';
import { setChecksum, verifyTransportChecksum } from './checksum.js';
import { readFields, setShown, words, type LayerDef, type ReadResult } from './fields.js';
import { malformedCopy, missingBytesReason, type DecodeContext, type Step } from './protocol.js';

export interface TransportSpec<L extends 'tcp' | 'udp'> {
  def: LayerDef<L>;
  /** The IP protocol number, as the pseudo-header holds it. */
  protocol: number;
  /** Bytes of the fixed header. */
  headerLength: number;
  /** What the header is called in a reason (`part.tcpHeader`). */
  part: PacketTextKey;
  /** The reason when the whole segment or datagram is shorter than the fixed header. */
  tooShort: PacketTextKey;
  /** Where the checksum sits in the header. */
  checksumAt: number;
  /** UDP over IPv4: a checksum of 0 means the sender computed none. */
  zeroMeansUnused?: boolean;
}

export interface OpenedTransport {
  layer: Layer;
  read: ReadResult;
  /** The step for a layer that is malformed for `reason` and ends the walk. */
  fail(reason: TextRef): Step;
}

/**
 * Reads the fixed header at `offset` and puts the protocol and ports in the summary. Returns
 * the finished step instead when the header is not all there.
 */
export function openTransport<L extends 'tcp' | 'udp'>(
  ctx: DecodeContext,
  offset: number,
  end: number,
  spec: TransportSpec<L>,
): OpenedTransport | { step: Step } {
  const { data, summary } = ctx;
  const name = spec.def.name;
  const read = readFields(data, name, offset, end, spec.def.fields);
  const layer: Layer = { name, osi: 'transport', offset, length: read.end - offset, fields: read.fields };
  const fail = (reason: TextRef): Step => ({ layer: malformedCopy(layer, reason) });
  summary.proto = name;
  const sport = read.values.get('sport');
  const dport = read.values.get('dport');
  if (sport !== undefined) summary.sport = sport;
  if (dport !== undefined) summary.dport = dport;
  if (read.missing) {
    const length = end - offset;
    const reason =
      length < spec.headerLength && end <= data.length
        ? words(spec.tooShort, { length })
        : missingBytesReason(ctx, spec.part, offset, spec.headerLength);
    return { step: fail(reason) };
  }
  return { layer, read, fail };
}

/** Verifies the checksum over `data[offset, end)` and the pseudo-header, and says how it came out. */
export function checkTransportChecksum<L extends 'tcp' | 'udp'>(
  ctx: DecodeContext,
  opened: OpenedTransport,
  offset: number,
  end: number,
  spec: TransportSpec<L>,
): void {
  const field = opened.read.fields.find((f) => f.name === 'checksum');
  if (!field) return;
  const stored = Number(field.raw);
  if (spec.zeroMeansUnused && stored === 0 && ctx.ip?.version === 4) {
    field.checksum = 'unchecked';
    setShown(field, words('value.checksumUnused', { value: '0x0000' }));
    return;
  }
  const result = verifyTransportChecksum(ctx.data, offset, end, stored, offset + spec.checksumAt, ctx.ip, spec.protocol, ctx.loopback);
  setChecksum(field, stored, result);
}
