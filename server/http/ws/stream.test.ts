import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import type { Lane, TraceEvent } from '../../contract/trace.js';
import { RunStream, type ViewerOptions } from './stream.js';

function note(seq: number, text = ''): TraceEvent {
  return { kind: 'note', seq, t: seq, key: 'test.step', ...(text ? { values: { text } } : {}) };
}

const lane: Lane = { id: 'c1', transport: 'tcp', client: '127.0.0.1:40000', server: '127.0.0.1:5000' } as Lane;

/** A viewer that keeps the frames it was sent. */
function keeper(over: Partial<ViewerOptions> = {}) {
  const frames: Buffer[] = [];
  const opts: ViewerOptions = { send: (b) => frames.push(b), bufferedAmount: () => 0, onOverflow: () => {}, ...over };
  const messages = () => frames.map((f) => JSON.parse(f.toString()) as { type: string; events?: TraceEvent[]; lanes?: Lane[]; missed?: number });
  const seqs = () => messages().flatMap((m) => (m.events ?? []).map((e) => e.seq));
  return { opts, frames, messages, seqs };
}

describe('RunStream', () => {
  afterEach(() => vi.useRealTimers());

  it('sends the first events after a few milliseconds, then at most one frame per interval, in order', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1', { intervalMs: 50, gatherMs: 8 });
    const v = keeper();
    stream.addViewer(v.opts);
    stream.push(note(0));
    vi.advanceTimersByTime(5);
    stream.push(note(1));
    vi.advanceTimersByTime(2);
    expect(v.frames).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(v.frames).toHaveLength(1);
    expect(v.seqs()).toEqual([0, 1]);
    for (let i = 2; i < 100; i++) stream.push(note(i));
    vi.advanceTimersByTime(48);
    expect(v.frames).toHaveLength(1);
    vi.advanceTimersByTime(2);
    expect(v.frames).toHaveLength(2);
    expect(v.seqs()).toEqual([...Array(100).keys()]);
    // Quiet for an interval: the next event goes out soon again.
    vi.advanceTimersByTime(100);
    stream.push(note(100));
    vi.advanceTimersByTime(8);
    expect(v.seqs().at(-1)).toBe(100);
    stream.close();
  });

  it('serialises each batch once: every viewer gets the same frames, every event once, in order', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1');
    const viewers = Array.from({ length: 5 }, () => keeper());
    for (const v of viewers) stream.addViewer(v.opts);
    stream.addLane(lane);
    for (let i = 0; i < 300; i++) {
      stream.push(note(i));
      if (i % 7 === 0) vi.advanceTimersByTime(13);
    }
    stream.close();
    const [first, ...rest] = viewers;
    expect(first!.seqs()).toEqual([...Array(300).keys()]);
    expect(first!.messages()[0]!.lanes).toEqual([lane]);
    for (const v of rest) {
      expect(v.frames.length).toBe(first!.frames.length);
      v.frames.forEach((f, i) => expect(f).toBe(first!.frames[i]));
    }
  });

  it('splits a big batch into frames under the cap, lanes first; an event over the cap goes alone', () => {
    const stream = new RunStream('run1', { maxFrameBytes: 4096 });
    const v = keeper();
    stream.addViewer(v.opts);
    stream.addLane(lane);
    for (let i = 0; i < 200; i++) stream.push(note(i, 'x'.repeat(i === 150 ? 10_000 : 100)));
    stream.flush();
    const big = v.frames.filter((f) => f.length > 4096);
    expect(big).toHaveLength(1);
    expect((JSON.parse(big[0]!.toString()) as { events: TraceEvent[] }).events.map((e) => e.seq)).toEqual([150]);
    expect(v.frames.length).toBeGreaterThan(200 * 100 / 4096);
    expect(v.seqs()).toEqual([...Array(200).keys()]);
    const messages = v.messages();
    expect(messages[0]!.lanes).toEqual([lane]);
    expect(messages.slice(1).every((m) => m.type === 'events' && m.lanes!.length === 0)).toBe(true);
    stream.close();
  });

  it('a backed-up viewer waits, then gets a gap and overflows; the others get everything', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1');
    let buffered = 10 << 20;
    const onOverflow = vi.fn();
    const slow = keeper({ bufferedAmount: () => buffered, onOverflow, maxPendingEvents: 50 });
    const fast = keeper();
    const slowViewer = stream.addViewer(slow.opts);
    stream.addViewer(fast.opts);
    for (let i = 0; i < 40; i++) stream.push(note(i));
    vi.advanceTimersByTime(500);
    expect(slow.frames).toHaveLength(0); // backed up: nothing sent, still within the limit
    for (let i = 40; i < 60; i++) stream.push(note(i));
    vi.advanceTimersByTime(500);
    expect(onOverflow).toHaveBeenCalledOnce();
    expect(slow.messages()).toEqual([{ type: 'gap', runId: 'run1', missed: 60 }]);
    stream.push(note(60));
    buffered = 0;
    vi.advanceTimersByTime(500);
    expect(slow.frames).toHaveLength(1); // nothing more after the gap
    expect(slowViewer.missed).toBe(61);
    expect(fast.seqs()).toEqual([...Array(61).keys()]);
    stream.close();
  });

  it('counts what still waits for a viewer when the stream closes', () => {
    const stream = new RunStream('run1');
    const v = keeper({ bufferedAmount: () => 2 << 20 });
    const viewer = stream.addViewer(v.opts);
    for (let i = 0; i < 100; i++) stream.push(note(i));
    stream.close();
    expect(viewer.missed).toBe(100);
    expect(v.frames).toHaveLength(0);
  });
});

