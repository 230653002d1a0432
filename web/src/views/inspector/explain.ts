/**
 * Titles and explanation texts for fields and layers, field values and malformed reasons, in
 * the page's language. The texts are the contract's data; nothing here decodes.
 */
import { explanationOf } from '../../../../server/contract/explanations/index.ts';
import { fieldValue as contractFieldValue, malformedReason as contractMalformedReason } from '../../../../server/contract/packet-texts.ts';
import type { Field, Layer, SubField } from '../../lib/trace-types.ts';
import type { Lang } from '../../i18n/translate.ts';

export function explain(key: string, lang: Lang): string | undefined {
  const text = explanationOf(key)?.text;
  return text?.[lang] ?? text?.en;
}

/** A field's or layer's short human name (`Source port`, `源端口`) by explain key. */
export function fieldTitle(key: string, lang: Lang): string | undefined {
  const title = explanationOf(key)?.title;
  return title?.[lang] ?? title?.en;
}

/** The value as the page shows it: its words in the page's language, or its display text. */
export function fieldValue(field: Pick<Field | SubField, 'display' | 'text'>, lang: Lang): string {
  return contractFieldValue(field, lang);
}

/** Why a layer is malformed, in the page's language; undefined when it is not. */
export function malformedReason(layer: Pick<Layer, 'malformed' | 'malformedText'>, lang: Lang): string | undefined {
  return contractMalformedReason(layer, lang);
}
