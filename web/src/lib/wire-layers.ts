/**
 * A packet's layers, whole: as the server sent them, or, for a packet from the live stream
 * (`decoded.deferred`: sent without its field tree), decoded here from its bytes by the same
 * decoder, as the server decodes a run's packets (captured on loopback). DOM-free.
 */
import { decodeFrame } from '../../../server/decode/index.ts';
import { base64ToBytes } from './bytes.ts';
import type { Layer, WireEvent } from './trace-types.ts';

const derived = new WeakMap<object, readonly Layer[]>();

export function wireLayers(e: WireEvent): readonly Layer[] {
  if (!e.decoded.deferred) return e.decoded.layers;
  let layers = derived.get(e);
  if (!layers) {
    layers = decodeFrame(base64ToBytes(e.data), e.linktype, e.len, { loopback: true }).layers;
    derived.set(e, layers);
  }
  return layers;
}
