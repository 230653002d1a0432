/**
 * Packet decoder: the bytes of one captured frame → layers of fields (each with its byte
 * offset) and a summary. Pure TypeScript on Uint8Array, for the server (the page gets decoded
 * packets and reads their texts from the contract). It never throws: what cannot be decoded is
 * reported in the layer's `malformed` reason (and by key in `malformedText`).
 *
 * Two ways in, the same arguments to both:
 * - `summarizeFrame(data, linktype, len?, options?)` → `PacketSummary`: the fast one, for every
 *   packet of a recording (timeline, lanes, the summary line).
 * - `decodeFrame(data, linktype, len?, options?)` → `DecodedPacket` (`layers` + the same
 *   `summary`): the full field tree, each field with its offset, bits, raw value, words and
 *   explain key, for the one packet being inspected.
 * `options.loopback`: the lab captured the frame on `lo` (see `DecodeOptions`).
 */
import { sayText } from '../contract/packet-texts.js';
import type { DecodedPacket, Layer, PacketSummary } from '../contract/trace.js';
import { etherTypeLabel } from './ethernet.js';
import { inner, words } from './fields.js';
import { protocolLabel } from './ip-protocols.js';
import { markMalformed, prependMalformed, type DecodeContext, type Protocol } from './protocol.js';
import { etherTypes, ipProtocols, linkTypes, payload } from './registry.js';
import { unknownLayer } from './unknown.js';

export { summarizeFrame } from './summary.js';
export { TCP_FLAG_NAMES } from './tcp.js';
export { parseTcpOptions, type ParsedTcpOptions } from './tcp-options.js';

/** More layers than any real frame has; bounds the walk. */
const MAX_LAYERS = 12;

/** What the decoder is told about where a frame was captured. */
export interface DecodeOptions {
  /**
   * The lab captured it on loopback (`lo`), where Linux leaves TCP and UDP checksums partial:
   * a checksum equal to the pseudo-header sum is then `offload`, not `bad`. Default false, but
   * a packet between two loopback addresses (127.0.0.0/8, ::1) is known to be on loopback anyway.
   */
  loopback?: boolean;
}

/**
 * Decodes one frame into the full field tree. `linktype` is the pcap link type (1 = Ethernet);
 * `len` is the frame's length on the wire when known (more than `data.length` when the capture
 * cut it short).
 */
export function decodeFrame(data: Uint8Array, linktype: number, len?: number, options: DecodeOptions = {}): DecodedPacket {
  try {
    return decode(data, linktype, len, options.loopback === true);
  } catch (err) {
    const layer = unknownLayer(data, 'link', 0, data.length, inner('note.notDecoded'));
    markMalformed(layer, words('malformed.decoderFailed', { message: err instanceof Error ? err.message : String(err) }));
    return { layers: [layer], summary: { payloadLength: 0, info: 'Undecodable frame' } };
  }
}

function decode(data: Uint8Array, linktype: number, len: number | undefined, loopback: boolean): DecodedPacket {
  const summary: PacketSummary = { payloadLength: 0, info: '' };
  if (data.length === 0) {
    const layer = unknownLayer(data, 'link', 0, 0, inner('note.noBytes'));
    markMalformed(layer, words('malformed.emptyFrame'));
    return { layers: [layer], summary: { payloadLength: 0, info: 'Empty frame' } };
  }
  const wireLength = len !== undefined && Number.isFinite(len) && len >= 0 ? len : data.length;
  const ctx: DecodeContext = { data, wireLength, summary, loopback };
  const layers: Layer[] = [];
  let protocol: Protocol | undefined = linkTypes.get(linktype)?.(data);
  if (!protocol) {
    layers.push(unknownLayer(data, 'link', 0, data.length, inner('note.linkType', { linktype })));
  }
  let offset = 0;
  let end = Math.max(wireLength, data.length);
  for (let i = 0; protocol && i < MAX_LAYERS; i++) {
    const step = protocol.decode(ctx, offset, end);
    layers.push(step.layer);
    const next = step.next;
    protocol = undefined;
    if (!next) break;
    if (next.table === 'payload') {
      if (next.offset < next.end) protocol = payload;
    } else if (next.table === 'opaque') {
      // No transport header here (e.g. a later fragment): no ports to show.
      summary.proto = 'other';
      layers.push(unknownLayer(data, 'transport', next.offset, next.end, next.note ?? inner('note.notDecoded')));
    } else if (next.table === 'etherType') {
      protocol = etherTypes.get(next.value);
      if (!protocol) {
        const note = inner('note.etherType', { type: etherTypeLabel(next.value) });
        layers.push(unknownLayer(data, 'network', next.offset, next.end, note));
      }
    } else {
      protocol = ipProtocols.get(next.value);
      if (!protocol) {
        summary.proto = 'other';
        const note = inner('note.protocol', { protocol: protocolLabel(next.value) });
        layers.push(unknownLayer(data, 'transport', next.offset, next.end, note));
      }
    }
    offset = next.offset;
    end = next.end;
  }
  const first = layers[0];
  if (first && len !== undefined && data.length > wireLength) {
    prependMalformed(first, words('malformed.caplenOverLen', { caplen: data.length, len: wireLength }));
  }
  summary.info = infoLine(summary, layers);
  return { layers, summary };
}

function infoLine(summary: PacketSummary, layers: Layer[]): string {
  let info = summary.info;
  if (!info) {
    const text = layers.find((l) => l.name === 'unknown')?.fields[0]?.text;
    const noteArg = text && !Array.isArray(text) ? text.args?.['note'] : undefined;
    const note = typeof noteArg === 'object' ? sayText(noteArg, 'en') : undefined;
    if (summary.src !== undefined) {
      info = `${summary.src} → ${summary.dst} ${summary.ip === 6 ? 'IPv6' : 'IPv4'}${note ? `, ${note}` : ''}`;
    } else {
      info = note ? note.charAt(0).toUpperCase() + note.slice(1) : (layers[layers.length - 1]?.name ?? 'frame');
    }
  }
  const malformed = layers.find((l) => l.malformed);
  if (malformed) {
    const truncated = malformed.malformedText?.[0]?.key === 'malformed.truncated';
    info += truncated ? ' [truncated]' : ` [malformed ${malformed.name}]`;
  }
  return info;
}
