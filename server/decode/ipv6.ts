/** IPv6 (RFC 8200): fixed 40-byte header, then any extension headers, then the transport. */
import type { Field, Layer, SubField, TextRef } from '../contract/trace.js';
import { bitWords, bytesField, formatIpv6, inner, readBits, readFields, setShown, words, type LayerDef, type Shown } from './fields.js';
import { IP_PROTOCOL_NAMES, protocolLabel, showDscp, showEcn, showIpProtocol } from './ip-protocols.js';
import { malformedCopy, markMalformed, missingBytesReason, type Protocol } from './protocol.js';

type ExtensionKey = 'hopByHop' | 'routing' | 'fragment' | 'destination';

/** Extension headers this decoder steps over, by next-header number. */
const EXTENSION_KEYS: Record<number, ExtensionKey> = {
  0: 'hopByHop',
  43: 'routing',
  44: 'fragment',
  60: 'destination',
};
const NO_NEXT_HEADER = 59;
const MAX_EXTENSION_HEADERS = 8;
/** Option types inside Hop-by-Hop and Destination Options headers. */
const OPTION_JUMBO_PAYLOAD = 0xc2;
const OPTION_HOME_ADDRESS = 0xc9;

/**
 * Where the value of the first option of `type` starts in the options header at `at` (its
 * options run from `at + 2` to `end`), when `length` bytes of value fit in the header. Like
 * tshark, a Home Address option with a wrong length still gives the 16 bytes after it.
 */
function findOption(data: Uint8Array, at: number, end: number, type: number, length: number): number | undefined {
  for (let i = at + 2; i < end; ) {
    const t = data[i]!;
    if (t === 0) {
      i++;
      continue;
    }
    const len = data[i + 1];
    if (len === undefined) return undefined;
    if (t === type) return i + 2 + length <= end ? i + 2 : undefined;
    i += optionStep(t, len);
  }
  return undefined;
}

/** Bytes an option takes: its length and 2, but a Home Address option always holds its 16-byte address (as tshark reads it). */
function optionStep(type: number, len: number): number {
  return type === OPTION_HOME_ADDRESS ? 18 : 2 + len;
}

/** Where the first option of the options header at `at` that runs past `end` starts, if one does. */
function optionPastEnd(data: Uint8Array, at: number, end: number): { at: number; len: number } | undefined {
  for (let i = at + 2; i < end; ) {
    if (data[i] === 0) {
      i++;
      continue;
    }
    // A type byte last in the header: its length byte is not in the header.
    const len = i + 1 < end ? data[i + 1]! : 0;
    const step = optionStep(data[i]!, len);
    if (i + step > end) return { at: i, len };
    i += step;
  }
  return undefined;
}

/**
 * The final destination a Routing header at `at` names, when hops are left (RFC 8200 §8.1):
 * the last address of a type 0 or type 2 header, the first segment (Segment List[0]) of a
 * Segment Routing header (type 4).
 */
function finalDestination(data: Uint8Array, at: number, length: number): Uint8Array | undefined {
  const type = data[at + 2]!;
  const segmentsLeft = data[at + 3]!;
  if (segmentsLeft === 0) return undefined;
  const addresses = Math.floor((length - 8) / 16);
  if (addresses < 1) return undefined;
  if (type === 0 || type === 2) return data.slice(at + 8 + (addresses - 1) * 16, at + 8 + addresses * 16);
  if (type === 4) return data.slice(at + 8, at + 24);
  return undefined;
}

export const ipv6Def: LayerDef<'ipv6'> = {
  name: 'ipv6',
  fields: [
    { name: 'version', bits: 4 },
    {
      name: 'trafficClass',
      bits: 8,
      format: 'hex',
      children: [
        { name: 'dscp', bits: 6, show: showDscp },
        { name: 'ecn', bits: 2, show: showEcn },
      ],
    },
    { name: 'flowLabel', bits: 20, format: 'hex' },
    { name: 'payloadLength', bytes: 2, show: (raw) => words('value.bytes', { n: raw }) },
    { name: 'nextHeader', bytes: 1, show: showIpProtocol },
    { name: 'hopLimit', bytes: 1, show: (raw) => words('value.hops', { n: raw }) },
    { name: 'src', bytes: 16, format: 'ipv6' },
    { name: 'dst', bytes: 16, format: 'ipv6' },
  ],
  handBuilt: [
    ...Object.values(EXTENSION_KEYS).map((key) => `ext.${key}` as const),
    'ext.nextHeader',
    'ext.length',
    'ext.fragmentOffset',
    'ext.mf',
    'ext.identification',
  ],
};

type ExtensionPart = 'nextHeader' | 'length' | 'fragmentOffset' | 'mf' | 'identification';

function extensionField(data: Uint8Array, kind: number, key: ExtensionKey, name: string, at: number, length: number): Field {
  const sub = (child: ExtensionPart, offset: number, len: number, raw: number, shown: Shown, bits?: [number, number]): SubField => {
    const f: SubField = { name: `${name}.${child}`, explain: `ipv6.ext.${child}`, offset, length: len, raw, display: '' };
    if (bits) {
      f.bitOffset = bits[0];
      f.bitLength = bits[1];
    }
    setShown(f, shown);
    return f;
  };
  const next = data[at]!;
  const children: SubField[] = [sub('nextHeader', at, 1, next, showIpProtocol(next))];
  if (kind === 44) {
    const fragmentOffset = readBits(data, at + 2, 0, 13);
    const mf = data[at + 3]! & 1;
    const id = readBits(data, at + 4, 0, 32);
    children.push(
      sub('fragmentOffset', at + 2, 2, fragmentOffset, words('value.fragment', { n: fragmentOffset, bytes: fragmentOffset * 8 }), [0, 13]),
      sub('mf', at + 3, 1, mf, bitWords(mf), [7, 1]),
      sub('identification', at + 4, 4, id, `0x${id.toString(16).padStart(8, '0')}`),
    );
  } else {
    const len = data[at + 1]!;
    children.push(sub('length', at + 1, 1, len, words('value.bytesInAll', { n: len, bytes: (len + 1) * 8 })));
  }
  const field = bytesField(data, name, `ipv6.ext.${key}`, at, length, words('value.namedBytes', { name: IP_PROTOCOL_NAMES[kind] ?? kind, n: length }));
  field.children = children;
  return field;
}

