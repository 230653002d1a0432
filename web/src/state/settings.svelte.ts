/**
 * Language and theme, remembered in localStorage. The theme follows the system until the
 * learner picks one.
 */
import { LANGS, type Lang } from '../i18n/translate.ts';

export type Theme = 'light' | 'dark';

const LANG_KEY = 'socket-lab.lang';
const THEME_KEY = 'socket-lab.theme';

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage unavailable (private mode): the choice lasts for this page only
  }
}

/** The language a link names (`?lang=zh-CN`), for this page; null when it names none we have. */
function linkLang(): Lang | null {
  const asked = new URLSearchParams(location.search).get('lang');
  return asked && (LANGS as readonly string[]).includes(asked) ? (asked as Lang) : null;
}

function initialLang(): Lang {
  const linked = linkLang();
  if (linked) return linked;
  const stored = read(LANG_KEY);
  if (stored && (LANGS as readonly string[]).includes(stored)) return stored as Lang;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

function initialTheme(): Theme | null {
  const stored = read(THEME_KEY);
  return stored === 'light' || stored === 'dark' ? stored : null;
}

const darkQuery = window.matchMedia('(prefers-color-scheme: dark)');

class Settings {
  lang = $state<Lang>(initialLang());
  /** The learner's choice; null while following the system. */
  chosenTheme = $state<Theme | null>(initialTheme());
  systemDark = $state(darkQuery.matches);
  theme: Theme = $derived(this.chosenTheme ?? (this.systemDark ? 'dark' : 'light'));

  constructor() {
    darkQuery.addEventListener('change', (e) => {
      this.systemDark = e.matches;
      this.apply();
    });
  }

  setLang(lang: Lang): void {
    this.lang = lang;
    write(LANG_KEY, lang);
    // A link's language gave way to the learner's choice: the address no longer says otherwise.
    if (linkLang() !== null) {
      const url = new URL(location.href);
      url.searchParams.delete('lang');
      history.replaceState(history.state, '', url);
    }
    this.apply();
  }

  toggleTheme(): void {
    this.chosenTheme = this.theme === 'dark' ? 'light' : 'dark';
    write(THEME_KEY, this.chosenTheme);
    this.apply();
  }

  /** Puts the language and theme on `<html>`. */
  apply(): void {
    const root = document.documentElement;
    root.lang = this.lang;
    root.dataset['theme'] = this.theme;
    root.style.colorScheme = this.theme;
  }
}

export const settings = new Settings();
