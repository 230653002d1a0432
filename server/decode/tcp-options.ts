/** TCP options (RFC 9293, 7323, 2018): kind, length, value, each one a child of `options`. */
import type { Field, SubField, TcpOptionValues, TextRef } from '../contract/trace.js';
import { readUint, setShown, toHex, words, type KeyUnder, type Shown } from './fields.js';

/** Explain keys of the options, below `tcp.` (`options.mss` → `tcp.options.mss`). */
export const TCP_OPTION_KEYS = [
  'options',
  'options.eol',
  'options.nop',
  'options.mss',
  'options.wscale',
  'options.sackPerm',
  'options.sack',
  'options.ts',
  'options.unknown',
  'options.padding',
] as const satisfies readonly KeyUnder<'tcp'>[];

type Below<T> = T extends `options.${infer K}` ? K : never;
type OptionKey = Below<(typeof TCP_OPTION_KEYS)[number]>;

const KNOWN_NAMES: Record<number, string> = {
  19: 'MD5 signature',
  28: 'User Timeout',
  29: 'TCP-AO',
  30: 'Multipath TCP',
  34: 'Fast Open cookie',
};

export interface ParsedTcpOptions {
  field: Field;
  /** Summary texts by option name (`mss: '65495'`, `wscale: '7 (×128)'`, `sackPerm: 'yes'`). */
  summary: Record<string, string>;
  /** The options as values (only those with a valid length). */
  values: TcpOptionValues;
  /** Wireshark-style words for the info line (`MSS=65495`, `SACK_PERM`). */
  info: string[];
  /** The first thing wrong with the options. */
  malformed?: TextRef;
}

/** Parses the options in `data[start, stop)`; never reads beyond `stop`. */
export function parseTcpOptions(data: Uint8Array, start: number, stop: number): ParsedTcpOptions {
  const children: SubField[] = [];
  const summary: Record<string, string> = {};
  const values: TcpOptionValues = { sackPerm: false };
  const info: string[] = [];
  const names: TextRef[] = [];
  const name = (text: string): TextRef => words('value.name', { name: text });
  const counts = new Map<string, number>();
  let malformed: TextRef | undefined;
  const add = (key: OptionKey, offset: number, length: number, shown: Shown): void => {
    const n = (counts.get(key) ?? 0) + 1;
    counts.set(key, n);
    const child: SubField = {
      name: n === 1 ? `options.${key}` : `options.${key}-${n}`,
      explain: `tcp.options.${key}`,
      offset,
      length,
      raw: toHex(data.subarray(offset, offset + length)),
      display: '',
    };
    setShown(child, shown);
    children.push(child);
  };
  let at = start;
  while (at < stop) {
    const kind = data[at]!;
    if (kind === 0) {
      add('eol', at, 1, words('value.eol'));
      names.push(name('EOL'));
      if (stop - at > 1) add('padding', at + 1, stop - at - 1, words('value.bytes', { n: stop - at - 1 }));
      break;
    }
    if (kind === 1) {
      add('nop', at, 1, words('value.nop'));
      names.push(name('NOP'));
      at++;
      continue;
    }
    if (at + 1 >= stop) {
      malformed ??= words('malformed.optionNoLength', { kind, at });
      add('unknown', at, stop - at, words('value.optionCutOff', { kind }));
      break;
    }
    const len = data[at + 1]!;
    if (len < 2) {
      malformed ??= words('malformed.optionLengthTooSmall', { kind, at, len });
      add('unknown', at, stop - at, words('value.optionInvalidLength', { kind, len }));
      break;
    }
    if (at + len > stop) {
      malformed ??= words('malformed.optionPastHeader', { kind, at, len });
      add('unknown', at, stop - at, words('value.optionPastHeader', { kind, len }));
      break;
    }
    const invalid = words('value.invalidLength', { len });
    switch (kind) {
      case 2:
        if (len !== 4) {
          malformed ??= words('malformed.mssLength', { at, len });
          add('mss', at, len, invalid);
        } else {
          const mss = readUint(data, at + 2, 2);
          add('mss', at, len, words('value.bytes', { n: mss }));
          summary.mss = String(mss);
          values.mss = mss;
          info.push(`MSS=${mss}`);
        }
        names.push(name('MSS'));
        break;
      case 3:
        if (len !== 3) {
          malformed ??= words('malformed.wscaleLength', { at, len });
          add('wscale', at, len, invalid);
        } else {
          const shift = data[at + 2]!;
          const factor = 2 ** Math.min(shift, 14);
          add('wscale', at, len, shift > 14 ? words('value.wscaleTooLarge', { n: shift }) : words('value.wscale', { n: shift, factor }));
          summary.wscale = `${shift} (×${factor})`;
          values.wscale = shift;
          info.push(`WS=${factor}`);
        }
        names.push(name('WS'));
        break;
      case 4:
        if (len !== 2) malformed ??= words('malformed.sackPermLength', { at, len });
        else values.sackPerm = true;
        add('sackPerm', at, len, len === 2 ? words('value.yes') : invalid);
        summary.sackPerm = 'yes';
        info.push('SACK_PERM');
        names.push(name('SACK_PERM'));
        break;
      case 5: {
        const blocks: { left: number; right: number }[] = [];
        if ((len - 2) % 8 !== 0 || len === 2) {
          malformed ??= words('malformed.sackLength', { at, len });
        } else {
          for (let b = at + 2; b + 8 <= at + len; b += 8) {
            const left = readUint(data, b, 4);
            const right = readUint(data, b + 4, 4);
            blocks.push({ left, right });
            info.push(`SLE=${left} SRE=${right}`);
          }
          summary.sack = blocks.map((x) => `${x.left}-${x.right}`).join(', ');
          values.sack = blocks;
        }
        add('sack', at, len, blocks.length ? words('value.sackBlocks', { blocks: summary.sack ?? '' }) : invalid);
        names.push(name('SACK'));
        break;
      }
      case 8:
        if (len !== 10) {
          malformed ??= words('malformed.tsLength', { at, len });
          add('ts', at, len, invalid);
        } else {
          const tsval = readUint(data, at + 2, 4);
          const tsecr = readUint(data, at + 6, 4);
          add('ts', at, len, `TSval ${tsval}, TSecr ${tsecr}`);
          summary.ts = `${tsval} / ${tsecr}`;
          values.ts = { val: tsval, ecr: tsecr };
          info.push(`TSval=${tsval} TSecr=${tsecr}`);
        }
        names.push(name('TS'));
        break;
      default: {
        const known = KNOWN_NAMES[kind];
        add('unknown', at, len, known ? words('value.optionKindNamed', { kind, name: known, n: len }) : words('value.optionKind', { kind, n: len }));
        names.push(words('value.kind', { kind }));
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
    display: '',
    children,
  };
  // Option names read the same in every language; an unknown kind is said in words.
  setShown(field, names.some((n) => n.key !== 'value.name') ? names : names.map((n) => String(n.args?.['name'])).join(', '));
  const result: ParsedTcpOptions = { field, summary, values, info };
  if (malformed) result.malformed = malformed;
  return result;
}
