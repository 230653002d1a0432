import { afterEach, describe, expect, it, vi } from 'vitest';
import { followRealtimeSteps, nowUs } from './clock.js';

describe('the trace clock', () => {
  afterEach(() => vi.restoreAllMocks());

  it('agrees with the real-time clock', () => {
    expect(Math.abs(nowUs() / 1000 - Date.now())).toBeLessThan(50);
  });

  it('follows the real-time clock when it is set forward', () => {
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 60_000);
    expect(Math.abs(nowUs() / 1000 - Date.now())).toBeGreaterThan(59_000);
    followRealtimeSteps();
    expect(Math.abs(nowUs() / 1000 - Date.now())).toBeLessThan(50);
    vi.restoreAllMocks();
    followRealtimeSteps();
    expect(Math.abs(nowUs() / 1000 - Date.now())).toBeLessThan(50);
  });
});
