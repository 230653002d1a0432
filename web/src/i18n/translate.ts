/** Interface strings in both languages. DOM-free. */
import { en, type MessageKey } from './en.ts';
import { zhCN } from './zh-CN.ts';

export const LANGS = ['en', 'zh-CN'] as const;
export type Lang = (typeof LANGS)[number];
export type { MessageKey };

export const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, 'zh-CN': zhCN };

/** The message in `lang` with `{name}` placeholders filled. */
export function translate(lang: Lang, key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** Whether a key exists (for keys built at run time, such as `op.connect`). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(en, key);
}