describe('RunStream over real WebSockets', () => {
  it('50 viewers each get every event once, in order, in frames under the cap', async () => {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const stream = new RunStream('run1', { maxFrameBytes: 16 * 1024 });
    const N = 50;
    const EVENTS = 400;
    const joined = new Promise<void>((resolve) => {
      let n = 0;
      server.on('connection', (socket) => {
        stream.addViewer({ send: (b) => socket.send(b, { binary: false }), bufferedAmount: () => socket.bufferedAmount, onOverflow: () => socket.close() });
        if (++n === N) resolve();
      });
    });
    const clients = Array.from({ length: N }, () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      const got = { seqs: [] as number[], biggest: 0, ws };
      ws.on('message', (data: Buffer, isBinary) => {
        expect(isBinary).toBe(false);
        got.biggest = Math.max(got.biggest, data.length);
        got.seqs.push(...(JSON.parse(data.toString()) as { events: TraceEvent[] }).events.map((e) => e.seq));
      });
      return got;
    });
    await joined;
    for (let i = 0; i < EVENTS; i++) {
      stream.push(note(i, 'y'.repeat(200)));
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 5));
    }
    stream.close();
    for (let i = 0; i < 200 && clients.some((c) => c.seqs.length < EVENTS); i++) await new Promise((r) => setTimeout(r, 25));
    for (const c of clients) {
      expect(c.seqs).toEqual([...Array(EVENTS).keys()]);
      expect(c.biggest).toBeLessThanOrEqual(16 * 1024);
      c.ws.close();
    }
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
});

describe('RunStream.finish', () => {
  it('waits until a backed-up viewer has taken everything, then closes', async () => {
    const stream = new RunStream('run1', { intervalMs: 5 });
    let buffered = 2 << 20;
    const v = keeper({ bufferedAmount: () => buffered });
    const viewer = stream.addViewer(v.opts);
    for (let i = 0; i < 100; i++) stream.push(note(i));
    setTimeout(() => (buffered = 0), 50);
    await stream.finish(5000);
    expect(v.seqs()).toEqual([...Array(100).keys()]);
    expect(viewer.missed).toBe(0);
  });

  it('gives up after its limit and counts what did not go', async () => {
    const stream = new RunStream('run1', { intervalMs: 5 });
    const v = keeper({ bufferedAmount: () => 2 << 20 });
    const viewer = stream.addViewer(v.opts);
    for (let i = 0; i < 100; i++) stream.push(note(i));
    await stream.finish(50);
    expect(v.frames).toHaveLength(0);
    expect(viewer.missed).toBe(100);
  });
});

