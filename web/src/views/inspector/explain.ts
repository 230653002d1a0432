/** Titles and explanation texts for fields and layers, and field values, in the page's language. */
import { explanations } from '../../../../server/decode/explanations.ts';
import type { Field, SubField } from '../../lib/trace-types.ts';
import { translate, type Lang, type MessageKey } from '../../i18n/translate.ts';

function entry(key: string): (typeof explanations)[string] | undefined {
  return Object.hasOwn(explanations, key) ? explanations[key] : undefined;
}

export function explain(key: string, lang: Lang): string | undefined {
  const text = entry(key);
  return text?.[lang] ?? text?.en;
}

/** A field's or layer's short human name (`Source port`, `源端口`) by explain key. */
export function fieldTitle(key: string, lang: Lang): string | undefined {
  const title = entry(key)?.title;
  return title?.[lang] ?? title?.en;
}

type Words = (m: RegExpExecArray) => [MessageKey, Record<string, string>?];

/** The decoder's display texts that follow a simple pattern, and the message that says each. */
const PATTERNS: readonly [RegExp, Words][] = [
  [/^(\d+) bytes?$/, (m) => ['value.bytes', { n: m[1]! }]],
  [/^(\d+) hops$/, (m) => ['value.hops', { n: m[1]! }]],
  [/^yes$/, () => ['value.yes']],
  [/^no$/, () => ['value.no']],
  [/^(\d+) \((\d+) bytes\)$/, (m) => ['value.countBytes', { n: m[1]!, bytes: m[2]! }]],
  [/^(\d+) \(×8 = (\d+) bytes\)$/, (m) => ['value.fragment', { n: m[1]!, bytes: m[2]! }]],
  [/^(\d+) \((\d+) bytes in all\)$/, (m) => ['value.bytesInAll', { n: m[1]!, bytes: m[2]! }]],
  [/^(0x[0-9a-f]+) \(correct\)$/, (m) => ['value.checksumCorrect', { value: m[1]! }]],
  [/^(0x[0-9a-f]+) \(partial: .*\)$/, (m) => ['value.checksumPartial', { value: m[1]! }]],
  [/^(0x[0-9a-f]+) \(incorrect, should be (0x[0-9a-f]+)\)$/, (m) => ['value.checksumIncorrect', { value: m[1]!, expected: m[2]! }]],
  [/^(0x[0-9a-f]+) \(not verified\)$/, (m) => ['value.checksumUnverified', { value: m[1]! }]],
  [/^(0x[0-9a-f]+) \(not used: .*\)$/, (m) => ['value.checksumUnused', { value: m[1]! }]],
  [/^([0-9a-f:]+) \(loopback: .*\)$/, (m) => ['value.loopbackMac', { value: m[1]! }]],
  [/^(\d+) \(default, best effort\)$/, (m) => ['value.dscpDefault', { n: m[1]! }]],
  [/^shift (\d+) \(×(\d+)\)$/, (m) => ['value.wscale', { n: m[1]!, factor: m[2]! }]],
  [/^No-Operation$/, () => ['value.nop']],
  [/^(\d+) bytes? \(8 header \+ (\d+) data\)$/, (m) => ['value.udpLength', { n: m[1]!, data: m[2]! }]],
  [/^(0x[0-9a-f]+) \(unknown\)$/, (m) => ['value.unknown', { value: m[1]! }]],
];

/**
 * The value as the page shows it: the decoder's display text (English), said in the page's
 * language where it follows a simple pattern (units, yes/no, checksum notes, one-bit flags).
 * Hex, numbers and anything else stay as the decoder wrote them.
 */
export function fieldValue(field: Pick<Field | SubField, 'display' | 'raw' | 'bitLength'>, lang: Lang): string {
  if (field.bitLength === 1 && (field.display === 'set' || field.display === 'not set')) {
    return translate(lang, field.raw === 1 ? 'inspector.bitSet' : 'inspector.bitNotSet');
  }
  if (lang === 'en') return field.display;
  for (const [pattern, words] of PATTERNS) {
    const m = pattern.exec(field.display);
    if (m) {
      const [key, params] = words(m);
      return translate(lang, key, params);
    }
  }
  return field.display;
}
