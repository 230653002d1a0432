import { describe, expect, it } from 'vitest';
import { dictionaries, LANGS, translate } from './translate.ts';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

describe('dictionaries', () => {
  const en = dictionaries.en;

  it('have the same keys in every language', () => {
    for (const lang of LANGS) {
      expect(Object.keys(dictionaries[lang]).sort()).toEqual(Object.keys(en).sort());
    }
  });

  it('use the same placeholders in every language, and no empty texts', () => {
    for (const lang of LANGS) {
      for (const [key, text] of Object.entries(dictionaries[lang])) {
        expect(text.trim(), `${lang} ${key}`).not.toBe('');
        expect(placeholders(text), `${lang} ${key}`).toEqual(placeholders(en[key as keyof typeof en]));
      }
    }
  });

  it('are really translated: the Chinese interface is not the English one', () => {
    const zh = dictionaries['zh-CN'];
    const same = Object.keys(en).filter((k) => zh[k as keyof typeof en] === en[k as keyof typeof en]);
    // Only texts that are code or names stay the same (listen(), IPv4...).
    for (const key of same) expect(en[key as keyof typeof en], key).toMatch(/^[\x20-\x7e]*$/);
    expect(same.length).toBeLessThan(Object.keys(en).length / 10);
  });
});

describe('translate', () => {
  it('fills placeholders', () => {
    expect(translate('en', 'steps.counter', { n: 3, total: 12 })).toBe('Step 3 / 12');
    expect(translate('zh-CN', 'steps.counter', { n: 3, total: 12 })).toBe('第 3 步 / 共 12 步');
  });

  it('names the Run button as the tests expect', () => {
    expect(translate('en', 'run.button')).toBe('Run');
    expect(translate('zh-CN', 'run.button')).toBe('运行');
  });
});
