import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestLab } from '../test-lab.js';
import type { TraceEvent, WireEvent } from '../../contract/trace.js';

const TOKEN = 'ws-test-token-0123456789';
const lab = useTestLab('ws', TOKEN);

type Message = { type: string; [key: string]: unknown };

/** A client that keeps every message it receives, to wait for them in order. */
async function connect(origin?: string): Promise<{ ws: WebSocket; next: (type: string) => Promise<Message>; all: Message[] }> {
  const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/ws`, origin ? { origin } : {});
  const all: Message[] = [];
  const waiters: { type: string; resolve: (m: Message) => void }[] = [];
  let read = 0;
  const pump = () => {
    while (waiters.length && read < all.length) {
      const m = all[read++]!;
      const i = waiters.findIndex((w) => w.type === m.type);
      if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
    }
  };
  ws.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as Message);
    pump();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (type: string) =>
    new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type} message; got ${JSON.stringify(all.map((m) => m.type))}`)), 15_000);
      waiters.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      pump();
    });
  return { ws, next, all };
}

describe('/ws', () => {
  it('refuses an upgrade from a foreign Origin with 403', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/ws`, { origin: 'http://evil.example' });
    const status = await new Promise<number>((resolve) => {
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => {});
    });
    expect(status).toBe(403);
  });

  it('refuses an upgrade naming a foreign Host with 403', async () => {
    for (const host of ['evil.example', `127.0.0.1:${lab.port + 1}`]) {
      const ws = new WebSocket(`ws://127.0.0.1:${lab.port}/ws`, { headers: { host } });
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => {});
      });
      expect(status, host).toBe(403);
    }
  });

  it('answers bad messages with errors and stays up', async () => {
    const { ws, next } = await connect(`http://127.0.0.1:${lab.port}`);
    ws.send('not json');
    expect(await next('error')).toMatchObject({ code: 'MESSAGE_NOT_JSON' });
    ws.send(JSON.stringify({ type: 'run', requestId: 'r1', experiment: 'handshake', params: {} }));
    expect(await next('error')).toMatchObject({ code: 'HELLO_REQUIRED' });
    ws.send(JSON.stringify({ type: 'hello', sneaky: 1 }));
    expect(await next('error')).toMatchObject({ code: 'REQUEST_INVALID' });
    ws.send(JSON.stringify({ type: 'hello' }));
    expect(await next('welcome')).toMatchObject({ authorized: false });
    ws.send(JSON.stringify({ type: 'run', requestId: 'r2', experiment: 'handshake', params: {} }));
    expect(await next('error')).toMatchObject({ code: 'TOKEN_REQUIRED', requestId: 'r2' });
    ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await next('error')).toMatchObject({ code: 'MESSAGE_NOT_TEXT' });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
    const health = await fetch(`http://127.0.0.1:${lab.port}/api/health`);
    expect(health.status).toBe(200);
  });

  it('closes a connection that sends more than 64 KiB at once', async () => {
    const { ws } = await connect();
    const code = await new Promise<number>((resolve) => {
      ws.on('close', (c) => resolve(c));
      ws.send(JSON.stringify({ type: 'hello', token: 'x'.repeat(70 * 1024) }));
    });
    expect(code).toBe(1009);
  });

  it('streams a real run in batches and saves it', async () => {
    const { ws, next, all } = await connect(`http://localhost:${lab.port}`);
    ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
    expect(await next('welcome')).toMatchObject({ authorized: true });
    ws.send(JSON.stringify({ type: 'run', requestId: 'go', experiment: 'handshake', params: { ipVersion: 4, close: 'end' } }));
    const started = await next('run-started');
    expect(started).toMatchObject({ requestId: 'go', experiment: 'handshake' });
    const finished = await next('run-finished');
    expect(finished).toMatchObject({ runId: started.runId, recordingId: started.runId, outcome: { ok: true } });
    const streamed = all.filter((m) => m.type === 'events').flatMap((m) => m.events as { seq: number; kind: string }[]);
    const saved = await (await fetch(`http://127.0.0.1:${lab.port}/api/recordings/${String(finished.recordingId)}`)).json();
    expect(streamed.map((e) => e.seq)).toEqual(saved.events.map((e: { seq: number }) => e.seq));
    expect(streamed.some((e) => e.kind === 'app')).toBe(true);
    if (lab.app.capture.available) expect(streamed.filter((e) => e.kind === 'wire').length).toBeGreaterThanOrEqual(7);
    ws.close();
  });

  it('stops the run when the browser goes away, and keeps what it recorded', async () => {
    const { ws, next } = await connect(`http://127.0.0.1:${lab.port}`);
    ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
    await next('welcome');
    // A long pause keeps the run going long enough to leave in the middle of it.
    ws.send(JSON.stringify({ type: 'run', requestId: 'bye', experiment: 'handshake', params: { close: 'end-after-pause', pauseMs: 2000 } }));
    const started = await next('run-started');
    await next('events');
    ws.terminate();
    let meta: { id: string; outcome: { ok: boolean; error?: { code: string } } } | undefined;
    for (let i = 0; i < 100 && !meta; i++) {
      await new Promise((r) => setTimeout(r, 100));
      const list = (await (await fetch(`http://127.0.0.1:${lab.port}/api/recordings`)).json()) as NonNullable<typeof meta>[];
      meta = list.find((m) => m.id === started.runId);
    }
    expect(meta?.outcome).toMatchObject({ ok: false, error: { code: 'RUN_ABORTED' } });
  });
});

