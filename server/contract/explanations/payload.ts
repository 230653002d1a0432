/** The application data a transport layer carries: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const payloadExplanations = {
  'layer.payload': {
    title: { en: 'Application data (payload)', 'zh-CN': '应用层数据（载荷）' },
    text: {
      en: 'The application data: the bytes a program wrote into its socket, carried unchanged inside the transport segment or datagram.',
      'zh-CN': '应用层数据：程序写入套接字的字节，原封不动地装在传输层报文段或数据报里。',
    },
  },
  'payload.data': {
    title: { en: 'Data', 'zh-CN': '数据' },
    text: {
      en: 'The payload bytes. Printable ASCII is shown as text, any other byte as a dot.',
      'zh-CN': '载荷字节。可打印的 ASCII 字符按原文显示，其他字节显示为点。',
    },
  },
} satisfies Record<string, Explanation>;
