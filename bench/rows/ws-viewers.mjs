/**
 * Many viewers of one stream: events delivered per second to 50 WebSocket viewers of one run
 * (the server's `RunStream`: one serialisation per batch, frames capped), against the same
 * stream sent the way one serialisation per viewer does it (`JSON.stringify` for each socket).
 * The viewers run in a separate process; a delivery is one event received by one viewer (one
 * viewer parses and checks every event, the others must get the same bytes). The events are a
 * real handshake run's, repeated.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (path) => pathToFileURL(join(root, 'dist', 'server', path)).href;

const VIEWERS = 50;

/**
 * The viewers: N WebSocket clients in one process. The first parses every frame and counts its
 * events in order; every other one counts the bytes it got, which must equal the first's (the
 * same frames, in order). At the end it prints [events of the first, bytes of each].
 */
const VIEWERS_SCRIPT = `
import WebSocket from ${JSON.stringify(pathToFileURL(join(root, 'node_modules', 'ws', 'wrapper.mjs')).href)};
const [url, n] = [process.argv[2], Number(process.argv[3])];
const bytes = new Array(n).fill(0);
let events = 0;
let open = 0;
for (let i = 0; i < n; i++) {
  const ws = new WebSocket(url);
  ws.on('open', () => { if (++open === n) process.stdout.write('ready\\n'); });
  ws.on('message', (data) => {
    if (data.length < 20 && data.toString() === '{"type":"end"}') return ws.close();
    bytes[i] += data.length;
    if (i > 0) return;
    const m = JSON.parse(data.toString());
    for (const e of m.events) {
      if (e.seq !== events) throw new Error('event ' + e.seq + ' came where ' + events + ' was due');
      events++;
    }
  });
  ws.on('close', () => { if (--open === 0) process.stdout.write(JSON.stringify([events, bytes]) + '\\n'); });
}
`;

/** A real run's events (handshake; without capture when it is not available here). */
async function realEvents() {
  const { runExperiment } = await import(dist('runner/run.js'));
  const { probeCapture } = await import(dist('capture/probe.js'));
  const trace = await runExperiment({ experiment: 'handshake', params: {}, capture: await probeCapture() });
  return trace.events;
}

/** Streams `total` events to the viewers through `deliver`; resolves with deliveries per second. */
async function measure({ tmp, total, sample, setup }) {
  const { WebSocketServer } = await import(pathToFileURL(join(root, 'node_modules', 'ws', 'wrapper.mjs')).href);
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const sockets = [];
  server.on('connection', (s) => sockets.push(s));
  const script = join(tmp, 'ws-viewers.mjs');
  await writeFile(script, VIEWERS_SCRIPT);
  const child = spawn(process.execPath, [script, `ws://127.0.0.1:${server.address().port}`, String(VIEWERS)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (t) => (out += t));
  for (let i = 0; i < 600 && !out.includes('ready'); i++) await new Promise((r) => setTimeout(r, 25));
  for (let i = 0; i < 500 && sockets.length < VIEWERS; i++) await new Promise((r) => setTimeout(r, 10));
  if (sockets.length < VIEWERS) throw new Error(`only ${sockets.length} of ${VIEWERS} viewers connected`);
  const { push, end } = setup(sockets);
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const e = sample[i % sample.length];
    push({ ...e, seq: i });
    // A live run: events arrive over time, not all in one tick.
    if (i % 200 === 199) await new Promise((r) => setImmediate(r));
  }
  await end();
  for (const s of sockets) s.send(JSON.stringify({ type: 'end' }));
  const done = new Promise((resolve) => child.stdout.on('data', () => out.trim().endsWith(']') && resolve()));
  let limit;
  await Promise.race([done, new Promise((r) => (limit = setTimeout(r, 120_000)))]);
  clearTimeout(limit);
  const seconds = (performance.now() - started) / 1000;
  child.kill();
  await new Promise((resolve) => server.close(resolve));
  const [events, bytes] = JSON.parse(out.trim().split('\n').at(-1));
  if (events !== total) throw new Error(`the first viewer got ${events} of ${total} events`);
  if (bytes.some((b) => b !== bytes[0])) throw new Error(`the viewers got different bytes: ${[...new Set(bytes)].join(', ')}`);
  return (total * VIEWERS) / seconds;
}

export default async function ({ smoke, tmp }) {
  const { RunStream } = await import(dist('http/ws/stream.js'));
  const sample = await realEvents();
  const total = smoke ? 200 : 5000;

  const once = () =>
    measure({
      tmp,
      total,
      sample,
      setup: (sockets) => {
        const stream = new RunStream('bench');
        for (const s of sockets) {
          stream.addViewer({ send: (b) => s.send(b, { binary: false }), bufferedAmount: () => s.bufferedAmount, onOverflow: () => {}, maxPendingEvents: Infinity });
        }
        return { push: (e) => stream.push(e), end: () => stream.finish(60_000) };
      },
    });

  // The peer: the same batches, one JSON.stringify per socket per batch.
  const perSocket = () =>
    measure({
      tmp,
      total,
      sample,
      setup: (sockets) => {
        let batch = [];
        let timer;
        const flush = () => {
          timer = undefined;
          const events = batch;
          batch = [];
          for (const s of sockets) s.send(JSON.stringify({ type: 'events', runId: 'bench', lanes: [], events }));
        };
        return {
          push: (e) => {
            batch.push(e);
            timer ??= setTimeout(flush, 50);
          },
          end: () => {
            clearTimeout(timer);
            flush();
          },
        };
      },
    });

  const value = await once();
  const peerValue = await perSocket();
  return [
    {
      row: `deliveries/s, ${VIEWERS} viewers of one stream (${total} events)`,
      value: Math.round(value),
      unit: 'events/s',
      peer: 'one JSON.stringify per viewer',
      peerValue: Math.round(peerValue),
      ratio: Number((value / peerValue).toFixed(2)),
      target: 'value ≥ 50,000/s; ratio ≥ 1.0',
    },
  ];
}
