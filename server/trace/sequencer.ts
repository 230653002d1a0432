/**
 * Puts events from several sources back in time order while they stream.
 *
 * A run's events reach the parent by two paths: socket-level events straight from the
 * program, packets through tcpdump (a little later). Each item is held for `holdMs` after it
 * arrives; when its hold is over it is released together with every held item that is not
 * later than it, in time order. An item arriving after later items were released is released
 * at once (its time is kept as measured).
 *
 * Two things let items go sooner without changing their order. While there is one source only
 * (before the capture starts, or a run without capture) nothing earlier can still come: items
 * are released as they arrive until `startHolding()`. And when the caller knows that nothing
 * earlier than `t` can still come (a packet arrived: packets come in capture order, and every
 * socket event stamped before it was sent ahead of it), `releaseThrough(t)` lets those go at once.
 */
import { performance } from 'node:perf_hooks';

interface Held<T> {
  t: number;
  arrivedMs: number;
  item: T;
}

export class Sequencer<T> {
  private held: Held<T>[] = [];
  private timer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly release: (item: T) => void,
    private readonly holdMs = 40,
    private holding = true,
  ) {}

  /** Adds an item with its time (any unit, one clock). */
  push(t: number, item: T): void {
    if (this.closed || !this.holding) {
      this.release(item);
      return;
    }
    const entry: Held<T> = { t, arrivedMs: performance.now(), item };
    // Items mostly arrive in order: insert from the end.
    let i = this.held.length;
    while (i > 0 && this.held[i - 1]!.t > t) i--;
    this.held.splice(i, 0, entry);
    this.schedule();
  }

  /** A second source has started: from now on items are held. */
  startHolding(): void {
    this.holding = true;
  }

  /** Releases at once, in time order, every held item not later than `t`. */
  releaseThrough(t: number): void {
    let n = 0;
    while (n < this.held.length && this.held[n]!.t <= t) n++;
    if (n === 0) return;
    for (const entry of this.held.splice(0, n)) this.release(entry.item);
    if (this.held.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  /** Releases everything held, in time order; later pushes are released at once. */
  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.closed = true;
    const all = this.held;
    this.held = [];
    for (const entry of all) this.release(entry.item);
  }

  private schedule(): void {
    if (this.timer || this.held.length === 0) return;
    let oldest = Infinity;
    for (const h of this.held) oldest = Math.min(oldest, h.arrivedMs);
    const wait = Math.max(0, oldest + this.holdMs - performance.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.releaseDue();
      this.schedule();
    }, wait);
  }

  private releaseDue(): void {
    const now = performance.now();
    let cut = -1;
    for (let i = 0; i < this.held.length; i++) {
      if (this.held[i]!.arrivedMs + this.holdMs <= now) cut = i;
    }
    if (cut < 0) return;
    const due = this.held.splice(0, cut + 1);
    for (const entry of due) this.release(entry.item);
  }
}