/** A hello with the control token, answered by an authorized welcome. */
async function authorized(): Promise<Awaited<ReturnType<typeof connect>>> {
  const client = await connect(`http://127.0.0.1:${lab.port}`);
  client.ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
  expect(await client.next('welcome')).toMatchObject({ authorized: true });
  return client;
}

/** Capture is expected in CI (root) and for root anywhere: there a run without packets is a failure. */
const captureExpected = process.env.CI === 'true' || process.getuid?.() === 0;

describe('/ws, every message', () => {
  it('answers a wrong token with TOKEN_INVALID and a read-only welcome; running then needs the token', async () => {
    const { ws, next } = await connect(`http://127.0.0.1:${lab.port}`);
    ws.send(JSON.stringify({ type: 'hello', token: 'not-the-token-0000' }));
    expect(await next('error')).toMatchObject({ code: 'TOKEN_INVALID' });
    expect(await next('welcome')).toMatchObject({ type: 'welcome', authorized: false, capture: lab.app.capture });
    ws.send(JSON.stringify({ type: 'run', requestId: 'ro', experiment: 'handshake', params: {} }));
    expect(await next('error')).toMatchObject({ code: 'TOKEN_REQUIRED', requestId: 'ro' });
    ws.close();
  });

  it('refuses a cancel of a run this connection does not have (RUN_NOT_FOUND)', async () => {
    const { ws, next } = await authorized();
    ws.send(JSON.stringify({ type: 'cancel', runId: 'no-such-run' }));
    expect(await next('error')).toMatchObject({ code: 'RUN_NOT_FOUND' });
    ws.close();
  });

  it('refuses invalid parameters and an unknown experiment with their codes and request ids, and starts nothing', async () => {
    const { ws, next, all } = await authorized();
    ws.send(JSON.stringify({ type: 'run', requestId: 'bad', experiment: 'handshake', params: { ipVersion: 5 } }));
    expect(await next('error')).toMatchObject({ code: 'PARAMS_INVALID', requestId: 'bad' });
    // A rule across parameters: refused in words in each language the page speaks.
    ws.send(JSON.stringify({ type: 'run', requestId: 'big', experiment: 'sticky', params: { count: 10_000, size: 6000 } }));
    const big = await next('error');
    expect(big).toMatchObject({ code: 'PARAMS_INVALID', requestId: 'big', message: expect.stringContaining('at most 349 messages') });
    expect((big['messages'] as Record<string, string>)['zh-CN']).toContain('这个大小下最多 349 条');
    ws.send(JSON.stringify({ type: 'run', requestId: 'who', experiment: 'no-such-experiment', params: {} }));
    expect(await next('error')).toMatchObject({ code: 'EXPERIMENT_UNKNOWN', requestId: 'who' });
    ws.send(JSON.stringify({ type: 'run', requestId: 'extra', experiment: 'handshake', params: {}, surprise: true }));
    expect(await next('error')).toMatchObject({ code: 'REQUEST_INVALID' });
    expect(all.filter((m) => m.type === 'run-started')).toEqual([]);
    ws.close();
  });

  it('runs one run at a time per connection (RUN_BUSY), and cancel stops it: finished, aborted and saved', async () => {
    const { ws, next, all } = await authorized();
    ws.send(JSON.stringify({ type: 'run', requestId: 'long', experiment: 'handshake', params: { close: 'end-after-pause', pauseMs: 2000 } }));
    const started = await next('run-started');
    ws.send(JSON.stringify({ type: 'run', requestId: 'second', experiment: 'handshake', params: {} }));
    expect(await next('error')).toMatchObject({ code: 'RUN_BUSY', requestId: 'second' });
    await next('events');
    ws.send(JSON.stringify({ type: 'cancel', runId: started.runId }));
    const finished = await next('run-finished');
    expect(finished).toMatchObject({ runId: started.runId, outcome: { ok: false, error: { code: 'RUN_ABORTED' } } });
    expect(all.filter((m) => m.type === 'run-started')).toHaveLength(1);
    const saved = await fetch(`http://127.0.0.1:${lab.port}/api/recordings/${String(finished.recordingId)}`);
    expect(saved.status).toBe(200);
    expect(((await saved.json()) as { outcome: unknown }).outcome).toMatchObject({ ok: false, error: { code: 'RUN_ABORTED' } });
    ws.close();
  });

  it('streams packets live, with their lanes, in several batches, before the recording is saved', async () => {
    if (captureExpected) expect(lab.app.capture.available, `packet capture is expected here: ${lab.app.capture.reason ?? ''}`).toBe(true);
    const { ws, next, all } = await authorized();
    ws.send(JSON.stringify({ type: 'run', requestId: 'live', experiment: 'handshake', params: { ipVersion: 4, close: 'end' } }));
    await next('run-started');
    const finished = await next('run-finished');
    const batches = all.filter((m) => m.type === 'events') as unknown as { lanes: { id: string }[]; events: { seq: number; kind: string; lane?: string }[] }[];
    const saved = (await (await fetch(`http://127.0.0.1:${lab.port}/api/recordings/${String(finished.recordingId)}`)).json()) as {
      lanes: { id: string }[];
      events: { seq: number; kind: string; lane?: string }[];
      counters: { packets: number };
    };
    expect(batches.length).toBeGreaterThan(1);
    // Every lane arrives once, no later than the first event on it, and they are the recording's lanes.
    const lanesSeen = new Set<string>();
    for (const batch of batches) {
      for (const lane of batch.lanes) lanesSeen.add(lane.id);
      for (const e of batch.events) if (e.lane !== undefined) expect(lanesSeen.has(e.lane), `lane ${e.lane} before its event ${e.seq}`).toBe(true);
    }
    expect(batches.flatMap((b) => b.lanes)).toEqual(saved.lanes);
    const streamed = batches.flatMap((b) => b.events) as TraceEvent[];
    // Packets come without their field tree; the page asks for it (POST /api/decode, no token,
    // as a follower's page would): it is the tree the recording gives.
    const wire = streamed.filter((e): e is WireEvent => e.kind === 'wire');
    expect(wire.every((e) => e.decoded.deferred === true && e.decoded.layers.length === 0)).toBe(true);
    const whole: TraceEvent[] = [];
    for (const e of streamed) {
      if (e.kind !== 'wire') {
        whole.push(e);
        continue;
      }
      const res = await fetch(`http://${lab.host}/api/decode`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: `http://${lab.host}` },
        body: JSON.stringify({ data: e.data, linktype: e.linktype, len: e.len, loopback: true }),
      });
      expect(res.status).toBe(200);
      const decoded = (await res.json()) as WireEvent['decoded'];
      expect(decoded.summary).toEqual(e.decoded.summary);
      whole.push({ ...e, decoded: { summary: e.decoded.summary, layers: decoded.layers } });
    }
    expect(whole).toEqual(saved.events);
    expect(JSON.stringify(wire).length * 4).toBeLessThan(JSON.stringify(saved.events.filter((e) => e.kind === 'wire')).length);
    const packets = streamed.filter((e) => e.kind === 'wire').length;
    expect(finished.counters).toMatchObject({ packets: saved.counters.packets });
    if (lab.app.capture.available) {
      expect(packets).toBeGreaterThanOrEqual(7);
      expect(saved.lanes.length).toBeGreaterThan(0);
      expect(streamed.filter((e) => e.kind === 'wire').every((e) => e.lane !== undefined)).toBe(true);
      // The packets came in batches before the run's end (sent once its recording is saved).
      const finishedAt = all.findIndex((m) => m.type === 'run-finished');
      const firstPacketAt = all.findIndex((m) => m.type === 'events' && ((m.events ?? []) as { kind: string }[]).some((e) => e.kind === 'wire'));
      expect(firstPacketAt).toBeGreaterThan(-1);
      expect(firstPacketAt).toBeLessThan(finishedAt);
      expect(saved.counters.packets).toBe(packets);
    }
    ws.close();
  });
});
