/** Bytes the decoder does not (or cannot) decode further: shown whole, with the reason. */
import type { InnerTextRef, Layer, OsiLayer } from '../contract/trace.js';
import { bytesField, words, type LayerDef } from './fields.js';

export const unknownDef: LayerDef<'unknown'> = {
  name: 'unknown',
  fields: [],
  handBuilt: ['data'],
};

/** An `unknown` layer over `data[offset, end)` (clamped to what was captured); `note` says why. */
export function unknownLayer(data: Uint8Array, osi: OsiLayer, offset: number, end: number, note: InnerTextRef): Layer {
  const start = Math.min(offset, data.length);
  const stop = Math.max(start, Math.min(end, data.length));
  const length = stop - start;
  return {
    name: 'unknown',
    osi,
    offset: start,
    length,
    fields: [bytesField(data, 'data', 'unknown.data', start, length, words('value.undecoded', { n: length, note }))],
  };
}
