/**
 * One connection's share of a room's broadcasts. A message is serialised once for the whole room
 * (one Buffer, shared by every follower); each follower only queues references to it.
 *
 * A follower that reads slowly cannot slow the others or grow memory without bound: while its
 * socket holds more than `highWaterBytes` unsent, frames wait in its own queue; when more than
 * `maxQueuedBytes` wait, the queue is dropped and `onOverflow` runs (the caller closes the
 * connection; the page reconnects and is sent the room's current state at once).
 */
export interface OutletOptions {
  send: (frame: Buffer) => void;
  /** Bytes queued in the socket and not yet sent (ws `bufferedAmount`). */
  bufferedAmount: () => number;
  onOverflow: () => void;
  highWaterBytes?: number;
  maxQueuedBytes?: number;
}

export class Outlet {
  readonly #opts: Required<OutletOptions>;
  #queue: Buffer[] = [];
  #queuedBytes = 0;
  #overflowed = false;

  constructor(opts: OutletOptions) {
    this.#opts = { highWaterBytes: 256 * 1024, maxQueuedBytes: 8 << 20, ...opts };
  }

  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Whether frames wait for this socket. */
  get waiting(): boolean {
    return this.#queue.length > 0;
  }

  /** Bytes waiting in this outlet's own queue. */
  get queuedBytes(): number {
    return this.#queuedBytes;
  }

  offer(frame: Buffer): void {
    if (this.#overflowed) return;
    if (this.#queue.length === 0 && this.#opts.bufferedAmount() <= this.#opts.highWaterBytes) {
      this.#opts.send(frame);
      return;
    }
    this.#queue.push(frame);
    this.#queuedBytes += frame.length;
    if (this.#queuedBytes > this.#opts.maxQueuedBytes) {
      this.#overflowed = true;
      this.#queue = [];
      this.#queuedBytes = 0;
      this.#opts.onOverflow();
    }
  }

  /** Sends waiting frames while the socket takes them; true when none are left. */
  drain(): boolean {
    while (this.#queue.length > 0 && this.#opts.bufferedAmount() <= this.#opts.highWaterBytes) {
      const frame = this.#queue.shift()!;
      this.#queuedBytes -= frame.length;
      this.#opts.send(frame);
    }
    return this.#queue.length === 0;
  }
}
