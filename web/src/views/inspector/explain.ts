/** Explanation texts for fields and layers, in the page's language. */
import { explanations } from '../../../../server/decode/explanations.ts';
import type { Lang } from '../../i18n/translate.ts';

export function explain(key: string, lang: Lang): string | undefined {
  const text = Object.hasOwn(explanations, key) ? explanations[key] : undefined;
  return text?.[lang] ?? text?.en;
}
