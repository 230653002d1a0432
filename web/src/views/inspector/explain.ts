/** Titles and explanation texts for fields and layers, and field values, in the page's language. */
import { explanations } from '../../../../server/decode/explanations.ts';
import type { Field, SubField } from '../../lib/trace-types.ts';
import { translate, type Lang } from '../../i18n/translate.ts';

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

/**
 * The value as the page shows it: the decoder's display text, except that a one-bit flag's
 * `set` / `not set` is said in the page's language.
 */
export function fieldValue(field: Pick<Field | SubField, 'display' | 'raw' | 'bitLength'>, lang: Lang): string {
  if (field.bitLength === 1 && (field.display === 'set' || field.display === 'not set')) {
    return translate(lang, field.raw === 1 ? 'inspector.bitSet' : 'inspector.bitNotSet');
  }
  return field.display;
}
