/**
 * Items that arrive on their own (accepted connections, datagrams, chunks a socket read) handed
 * to a program that asks for them one at a time: `take()` gives the oldest item at once, or
 * waits for the next one. Once closed, the items still queued are given out first; after them
 * every `take()` rejects with the error the queue was closed with.
 */
export class Queue<T> {
  private readonly items: T[] = [];
  private readonly waiters: { resolve: (item: T) => void; reject: (err: Error) => void }[] = [];
  private closedWith: Error | null = null;

  /** Items queued and not yet taken. */
  get length(): number {
    return this.items.length;
  }

  /** Callers of `take()` still waiting. */
  get waiting(): number {
    return this.waiters.length;
  }

  get closed(): boolean {
    return this.closedWith !== null;
  }

  /** Hands the item to the oldest waiter, or queues it. Ignored (returns false) once closed. */
  push(item: T): boolean {
    if (this.closedWith) return false;
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve(item);
    else this.items.push(item);
    return true;
  }

  /** The oldest item; waits when there is none. Rejects once closed and empty. */
  take(): Promise<T> {
    if (this.items.length > 0) return Promise.resolve(this.items.shift() as T);
    if (this.closedWith) return Promise.reject(this.closedWith);
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** No more items: waiters are rejected now, later `take()`s once the queued items are gone. First call wins. */
  close(error: Error): void {
    if (this.closedWith) return;
    this.closedWith = error;
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }
}
