/**
 * Sends a run's events to one WebSocket client in batches: at most one frame per interval.
 *
 * A client that reads too slowly cannot grow server memory without bound: while the socket's
 * send buffer is above `highWaterBytes`, events wait; when more than `maxPendingEvents` wait, they
 * are dropped, the client gets one `gap` message saying how many it missed, and `onOverflow`
 * runs (the caller closes the connection and lets the run finish: its recording is complete).
 */
import type { Lane, TraceEvent } from '../../contract/trace.js';
import type { ServerMessage } from './protocol.js';

export interface BatcherOptions {
  send: (message: ServerMessage) => void;
  /** Bytes queued in the socket and not yet sent (ws `bufferedAmount`). */
  bufferedAmount: () => number;
  onOverflow: () => void;
  intervalMs?: number;
  highWaterBytes?: number;
  maxPendingEvents?: number;
}

export class EventBatcher {
  readonly #opts: Required<BatcherOptions>;
  #runId: string;
  #events: TraceEvent[] = [];
  #lanes: Lane[] = [];
  #timer: NodeJS.Timeout | undefined;
  #overflowed = false;
  /** Events not delivered to this client. */
  missed = 0;

  constructor(runId: string, opts: BatcherOptions) {
    this.#runId = runId;
    this.#opts = { intervalMs: 50, highWaterBytes: 1 << 20, maxPendingEvents: 20_000, ...opts };
  }

  get overflowed(): boolean {
    return this.#overflowed;
  }

  addLane(lane: Lane): void {
    if (this.#overflowed) return;
    this.#lanes.push(lane);
    this.#schedule();
  }

  push(event: TraceEvent): void {
    if (this.#overflowed) {
      this.missed++;
      return;
    }
    this.#events.push(event);
    if (this.#events.length > this.#opts.maxPendingEvents) {
      this.#overflow();
      return;
    }
    this.#schedule();
  }

  /** Sends what is waiting now if the socket can take it; returns whether everything went. */
  flush(): boolean {
    this.#clear();
    if (this.#overflowed) return false;
    if (this.#events.length === 0 && this.#lanes.length === 0) return true;
    if (this.#opts.bufferedAmount() > this.#opts.highWaterBytes) {
      this.#schedule();
      return false;
    }
    const events = this.#events;
    const lanes = this.#lanes;
    this.#events = [];
    this.#lanes = [];
    this.#opts.send({ type: 'events', runId: this.#runId, lanes, events });
    return true;
  }

  /** Stops the timer; events still waiting are dropped and counted in `missed`. */
  dispose(): void {
    this.#clear();
    this.missed += this.#events.length;
    this.#events = [];
    this.#lanes = [];
  }

  #overflow(): void {
    this.#overflowed = true;
    this.missed += this.#events.length;
    this.#events = [];
    this.#lanes = [];
    this.#clear();
    this.#opts.send({ type: 'gap', runId: this.#runId, missed: this.missed });
    this.#opts.onOverflow();
  }

  #schedule(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, this.#opts.intervalMs);
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
