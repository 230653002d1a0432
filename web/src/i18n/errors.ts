/**
 * Error codes in words: the translated sentence for a stable code, and the server's own message
 * as a detail line. DOM-free.
 */
import { hasMessage, translate, type Lang } from './translate.ts';

export interface ErrorText {
  /** The sentence in the page's language. */
  text: string;
  /** The server's own words (English), shown smaller; null when they add nothing. */
  detail: string | null;
}

/** Codes whose message is the browser's own words ("Failed to fetch"): the sentence says it all. */
const BROWSER_WORDS = new Set(['NETWORK']);

export function describeError(lang: Lang, code: string, message = ''): ErrorText {
  const key = `error.${code}`;
  const text = hasMessage(key) ? translate(lang, key, { code }) : translate(lang, 'error.unknown', { code });
  const detail = BROWSER_WORDS.has(code) ? '' : message.trim();
  return { text, detail: detail && detail !== text && detail !== code ? detail : null };
}

/** `describeError` for anything thrown: an error with a `code` (ApiError, LabError) or else plain. */
export function describeThrown(lang: Lang, err: unknown): ErrorText {
  if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string') {
    return describeError(lang, (err as { code: string }).code, (err as { message?: string }).message ?? '');
  }
  return describeError(lang, 'unknown', err instanceof Error ? err.message : String(err));
}
