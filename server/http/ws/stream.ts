/**
 * A run's events on their way to the pages watching it (one or many viewers of one stream).
 *
 * Events are batched: at most one batch per interval, but the first events after a quiet
 * interval go out almost at once, gathered for `gatherMs` only (a run's first steps happen
 * within a few milliseconds of each other: its first frame shows them together). Each batch is serialised
 * once for every viewer, as `events` messages of at most `maxFrameBytes` each (a bigger batch
 * is split, in order, lanes in its first frame; a single event bigger than that goes alone).
 *
 * A viewer that reads too slowly cannot grow server memory without bound: while its socket's
 * send buffer is above `highWaterBytes`, frames wait for it; when more than `maxPendingEvents`
 * wait, they are dropped, it gets one `gap` message saying how many it missed, and its
 * `onOverflow` runs (the caller closes that connection; the run and the other viewers go on).
 */
import type { Lane, TraceEvent } from '../../contract/trace.js';
import type { ServerMessage } from './protocol.js';

export interface StreamOptions {
  intervalMs?: number;
  gatherMs?: number;
  maxFrameBytes?: number;
}

/** How far a viewer may fall behind (defaults: VIEWER_LIMITS). */
export interface ViewerLimits {
  /** Above this many bytes in the socket's send buffer, frames wait for the viewer. */
  highWaterBytes?: number;
  /** More events than this waiting: the viewer gets a `gap` and is cut off. */
  maxPendingEvents?: number;
}

export const VIEWER_LIMITS: Required<ViewerLimits> = { highWaterBytes: 1 << 20, maxPendingEvents: 20_000 };

export interface ViewerOptions extends ViewerLimits {
  /** Sends one text frame: a serialised `ServerMessage` (the same Buffer goes to every viewer) holding `events` events. */
  send: (text: Buffer, events: number) => void;
  /** Bytes queued in the socket and not yet sent (ws `bufferedAmount`). */
  bufferedAmount: () => number;
  onOverflow: () => void;
}

/** The largest `events` message sent by default (a frame of the WebSocket). */
export const MAX_FRAME_BYTES = 1 << 20;

interface Frame {
  data: Buffer;
  events: number;
}

/**
 * An event as the live stream sends it: a TCP or UDP packet without its field tree (nine tenths
 * of its size), which the page asks for when it shows the packet (`POST /api/decode`). Other
 * packets (ICMP, say) keep theirs: the page names them from it.
 */
export function streamed(event: TraceEvent): TraceEvent {
  if (event.kind !== 'wire') return event;
  const proto = event.decoded.summary.proto;
  if (proto !== 'tcp' && proto !== 'udp') return event;
  return { ...event, decoded: { summary: event.decoded.summary, layers: [], deferred: true } };
}

export class Viewer {
  readonly #opts: Required<ViewerOptions>;
  readonly #runId: string;
  #queue: Frame[] = [];
  #pendingEvents = 0;
  #overflowed = false;
  /** Events not delivered to this viewer. */
  missed = 0;

  constructor(runId: string, opts: ViewerOptions) {
    this.#runId = runId;
    this.#opts = { ...VIEWER_LIMITS, ...opts };
  }

  get overflowed(): boolean {
    return this.#overflowed;
  }

  /** Whether frames are waiting for this viewer's socket. */
  get waiting(): boolean {
    return this.#queue.length > 0;
  }

  /** Queues the frames of one batch and sends what the socket can take. */
  offer(frames: readonly Frame[]): void {
    if (this.#overflowed) {
      for (const frame of frames) this.missed += frame.events;
      return;
    }
    for (const frame of frames) {
      this.#queue.push(frame);
      this.#pendingEvents += frame.events;
    }
    if (this.#pendingEvents > this.#opts.maxPendingEvents) this.#overflow();
    else this.drain();
  }

  /** Sends waiting frames while the socket is not backed up; returns whether all went. */
  drain(): boolean {
    while (this.#queue.length > 0 && this.#opts.bufferedAmount() <= this.#opts.highWaterBytes) {
      const frame = this.#queue.shift()!;
      this.#pendingEvents -= frame.events;
      this.#opts.send(frame.data, frame.events);
    }
    return this.#queue.length === 0;
  }

  /** Drops what still waits, counting it in `missed`. */
  close(): void {
    this.missed += this.#pendingEvents;
    this.#queue = [];
    this.#pendingEvents = 0;
  }

  #overflow(): void {
    this.#overflowed = true;
    this.close();
    const gap: ServerMessage = { type: 'gap', runId: this.#runId, missed: this.missed };
    this.#opts.send(Buffer.from(JSON.stringify(gap)), 0);
    this.#opts.onOverflow();
  }
}

export class RunStream {
  readonly runId: string;
  readonly #intervalMs: number;
  readonly #gatherMs: number;
  readonly #maxFrameBytes: number;
  readonly #viewers = new Set<Viewer>();
  #events: TraceEvent[] = [];
  #lanes: Lane[] = [];
  #timer: NodeJS.Timeout | undefined;
  #lastFlushMs = -Infinity;
  #closed = false;

