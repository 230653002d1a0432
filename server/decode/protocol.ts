/**
 * What a protocol layer module provides, and the context it decodes in. A protocol is one file
 * exporting a `Protocol`; `registry.ts` says which numbers lead to it.
 */
import { sayText, type PacketTextKey } from '../contract/packet-texts.js';
import type { InnerTextRef, Layer, PacketSummary, TextRef } from '../contract/trace.js';
import { inner, words, type AnyLayerDef } from './fields.js';

/** The network layer's view, needed by transport checksums (the pseudo-header). */
export interface IpContext {
  version: 4 | 6;
  src: Uint8Array;
  dst: Uint8Array;
  /**
   * The addresses the pseudo-header holds, when not `src` and `dst`: IPv6 puts the final
   * destination there when a Routing header has hops left (RFC 8200 §8.1), and the home address
   * when a Home Address option is present (RFC 6275 §6.3).
   */
  pseudoSrc?: Uint8Array;
  pseudoDst?: Uint8Array;
  /** Part of a fragmented datagram: the transport checksum covers bytes not in this packet. */
  fragmented: boolean;
}

export interface DecodeContext {
  /** The captured bytes of the whole frame. */
  data: Uint8Array;
  /** Length of the frame on the wire (≥ data.length when the capture is sane). */
  wireLength: number;
  /** Filled in by each layer as it decodes. */
  summary: PacketSummary;
  /** Captured by the lab on loopback, where Linux leaves checksums partial (offload). */
  loopback: boolean;
  ip?: IpContext;
}

/**
 * Which table the next layer's number is looked up in. `opaque`: bytes that are not decoded
 * further (e.g. a later IP fragment); `note` says why.
 */
export type NextTable = 'etherType' | 'ipProtocol' | 'payload' | 'opaque';

export interface Step {
  layer: Layer;
  /** What follows this layer: a number to look up, where it starts, and where it claims to end. */
  next?: { table: NextTable; value: number; offset: number; end: number; note?: InnerTextRef };
}

export interface Protocol {
  def: AnyLayerDef;
  /**
   * Decodes the layer at `offset`. `end` is where the enclosing header says this layer's bytes
   * end; it may lie beyond `ctx.data.length` when the capture was cut short. Must not throw.
   */
  decode(ctx: DecodeContext, offset: number, end: number): Step;
}

/**
 * Why `need` bytes from `offset` are not all there: cut by the capture's snapshot length, or
 * the frame really ends early. `part` names what needed them (`part.tcpHeader`).
 */
export function missingBytesReason(ctx: DecodeContext, part: PacketTextKey | InnerTextRef, offset: number, need: number): TextRef {
  const have = Math.max(0, ctx.data.length - offset);
  const what = typeof part === 'string' ? inner(part) : part;
  if (ctx.data.length < ctx.wireLength && offset + need <= ctx.wireLength) {
    return words('malformed.truncated', { part: what, need, have });
  }
  return words('malformed.frameEnds', { part: what, need, have });
}

/** Marks `layer` malformed for `reason` (replacing any reason before), by key and in English. */
export function markMalformed(layer: Layer, reason: TextRef): Layer {
  layer.malformedText = [reason];
  layer.malformed = sayText(reason, 'en');
  return layer;
}

/** A copy of `layer`, malformed for `reason`. */
export function malformedCopy(layer: Layer, reason: TextRef): Layer {
  return markMalformed({ ...layer }, reason);
}

/** Puts `reason` before any reason `layer` is already malformed for. */
export function prependMalformed(layer: Layer, reason: TextRef): Layer {
  layer.malformedText = [reason, ...(layer.malformedText ?? [])];
  layer.malformed = layer.malformedText.map((r) => sayText(r, 'en')).join('; ');
  return layer;
}
