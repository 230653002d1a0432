import { describe, expect, it } from 'vitest';
import { Sequencer } from './sequencer.js';

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Sequencer', () => {
  it('releases items that arrive out of order in time order', async () => {
    const out: string[] = [];
    const seq = new Sequencer<string>((x) => out.push(x), 20);
    seq.push(10, 'b');
    seq.push(5, 'a');
    seq.push(30, 'd');
    seq.push(20, 'c');
    expect(out).toEqual([]);
    for (let i = 0; i < 50 && out.length < 4; i++) await wait(10);
    expect(out).toEqual(['a', 'b', 'c', 'd']);
  });

  it('releases a late item at once, and everything on close', async () => {
    const out: number[] = [];
    const seq = new Sequencer<number>((x) => out.push(x), 10);
    seq.push(100, 100);
    for (let i = 0; i < 50 && out.length < 1; i++) await wait(10);
    seq.push(50, 50);
    seq.push(200, 200);
    seq.close();
    expect(out).toEqual([100, 50, 200]);
    seq.push(1, 1);
    expect(out).toEqual([100, 50, 200, 1]);
  });
});
