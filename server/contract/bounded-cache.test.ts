import { describe, expect, it } from 'vitest';
import { BoundedCache } from './bounded-cache.js';

describe('BoundedCache', () => {
  it('makes a value once per key and gives it back after', () => {
    const cache = new BoundedCache<string, { n: number }>(4);
    let made = 0;
    const first = cache.get('a', () => ({ n: ++made }));
    expect(cache.get('a', () => ({ n: ++made }))).toBe(first);
    expect(cache.get('b', () => ({ n: ++made }))).toEqual({ n: 2 });
    expect(made).toBe(2);
    expect(cache.size).toBe(2);
  });

  it('holds at most `limit` values: the next new key starts it over', () => {
    const cache = new BoundedCache<number, number>(3);
    for (const key of [1, 2, 3]) cache.get(key, () => key * 10);
    expect(cache.size).toBe(3);
    // A key it holds is no new key.
    expect(cache.get(3, () => -1)).toBe(30);
    expect(cache.size).toBe(3);
    expect(cache.get(4, () => 40)).toBe(40);
    expect(cache.size).toBe(1);
    // What it held before is made again.
    expect(cache.get(1, () => 11)).toBe(11);
    expect(cache.size).toBe(2);
  });

  it('empties every cache on clearAll', () => {
    const a = new BoundedCache<string, number>(2);
    const b = new BoundedCache<string, number>(2);
    a.get('x', () => 1);
    b.get('y', () => 2);
    BoundedCache.clearAll();
    expect([a.size, b.size]).toEqual([0, 0]);
    expect(a.get('x', () => 3)).toBe(3);
  });
});