  constructor(runId: string, opts: StreamOptions = {}) {
    this.runId = runId;
    this.#intervalMs = opts.intervalMs ?? 50;
    this.#gatherMs = opts.gatherMs ?? 8;
    this.#maxFrameBytes = opts.maxFrameBytes ?? MAX_FRAME_BYTES;
  }

  /** A new viewer: it gets every batch from now on. */
  addViewer(opts: ViewerOptions): Viewer {
    const viewer = new Viewer(this.runId, opts);
    if (!this.#closed) this.#viewers.add(viewer);
    return viewer;
  }

  /** Stops sending to this viewer; what waited for it counts as missed. */
  removeViewer(viewer: Viewer): void {
    if (this.#viewers.delete(viewer)) viewer.close();
  }

  addLane(lane: Lane): void {
    if (this.#closed) return;
    this.#lanes.push(lane);
    this.#schedule();
  }

  push(event: TraceEvent): void {
    if (this.#closed) return;
    this.#events.push(event);
    this.#schedule();
  }

  /** Sends the waiting batch now, and to each viewer what its socket can take. */
  flush(): void {
    this.#clear();
    this.#lastFlushMs = Date.now();
    if (this.#events.length > 0 || this.#lanes.length > 0) {
      const frames = this.#frames(this.#lanes, this.#events);
      this.#lanes = [];
      this.#events = [];
      for (const viewer of this.#viewers) viewer.offer(frames);
    } else {
      for (const viewer of this.#viewers) viewer.drain();
    }
    // A viewer that is backed up is tried again after an interval.
    for (const viewer of this.#viewers) {
      if (viewer.waiting) {
        this.#timer = setTimeout(() => this.flush(), this.#intervalMs);
        break;
      }
    }
  }

  /**
   * Sends what is left and waits (at most `limitMs`) until every viewer's socket has taken its
   * frames, so a run's last events reach a viewer before anything sent after; then closes.
   */
  async finish(limitMs = 5000): Promise<void> {
    this.flush();
    const until = Date.now() + limitMs;
    while (!this.#closed && [...this.#viewers].some((v) => v.waiting) && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(this.#intervalMs, 10)));
      for (const viewer of this.#viewers) viewer.drain();
    }
    this.close();
  }

  /** Flushes, then ends the stream: what still waits for a viewer counts as missed. */
  close(): void {
    if (this.#closed) return;
    this.flush();
    this.#clear();
    this.#closed = true;
    for (const viewer of this.#viewers) viewer.close();
    this.#viewers.clear();
  }

  /** One batch as `events` messages of at most `maxFrameBytes` each (one event alone may be more). */
  #frames(lanes: Lane[], events: TraceEvent[]): Frame[] {
    const head = `{"type":"events","runId":${JSON.stringify(this.runId)},"lanes":`;
    const frames: Frame[] = [];
    let lanesText = JSON.stringify(lanes);
    let parts: string[] = [];
    let bytes = 0;
    const emit = () => {
      const text = `${head}${lanesText},"events":[${parts.join(',')}]}`;
      frames.push({ data: Buffer.from(text), events: parts.length });
      lanesText = '[]';
      parts = [];
    };
    const overhead = () => Buffer.byteLength(head) + Buffer.byteLength(lanesText) + 14;
    bytes = overhead();
    for (const event of events) {
      const text = JSON.stringify(streamed(event));
      const size = Buffer.byteLength(text) + 1;
      if (parts.length > 0 && bytes + size > this.#maxFrameBytes) {
        emit();
        bytes = overhead();
      }
      parts.push(text);
      bytes += size;
    }
    if (parts.length > 0 || frames.length === 0) emit();
    return frames;
  }

  /** The first events after a quiet interval go out after `gatherMs`; later ones wait for the interval. */
  #schedule(): void {
    if (this.#timer) return;
    const wait = Math.max(this.#gatherMs, this.#lastFlushMs + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.flush();
    }, wait);
  }

  #clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
