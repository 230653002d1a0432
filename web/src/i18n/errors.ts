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

/**
 * `messages`: the server's message in each language, when it said it so (a refusal a student acts
 * on); the detail is then in the page's language.
 */
export function describeError(lang: Lang, code: string, message = '', messages?: Readonly<Record<string, string>>): ErrorText {
  const key = `error.${code}`;
  const text = hasMessage(key) ? translate(lang, key, { code }) : translate(lang, 'error.unknown', { code });
  const detail = BROWSER_WORDS.has(code) ? '' : (messages?.[lang] ?? message).trim();
  return { text, detail: detail && detail !== text && detail !== code ? detail : null };
}

/** `describeError` for anything thrown: an error with a `code` (ApiError, LabError) or else plain. */
export function describeThrown(lang: Lang, err: unknown): ErrorText {
  if (typeof err === 'object' && err !== null && typeof (err as { code?: unknown }).code === 'string') {
    const { code, message, messages } = err as { code: string; message?: string; messages?: Record<string, string> };
    return describeError(lang, code, message ?? '', messages);
  }
  return describeError(lang, 'unknown', err instanceof Error ? err.message : String(err));
}
