/** Bytes the decoder does not (or cannot) decode further: shown whole, with the reason. */
import type { Layer, OsiLayer } from '../contract/trace.js';
import { plural, toHex, type LayerDef } from './fields.js';

export const unknownDef: LayerDef = {
  name: 'unknown',
  title: { en: 'Undecoded bytes', 'zh-CN': '未解析的数据' },
  explain: {
    en: 'Bytes this lab does not decode: a protocol it does not know, or data whose header is elsewhere. They are shown as they are.',
    'zh-CN': '本实验不解析的字节：可能是不认识的协议，也可能是首部不在本包中的数据。按原样显示。',
  },
  fields: [],
  extra: {
    data: {
      title: { en: 'Undecoded bytes', 'zh-CN': '未解析的字节' },
      explain: {
        en: 'The undecoded bytes, in hexadecimal.',
        'zh-CN': '未解析的字节，以十六进制显示。',
      },
    },
  },
};

/** An `unknown` layer over `data[offset, end)` (clamped to what was captured). */
export function unknownLayer(data: Uint8Array, osi: OsiLayer, offset: number, end: number, note: string): Layer {
  const start = Math.min(offset, data.length);
  const stop = Math.max(start, Math.min(end, data.length));
  const bytes = data.subarray(start, stop);
  return {
    name: 'unknown',
    osi,
    offset: start,
    length: bytes.length,
    fields: [
      {
        name: 'data',
        explain: 'unknown.data',
        offset: start,
        length: bytes.length,
        raw: toHex(bytes),
        display: `${plural(bytes.length, 'byte')}: ${note}`,
      },
    ],
  };
}
