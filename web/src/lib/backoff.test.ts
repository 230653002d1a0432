import { describe, expect, it } from 'vitest';
import { retryDelayMs } from './backoff.ts';

describe('retryDelayMs', () => {
  it('doubles from 2 s and stops growing at a minute', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(retryDelayMs)).toEqual([2000, 4000, 8000, 16000, 32000, 60000, 60000]);
    expect(retryDelayMs(1000)).toBe(60000);
  });

  it('treats nonsense counts as the first retry', () => {
    expect(retryDelayMs(-3)).toBe(2000);
    expect(retryDelayMs(Number.NaN)).toBe(2000);
  });
});
