/** The transport's payload: the application's bytes, shown as hex and printable text. */
import type { Layer } from '../contract/trace.js';
import { printable, toHex, type LayerDef } from './fields.js';
import { missingBytesReason, type Protocol } from './protocol.js';

export const payloadDef: LayerDef = {
  name: 'payload',
  title: { en: 'Application data (payload)', 'zh-CN': '应用层数据（载荷）' },
  explain: {
    en: 'The application data: the bytes a program wrote into its socket, carried unchanged inside the transport segment or datagram.',
    'zh-CN': '应用层数据：程序写入套接字的字节，原封不动地装在传输层报文段或数据报里。',
  },
  fields: [],
  extra: {
    data: {
      title: { en: 'Data', 'zh-CN': '数据' },
      explain: {
        en: 'The payload bytes. Printable ASCII is shown as text, any other byte as a dot.',
        'zh-CN': '载荷字节。可打印的 ASCII 字符按原文显示，其他字节显示为点。',
      },
    },
  },
};

export const payload: Protocol = {
  def: { ...payloadDef, name: 'payload' },
  osi: 'application',
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
    if (end > ctx.data.length) layer.malformed = missingBytesReason(ctx, 'the payload', offset, end - offset);
    return { layer };
  },
};
