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