describe('RunStream, the edges of its rules', () => {
  afterEach(() => vi.useRealTimers());

  it('gathers for 8 ms and then waits 50 ms between batches by default', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1');
    const v = keeper();
    stream.addViewer(v.opts);
    stream.push(note(0));
    vi.advanceTimersByTime(7);
    expect(v.frames).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(v.seqs()).toEqual([0]);
    stream.push(note(1));
    vi.advanceTimersByTime(49);
    expect(v.frames).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(v.seqs()).toEqual([0, 1]);
    stream.close();
  });

  it('sends a lane alone, and sends nothing when nothing waits', () => {
    const stream = new RunStream('run1');
    const v = keeper();
    stream.addViewer(v.opts);
    stream.flush();
    expect(v.frames).toHaveLength(0);
    stream.addLane(lane);
    stream.flush();
    expect(v.messages()).toEqual([{ type: 'events', runId: 'run1', lanes: [lane], events: [] }]);
    stream.flush();
    expect(v.frames).toHaveLength(1);
    stream.close();
  });

  it('overflows only past maxPendingEvents, and sends while the socket holds no more than highWaterBytes', () => {
    const stream = new RunStream('run1');
    let buffered = 1001;
    const onOverflow = vi.fn();
    const v = keeper({ bufferedAmount: () => buffered, highWaterBytes: 1000, maxPendingEvents: 3, onOverflow });
    const viewer = stream.addViewer(v.opts);
    for (let i = 0; i < 3; i++) stream.push(note(i));
    stream.flush();
    expect(viewer.overflowed).toBe(false);
    expect(viewer.waiting).toBe(true);
    expect(viewer.drain()).toBe(false);
    buffered = 1000;
    expect(viewer.drain()).toBe(true);
    expect(v.seqs()).toEqual([0, 1, 2]);
    buffered = 5000;
    for (let i = 3; i < 7; i++) stream.push(note(i));
    stream.flush();
    expect(viewer.overflowed).toBe(true);
    expect(onOverflow).toHaveBeenCalledOnce();
    stream.close();
  });

  it('fills a frame while its count (2 bytes over the frame, to spare) is within the cap, and starts a new one past it', () => {
    const event = note(0, 'x'.repeat(100));
    const bytesOf = (n: number) => Buffer.byteLength(`{"type":"events","runId":"run1","lanes":[],"events":[${Array(n).fill(JSON.stringify(event)).join(',')}]}`);
    const frameFor = (cap: number) => {
      const stream = new RunStream('run1', { maxFrameBytes: cap });
      const v = keeper();
      stream.addViewer(v.opts);
      for (let i = 0; i < 3; i++) stream.push({ ...event });
      stream.flush();
      stream.close();
      return v.frames.map((f) => f.length);
    };
    const whole = bytesOf(3);
    expect(frameFor(whole + 2)).toEqual([whole]);
    expect(frameFor(whole + 1)).toEqual([bytesOf(2), bytesOf(1)]);
  });

  it('stops sending to a removed viewer and counts what waited for it', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1');
    const gone = keeper({ bufferedAmount: () => 2 << 20 });
    const stays = keeper();
    const goneViewer = stream.addViewer(gone.opts);
    stream.addViewer(stays.opts);
    for (let i = 0; i < 5; i++) stream.push(note(i));
    vi.advanceTimersByTime(10);
    stream.removeViewer(goneViewer);
    expect(goneViewer.missed).toBe(5);
    stream.removeViewer(goneViewer);
    expect(goneViewer.missed).toBe(5);
    stream.push(note(5));
    vi.advanceTimersByTime(100);
    expect(gone.frames).toHaveLength(0);
    expect(stays.seqs()).toEqual([0, 1, 2, 3, 4, 5]);
    stream.close();
  });

  it('after close: takes no events, lanes or viewers, and a second close sends nothing', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1');
    const v = keeper();
    stream.addViewer(v.opts);
    stream.push(note(0));
    stream.close();
    expect(v.seqs()).toEqual([0]);
    stream.push(note(1));
    stream.addLane(lane);
    const late = keeper();
    stream.addViewer(late.opts);
    stream.close();
    stream.flush();
    vi.advanceTimersByTime(1000);
    expect(v.frames).toHaveLength(1);
    expect(late.frames).toHaveLength(0);
  });

  it('retries a backed-up viewer after an interval without new events', () => {
    vi.useFakeTimers();
    const stream = new RunStream('run1', { intervalMs: 20 });
    let buffered = 2 << 20;
    const v = keeper({ bufferedAmount: () => buffered });
    stream.addViewer(v.opts);
    stream.push(note(0));
    vi.advanceTimersByTime(10);
    expect(v.frames).toHaveLength(0);
    buffered = 0;
    vi.advanceTimersByTime(20);
    expect(v.seqs()).toEqual([0]);
    stream.close();
  });
});
