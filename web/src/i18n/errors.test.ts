import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError, describeThrown } from './errors.ts';

/**
 * Error codes that can reach the page, read from the sources: \`LabError('CODE'\`, \`code: 'CODE'\`,
 * \`fail('CODE'\`, \`code = 'CODE'\` in the server and the page's state (tests left out). Codes that
 * only stop the server or the CLI before any page exists are not the page's to say, nor are a
 * capture file's oddities (their English words go into an import's description).
 */
function codesInSources(): string[] {
  const root = join(import.meta.dirname, '..', '..', '..');
  const notThePages = new Set(['CLI_USAGE', 'SETTINGS_INVALID', 'EXPERIMENT_INVALID', 'CAPLEN_OVER_SNAPLEN']);
  const found = new Set<string>();
  const pattern = /(?:LabError\(\s*|code: |code = |fail\()'([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)'/g;
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!['fixtures', 'test-experiments', 'cli'].includes(entry.name)) walk(path);
      } else if (/\.(ts|svelte)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(pattern)) found.add(m[1]!);
      }
    }
  };
  walk(join(root, 'server'));
  walk(join(root, 'web', 'src', 'state'));
  walk(join(root, 'web', 'src', 'lib'));
  return [...found].filter((code) => !notThePages.has(code)).sort();
}

describe('describeError', () => {
  it('translates a known code and keeps the server’s words as the detail', () => {
    const zh = describeError('zh-CN', 'TOKEN_REQUIRED', 'A control token is required for this request.');
    expect(zh.text).toMatch(/控制令牌/);
    expect(zh.detail).toBe('A control token is required for this request.');
    expect(describeError('en', 'RUN_BUSY').detail).toBeNull();
  });

  it('gives the detail in the page’s language when the server said it in each', () => {
    const messages = { en: 'at most 349 messages', 'zh-CN': '最多 349 条' };
    expect(describeError('zh-CN', 'PARAMS_INVALID', messages.en, messages).detail).toBe('最多 349 条');
    expect(describeError('en', 'PARAMS_INVALID', messages.en, messages).detail).toBe('at most 349 messages');
    expect(describeError('zh-CN', 'PARAMS_INVALID', 'only English', { en: 'only English' }).detail).toBe('only English');
    expect(describeThrown('zh-CN', { code: 'PARAMS_INVALID', message: messages.en, messages }).detail).toBe('最多 349 条');
  });

  it('says something in the page’s language for an unknown code, naming it', () => {
    const zh = describeError('zh-CN', 'SOMETHING_NEW', 'new words');
    expect(zh.text).toContain('SOMETHING_NEW');
    expect(zh.text).toMatch(/出了点问题/);
    expect(zh.detail).toBe('new words');
  });

  it('has a sentence in both languages for every code the server and the page send', () => {
    const codes = codesInSources();
    // The scan finds the codes (a broken pattern finding nothing must not pass).
    for (const known of ['TOKEN_REQUIRED', 'RUN_BUSY', 'PARAMS_INVALID', 'DISK_FULL', 'RUN_NOT_FOUND', 'SERVER_UNREACHABLE', 'PYTHON_MISSING']) {
      expect(codes).toContain(known);
    }
    const missing = codes.filter((code) => ['en', 'zh-CN'].some((lang) => describeError(lang as 'en' | 'zh-CN', code).text.includes(code)));
    expect(missing).toEqual([]);
  });
});

describe('describeThrown', () => {
  it('uses the code of a coded error and the message of a plain one', () => {
    const coded = Object.assign(new Error('Recording x not found'), { code: 'RECORDING_NOT_FOUND' });
    expect(describeThrown('en', coded)).toEqual({ text: 'There is no such recording (it may have been deleted).', detail: 'Recording x not found' });
    expect(describeThrown('en', new Error('Failed to fetch')).detail).toBe('Failed to fetch');
  });

  it('leaves out the browser’s own words when the server did not answer', () => {
    const network = Object.assign(new Error('Failed to fetch'), { code: 'NETWORK' });
    expect(describeThrown('zh-CN', network)).toEqual({ text: describeError('zh-CN', 'NETWORK').text, detail: null });
    expect(describeThrown('zh-CN', network).text).not.toMatch(/fetch/i);
  });
});
