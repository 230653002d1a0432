/** TCP options (RFC 9293, 7323, 2018): kind, length, value, each one a child of `options`. */
import type { Field, SubField } from '../contract/trace.js';
import { plural, readUint, toHex, type Described } from './fields.js';

/** Explanation texts, keyed below `tcp.` (`options.mss` → `tcp.options.mss`). */
export const tcpOptionTexts: Record<string, Described> = {
  options: {
    title: { en: 'Options', 'zh-CN': '选项' },
    explain: {
      en: 'TCP options: extras after the 20-byte fixed header, agreed mostly during the handshake (maximum segment size, window scaling, timestamps, SACK).',
      'zh-CN': 'TCP 选项：20 字节固定首部之后的附加内容，大多在三次握手时协商（最大报文段长度、窗口扩大、时间戳、选择确认 SACK）。',
    },
  },
  'options.eol': {
    title: { en: 'End of option list (EOL)', 'zh-CN': '选项表结束（EOL）' },
    explain: {
      en: 'End of Option List (kind 0): nothing more follows; the rest of the header is padding.',
      'zh-CN': '选项表结束（类型 0）：后面不再有选项，首部剩下的部分是填充。',
    },
  },
  'options.nop': {
    title: { en: 'No-operation (NOP)', 'zh-CN': '无操作（NOP）' },
    explain: {
      en: 'No-Operation (kind 1): a one-byte filler used to line the next option up on a 4-byte boundary.',
      'zh-CN': '无操作（类型 1）：1 字节的填充，用来让下一个选项对齐到 4 字节边界。',
    },
  },
  'options.mss': {
    title: { en: 'Maximum segment size (MSS)', 'zh-CN': '最大报文段长度（MSS）' },
    explain: {
      en: 'Maximum Segment Size (kind 2): the largest payload this side is willing to receive in one segment. On loopback it is 65495 for IPv4 (65535 minus 40 bytes of headers).',
      'zh-CN': '最大报文段长度 MSS（类型 2）：本方愿意在一个报文段中接收的最大数据量。在 IPv4 回环接口上为 65495（65535 减去 40 字节首部）。',
    },
  },
  'options.wscale': {
    title: { en: 'Window scale (WS)', 'zh-CN': '窗口扩大因子（WS）' },
    explain: {
      en: 'Window Scale (kind 3): the shift count for the window field; the real window is the field value multiplied by 2 to this power. Only sent in SYN segments.',
      'zh-CN': '窗口扩大因子（类型 3）：窗口字段的移位位数，实际窗口等于窗口字段乘以 2 的该次方。只出现在 SYN 报文段中。',
    },
  },
  'options.sackPerm': {
    title: { en: 'SACK permitted (SACK_PERM)', 'zh-CN': '允许选择确认（SACK_PERM）' },
    explain: {
      en: 'SACK Permitted (kind 4): this side can understand selective acknowledgements. Only sent in SYN segments.',
      'zh-CN': '允许选择确认 SACK_PERM（类型 4）：表示本方能理解选择确认。只出现在 SYN 报文段中。',
    },
  },
  'options.sack': {
    title: { en: 'Selective acknowledgement (SACK)', 'zh-CN': '选择确认（SACK）' },
    explain: {
      en: 'Selective Acknowledgement (kind 5): blocks of data received beyond a gap, so the sender only resends what is really missing.',
      'zh-CN': '选择确认 SACK（类型 5）：告诉对方在缺口之后已经收到了哪些数据块，对方只需重传真正缺失的部分。',
    },
  },
  'options.ts': {
    title: { en: 'Timestamps', 'zh-CN': '时间戳' },
    explain: {
      en: 'Timestamps (kind 8): TSval is the sender\'s clock, TSecr echoes the peer\'s latest TSval. Used to measure round-trip time and to reject very old duplicate segments.',
      'zh-CN': '时间戳（类型 8）：TSval 是发送方的时钟值，TSecr 回显对方最近的 TSval。用于测量往返时间，并防止序列号回绕时误收旧报文段。',
    },
  },
  'options.unknown': {
    title: { en: 'Other option', 'zh-CN': '其他选项' },
    explain: {
      en: 'An option this lab does not decode, shown by its kind number and length.',
      'zh-CN': '本实验不解析的选项，只显示其类型号和长度。',
    },
  },
  'options.padding': {
    title: { en: 'Padding', 'zh-CN': '填充' },
    explain: {
      en: 'Padding after End of Option List, so the header is a multiple of 4 bytes.',
      'zh-CN': '选项表结束后的填充，使首部长度为 4 字节的整数倍。',
    },
  },
};

const KNOWN_NAMES: Record<number, string> = {
  19: 'MD5 signature',
  28: 'User Timeout',
  29: 'TCP-AO',
  30: 'Multipath TCP',
  34: 'Fast Open cookie',
};

export interface ParsedTcpOptions {
  field: Field;
  /** Summary values by option name (`mss: '65495'`). */
  summary: Record<string, string>;
  /** Wireshark-style words for the info line (`MSS=65495`, `SACK_PERM`). */
  info: string[];
  malformed?: string;
}

