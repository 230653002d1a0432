import { describe, expect, it } from 'vitest';
import { describeError, describeThrown } from './errors.ts';

describe('describeError', () => {
  it('translates a known code and keeps the server’s words as the detail', () => {
    const zh = describeError('zh-CN', 'TOKEN_REQUIRED', 'A control token is required for this request.');
    expect(zh.text).toMatch(/控制令牌/);
    expect(zh.detail).toBe('A control token is required for this request.');
    expect(describeError('en', 'RUN_BUSY').detail).toBeNull();
  });

  it('says something in the page’s language for an unknown code, naming it', () => {
    const zh = describeError('zh-CN', 'SOMETHING_NEW', 'new words');
    expect(zh.text).toContain('SOMETHING_NEW');
    expect(zh.text).toMatch(/出了点问题/);
    expect(zh.detail).toBe('new words');
  });

  it('has a sentence for every code the server sends', () => {
    const codes = ['HOST_FORBIDDEN', 'ORIGIN_FORBIDDEN', 'TOKEN_REQUIRED', 'TOKEN_INVALID', 'RUN_BUSY', 'RUN_ABORTED',
      'RUN_TIMEOUT', 'RUN_FAILED', 'CAPTURE_FAILED', 'PARAMS_INVALID', 'EXPERIMENT_UNKNOWN', 'RECORDING_NOT_FOUND',
      'LESSON_NOT_FOUND', 'CAPTURE_MALFORMED', 'PCAP_MALFORMED', 'IMPORT_INVALID_TRACE', 'IMPORT_TOO_LARGE', 'IMPORT_EMPTY',
      'RECORDING_ID_INVALID', 'INTERNAL', 'REQUEST_INVALID', 'HOST_INVALID', 'CAPTURE_INCOMPLETE', 'DISK_READ_ONLY', 'DISK_FULL',
      'DISK_NOT_WRITABLE', 'DISK_IO', 'DISK_ERROR', 'RECORDING_INTERRUPTED', 'RECORDING_LIMIT', 'RECORDING_TOO_LARGE', 'EXPORT_TOO_LARGE',
      'WINDOW_TOO_LARGE'];
    for (const code of codes) expect(describeError('zh-CN', code).text, code).not.toContain(code);
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
