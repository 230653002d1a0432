import { describe, expect, it } from 'vitest';
import { Queue } from './queue.js';

describe('Queue', () => {
  it('gives queued items oldest first, at once', async () => {
    const q = new Queue<number>();
    expect(q.push(1)).toBe(true);
    expect(q.push(2)).toBe(true);
    expect(q.length).toBe(2);
    expect(await q.take()).toBe(1);
    expect(await q.take()).toBe(2);
    expect(q.length).toBe(0);
  });

  it('hands a pushed item to the oldest waiter', async () => {
    const q = new Queue<string>();
    const first = q.take();
    const second = q.take();
    expect(q.waiting).toBe(2);
    q.push('a');
    q.push('b');
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(q.waiting).toBe(0);
    expect(q.length).toBe(0);
  });

  it('on close rejects the waiters, gives out what is left, then rejects every take', async () => {
    const q = new Queue<string>();
    const pending = q.take();
    const error = new Error('closed');
    q.close(error);
    await expect(pending).rejects.toBe(error);
    expect(q.closed).toBe(true);

    const r = new Queue<string>();
    r.push('left');
    r.close(error);
    r.close(new Error('second close is ignored'));
    expect(r.push('late')).toBe(false);
    expect(await r.take()).toBe('left');
    await expect(r.take()).rejects.toBe(error);
    await expect(r.take()).rejects.toBe(error);
  });

  it('keeps null as an item (a marker such as end of stream)', async () => {
    const q = new Queue<Buffer | null>();
    q.push(null);
    expect(await q.take()).toBeNull();
  });
});