export const ipv6: Protocol = {
  def: ipv6Def,
  decode(ctx, offset, end) {
    const { data } = ctx;
    const read = readFields(data, 'ipv6', offset, end, ipv6Def.fields);
    const layer: Layer = { name: 'ipv6', osi: 'network', offset, length: read.end - offset, fields: read.fields };
    const fail = (reason: TextRef): { layer: Layer } => ({ layer: malformedCopy(layer, reason) });
    const version = read.values.get('version');
    if (version !== undefined && version !== 6) return fail(words('malformed.version', { version, expected: 6 }));
    if (read.missing) return fail(missingBytesReason(ctx, 'part.ipv6Header', offset, 40));
    const src = data.slice(offset + 8, offset + 24);
    const dst = data.slice(offset + 24, offset + 40);
    ctx.summary.ip = 6;
    ctx.summary.src = formatIpv6(src);
    ctx.summary.dst = formatIpv6(dst);
    let payloadLength = read.values.get('payloadLength') ?? 0;
    if (payloadLength === 0 && read.values.get('nextHeader') === 0 && offset + 48 <= data.length) {
      // A jumbogram (RFC 2675; BIG TCP over IPv6): the length is in the Hop-by-Hop header.
      const hbhEnd = Math.min(data.length, offset + 40 + (data[offset + 41]! + 1) * 8);
      const jumbo = findOption(data, offset + 40, hbhEnd, OPTION_JUMBO_PAYLOAD, 4);
      if (jumbo !== undefined) {
        payloadLength = readBits(data, jumbo, 0, 32);
        const field = read.fields.find((f) => f.name === 'payloadLength');
        if (field) setShown(field, words('value.payloadLengthJumbo', { n: payloadLength }));
      }
    }
    let packetEnd = offset + 40 + payloadLength;
    if (packetEnd > end) {
      const available = Math.max(0, end - offset - 40);
      markMalformed(layer, words('malformed.payloadLengthPastFrame', { length: payloadLength, available }));
      packetEnd = end;
    }
    ctx.ip = { version: 6, src, dst, fragmented: false };
    let next = read.values.get('nextHeader') ?? 0;
    let at = offset + 40;
    const seen = new Map<string, number>();
    for (let count = 0; count < MAX_EXTENSION_HEADERS; count++) {
      const key = EXTENSION_KEYS[next];
      if (key === undefined) break;
      const extension = IP_PROTOCOL_NAMES[next] ?? String(next);
      const what = inner('part.ipv6Extension', { name: extension });
      if (at + 8 > packetEnd) return fail(words('malformed.extensionPastPacket', { name: extension, at }));
      if (at + 8 > data.length) return fail(missingBytesReason(ctx, what, at, 8));
      const length = next === 44 ? 8 : (data[at + 1]! + 1) * 8;
      if (at + length > packetEnd) return fail(words('malformed.extensionLongPastPacket', { name: extension, at, length }));
      if (at + length > data.length) return fail(missingBytesReason(ctx, what, at, length));
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      const field = extensionField(data, next, key, n === 1 ? `ext.${key}` : `ext.${key}-${n}`, at, length);
      read.fields.push(field);
      if (next === 43) {
        const final = finalDestination(data, at, length);
        if (final) ctx.ip.pseudoDst = final;
      }
      if (next === 0 || next === 60) {
        const past = optionPastEnd(data, at, at + length);
        if (past) return fail(words('malformed.extensionOptionPastEnd', { name: extension, at: past.at, len: past.len }));
      }
      if (next === 60) {
        const home = findOption(data, at, at + length, OPTION_HOME_ADDRESS, 16);
        if (home !== undefined) ctx.ip.pseudoSrc = data.slice(home, home + 16);
      }
      if (next === 44) {
        const fragmentOffset = readBits(data, at + 2, 0, 13);
        // An atomic fragment (offset 0, no more fragments; RFC 6946) is the whole datagram.
        if (fragmentOffset > 0 || (data[at + 3]! & 1) === 1) ctx.ip.fragmented = true;
        if (fragmentOffset > 0) {
          const proto = data[at]!;
          layer.length = at + length - offset;
          const note = inner('note.laterFragmentV6', { offset: fragmentOffset * 8, protocol: protocolLabel(proto) });
          return { layer, next: { table: 'opaque', value: proto, offset: at + length, end: packetEnd, note } };
        }
      }
      next = data[at]!;
      at += length;
    }
    layer.length = at - offset;
    if (EXTENSION_KEYS[next] !== undefined) return fail(words('malformed.tooManyExtensions', { max: MAX_EXTENSION_HEADERS }));
    if (next === NO_NEXT_HEADER) return { layer };
    return { layer, next: { table: 'ipProtocol', value: next, offset: at, end: packetEnd } };
  },
};
