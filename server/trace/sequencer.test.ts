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

describe('Sequencer: releasing sooner, in the same order', () => {
  it('passes items through while there is one source, and holds them once a second starts', async () => {
    const out: string[] = [];
    const seq = new Sequencer<string>((x) => out.push(x), 20, false);
    seq.push(1, 'listen');
    seq.push(2, 'capture');
    expect(out).toEqual(['listen', 'capture']);
    seq.startHolding();
    seq.push(5, 'connected');
    seq.push(4, 'syn');
    expect(out).toEqual(['listen', 'capture']);
    for (let i = 0; i < 50 && out.length < 4; i++) await wait(10);
    expect(out).toEqual(['listen', 'capture', 'syn', 'connected']);
  });

  it('releaseThrough lets go at once of every held item up to a time, in time order, and keeps the rest', async () => {
    const out: number[] = [];
    const seq = new Sequencer<number>((x) => out.push(x), 1000);
    seq.push(30, 30);
    seq.push(10, 10);
    seq.push(20, 20);
    seq.releaseThrough(20);
    expect(out).toEqual([10, 20]);
    seq.releaseThrough(25);
    expect(out).toEqual([10, 20]);
    seq.push(40, 40);
    seq.push(35, 35);
    seq.releaseThrough(40);
    expect(out).toEqual([10, 20, 30, 35, 40]);
    seq.close();
  });
});
