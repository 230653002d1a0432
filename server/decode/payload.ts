/** The transport's payload: the application's bytes, shown as hex and printable text. */
import type { Layer } from '../contract/trace.js';
import { printable, toHex, type LayerDef } from './fields.js';
import { markMalformed, missingBytesReason, type Protocol } from './protocol.js';

export const payloadDef: LayerDef<'payload'> = {
  name: 'payload',
  fields: [],
  handBuilt: ['data'],
};

export const payload: Protocol = {
  def: payloadDef,
  decode(ctx, offset, end) {
    const stop = Math.min(end, ctx.data.length);
    const bytes = ctx.data.subarray(offset, Math.max(offset, stop));
    const layer: Layer = {
      name: 'payload',
      osi: 'application',
      offset,
      length: bytes.length,
      fields: [
        {
          name: 'data',
          explain: 'payload.data',
          offset,
          length: bytes.length,
          raw: toHex(bytes),
          display: printable(bytes),
        },
      ],
    };
    if (end > ctx.data.length) markMalformed(layer, missingBytesReason(ctx, 'part.payload', offset, end - offset));
    return { layer };
  },
};
