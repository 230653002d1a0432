/** `t()` in the current language: reading it in a template re-renders on a language change. */
import { settings } from '../state/settings.svelte.ts';
import { hasMessage, translate, type MessageKey } from './translate.ts';

export function t(key: MessageKey, params?: Record<string, string | number>): string {
  return translate(settings.lang, key, params);
}

/** `t()` for a key built at run time; `fallback` when there is no such message. */
export function tMaybe(key: string, fallback: string, params?: Record<string, string | number>): string {
  return hasMessage(key) ? translate(settings.lang, key, params) : fallback;
}