/** Parses the options in `data[start, stop)`; never reads beyond `stop`. */
export function parseTcpOptions(data: Uint8Array, start: number, stop: number): ParsedTcpOptions {
  const children: SubField[] = [];
  const summary: Record<string, string> = {};
  const info: string[] = [];
  const names: string[] = [];
  const counts = new Map<string, number>();
  let malformed: string | undefined;
  const add = (key: string, offset: number, length: number, display: string): void => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    children.push({
      name: n === 1 ? `options.${key}` : `options.${key}-${n}`,
      explain: `tcp.options.${key}`,
      offset,
      length,
      raw: toHex(data.subarray(offset, offset + length)),
      display,
    });
  };
  let at = start;
  while (at < stop) {
    const kind = data[at]!;
    if (kind === 0) {
      add('eol', at, 1, 'End of Option List');
      names.push('EOL');
      if (stop - at > 1) add('padding', at + 1, stop - at - 1, plural(stop - at - 1, 'byte'));
      break;
    }
    if (kind === 1) {
      add('nop', at, 1, 'No-Operation');
      names.push('NOP');
      at++;
      continue;
    }
    if (at + 1 >= stop) {
      malformed ??= `option kind ${kind} at byte ${at} has no room for its length byte before the header ends`;
      add('unknown', at, stop - at, `kind ${kind}, cut off by the end of the header`);
      break;
    }
    const len = data[at + 1]!;
    if (len < 2) {
      malformed ??= `option kind ${kind} at byte ${at} has length ${len}, less than the minimum of 2`;
      add('unknown', at, stop - at, `kind ${kind}, invalid length ${len}`);
      break;
    }
    if (at + len > stop) {
      malformed ??= `option kind ${kind} at byte ${at} has length ${len}, which runs past the end of the TCP header`;
      add('unknown', at, stop - at, `kind ${kind}, length ${len} runs past the header`);
      break;
    }
    const wrong = (name: string, expected: string): void => {
      malformed ??= `the ${name} option at byte ${at} has length ${len}; it should be ${expected}`;
    };
    switch (kind) {
      case 2:
        if (len !== 4) {
          wrong('MSS', '4');
          add('mss', at, len, `invalid length ${len}`);
        } else {
          const mss = readUint(data, at + 2, 2);
          add('mss', at, len, `${mss} bytes`);
          summary.mss = String(mss);
          info.push(`MSS=${mss}`);
        }
        names.push('MSS');
        break;
      case 3:
        if (len !== 3) {
          wrong('window scale', '3');
          add('wscale', at, len, `invalid length ${len}`);
        } else {
          const shift = data[at + 2]!;
          const text = `${shift} (×${2 ** Math.min(shift, 14)})`;
          add('wscale', at, len, shift > 14 ? `${shift} (more than the maximum 14; treated as 14, ×16384)` : `shift ${text}`);
          summary.wscale = text;
          info.push(`WS=${2 ** Math.min(shift, 14)}`);
        }
        names.push('WS');
        break;
      case 4:
        if (len !== 2) wrong('SACK permitted', '2');
        add('sackPerm', at, len, len === 2 ? 'yes' : `invalid length ${len}`);
        summary.sackPerm = 'yes';
        info.push('SACK_PERM');
        names.push('SACK_PERM');
        break;
      case 5: {
        const blocks: string[] = [];
        if ((len - 2) % 8 !== 0 || len === 2) {
          wrong('SACK', '2 plus 8 per block');
        } else {
          for (let b = at + 2; b + 8 <= at + len; b += 8) {
            const left = readUint(data, b, 4);
            const right = readUint(data, b + 4, 4);
            blocks.push(`${left}-${right}`);
            info.push(`SLE=${left} SRE=${right}`);
          }
          summary.sack = blocks.join(', ');
        }
        add('sack', at, len, blocks.length ? `blocks ${blocks.join(', ')}` : `invalid length ${len}`);
        names.push('SACK');
        break;
      }
      case 8:
        if (len !== 10) {
          wrong('timestamps', '10');
          add('ts', at, len, `invalid length ${len}`);
        } else {
          const tsval = readUint(data, at + 2, 4);
          const tsecr = readUint(data, at + 6, 4);
          add('ts', at, len, `TSval ${tsval}, TSecr ${tsecr}`);
          summary.ts = `${tsval} / ${tsecr}`;
          info.push(`TSval=${tsval} TSecr=${tsecr}`);
        }
        names.push('TS');
        break;
      default: {
        const label = KNOWN_NAMES[kind];
        add('unknown', at, len, `kind ${kind}${label ? ` (${label})` : ''}, ${plural(len, 'byte')}`);
        names.push(`kind ${kind}`);
      }
    }
    at += len;
  }
  const field: Field = {
    name: 'options',
    explain: 'tcp.options',
    offset: start,
    length: stop - start,
    raw: toHex(data.subarray(start, stop)),
    display: names.join(', '),
    children,
  };
  const result: ParsedTcpOptions = { field, summary, info };
  if (malformed) result.malformed = malformed;
  return result;
}
