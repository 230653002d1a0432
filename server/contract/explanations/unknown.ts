/** Bytes the decoder does not decode further: title and explanation by explain key, in every language. */
import type { Explanation } from './types.js';

export const unknownExplanations = {
  'layer.unknown': {
    title: { en: 'Undecoded bytes', 'zh-CN': '未解析的数据' },
    text: {
      en: 'Bytes this lab does not decode: a protocol it does not know, or data whose header is elsewhere. They are shown as they are.',
      'zh-CN': '本实验不解析的字节：可能是不认识的协议，也可能是首部不在本包中的数据。按原样显示。',
    },
  },
  'unknown.data': {
    title: { en: 'Undecoded bytes', 'zh-CN': '未解析的字节' },
    text: {
      en: 'The undecoded bytes, in hexadecimal.',
      'zh-CN': '未解析的字节，以十六进制显示。',
    },
  },
} satisfies Record<string, Explanation>;
