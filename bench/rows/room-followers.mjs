/**
 * A class following one instructor: N followers in a room over real WebSockets, on the lab's own
 * server, while the instructor moves (a view change — step and pointer — 20 times a second) and
 * runs the handshake experiment in the room again and again (real runs, streamed live to every
 * follower). Emit-to-receipt latency covers both: a view change from the instructor's `send` to
 * each follower's receipt, and a run's `events` frame from the moment the room hands it to its
 * followers to each follower's receipt. The instructor and the followers run in one separate
 * process (so the server's memory is the bench process's own); both processes read the same
 * clock (`performance.timeOrigin + performance.now()`). Server memory: the largest RSS and heap
 * used seen while the class joined and during the measurement, with the same before it joined. The server's
 * event-loop delay says how much of the latency is the server's own (a run's process start
 * blocks it for a few milliseconds); the rest is the machine's two cores shared by the server,
 * the class's process and the runs' programs.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (path) => pathToFileURL(join(root, 'dist', 'server', path)).href;
const now = () => performance.timeOrigin + performance.now();

/** The class: argv url, token, n, durationMs. Prints `code <CODE>` once all joined, then JSON results. */
const CLASS_SCRIPT = `
import WebSocket from ${JSON.stringify(pathToFileURL(join(root, 'node_modules', 'ws', 'wrapper.mjs')).href)};
const [url, token, n, durationMs] = [process.argv[2], process.argv[3], Number(process.argv[4]), Number(process.argv[5])];
const now = () => performance.timeOrigin + performance.now();
const origin = url.replace('ws://', 'http://').replace(/\\/ws$/, '');
function open() {
  const ws = new WebSocket(url, { origin });
  return new Promise((resolve, reject) => { ws.once('open', () => resolve(ws)); ws.once('error', reject); });
}
function until(ws, pred) {
  return new Promise((resolve) => {
    const on = (data) => { const m = JSON.parse(data.toString()); if (pred(m)) { ws.off('message', on); resolve(m); } };
    ws.on('message', on);
  });
}
const teacher = await open();
teacher.send(JSON.stringify({ type: 'hello', token }));
await until(teacher, (m) => m.type === 'welcome');
teacher.send(JSON.stringify({ type: 'room-open' }));
const { code } = await until(teacher, (m) => m.type === 'room-joined');
const sentAt = new Map();
const viewLatencies = [];
const frameReceipts = [];
const followers = [];
for (let i = 0; i < n; i++) {
  const ws = await open();
  const receipts = [];
  frameReceipts.push(receipts);
  ws.on('message', (data) => {
    const t = now();
    // The type is in the first bytes; only views are parsed (to read their step).
    const head = data.subarray(0, 24).toString();
    if (head.startsWith('{"type":"events"')) receipts.push(t);
    else if (head.startsWith('{"type":"room-view"')) {
      const step = JSON.parse(data.toString()).view.step;
      const sent = sentAt.get(step);
      if (sent !== undefined) viewLatencies.push(t - sent);
    }
  });
  ws.send(JSON.stringify({ type: 'hello' }));
  ws.send(JSON.stringify({ type: 'room-join', code, name: 'student ' + i }));
  followers.push(ws);
}
await until(teacher, (m) => m.type === 'room-roster' && m.followers === n);
process.stdout.write('code ' + code + '\\n');
await new Promise((resolve) => process.stdin.once('data', resolve));
// Runs in the room, one after another, for the whole measurement.
const runner = await open();
runner.send(JSON.stringify({ type: 'hello', token }));
await until(runner, (m) => m.type === 'welcome');
let running = true;
let runs = 0;
const runLoop = (async () => {
  while (running) {
    runner.send(JSON.stringify({ type: 'run', requestId: 'r' + runs, experiment: 'handshake', params: {}, room: code }));
    await until(runner, (m) => m.type === 'run-finished' || m.type === 'error');
    runs++;
  }
})();
const started = now();
let step = 0;
while (now() - started < durationMs) {
  step++;
  sentAt.set(step, now());
  teacher.send(JSON.stringify({ type: 'room-view', view: { path: '/lessons/02-tcp-handshake', recordingId: null, step, pointer: { kind: 'field', id: 'L2.F' + (step % 12) }, locked: false } }));
  await new Promise((r) => setTimeout(r, 50));
}
running = false;
await runLoop;
await new Promise((r) => setTimeout(r, 300));
process.stdout.write(JSON.stringify({ views: step, runs, viewLatencies, frameReceipts }) + '\\n');
for (const ws of [...followers, teacher, runner]) ws.terminate();
`;

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const round = (x) => Math.round(x * 10) / 10;

async function measure({ app, token, port, n, durationMs, script }) {
  const { Room } = await import(dist('rooms/room.js'));
  global.gc?.();
  const base = process.memoryUsage();
  const peak = { rss: base.rss, heapUsed: base.heapUsed };
  const sample = () => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
  };
  const sampler = setInterval(sample, 250);
  const child = spawn(process.execPath, [script, `ws://127.0.0.1:${port}/ws`, token, String(n), String(durationMs)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (t) => (out += t));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (let i = 0; i < 2400 && !out.includes('code '); i++) await new Promise((r) => setTimeout(r, 25));
  if (!out.includes('code ')) throw new Error(`the class did not join: ${out}`);
  // When the room hands each frame of the live run to its followers.
  const emits = [];
  const original = Room.prototype.runFrame;
  Room.prototype.runFrame = function (frame, events) {
    emits.push(now());
    return original.call(this, frame, events);
  };
  const cpuBefore = process.cpuUsage();
  const { monitorEventLoopDelay } = await import('node:perf_hooks');
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  child.stdin.write('go\n');
  for (let i = 0; i < 2400 && !out.trim().endsWith('}'); i++) await new Promise((r) => setTimeout(r, 25));
  clearInterval(sampler);
  const cpu = process.cpuUsage(cpuBefore);
  loop.disable();

  Room.prototype.runFrame = original;
  child.stdin.end();
  await exited;
  const result = JSON.parse(out.trim().split('\n').at(-1));
  const frameLatencies = [];
  for (const receipts of result.frameReceipts) {
    if (receipts.length !== emits.length) throw new Error(`a follower got ${receipts.length} of ${emits.length} frames`);
    receipts.forEach((t, k) => frameLatencies.push(t - emits[k]));
  }
  const latencies = [...result.viewLatencies, ...frameLatencies];
  const views = [...result.viewLatencies].sort((a, b) => a - b);
  frameLatencies.sort((a, b) => a - b);
  if (result.viewLatencies.length !== result.views * n) throw new Error(`views: ${result.viewLatencies.length} of ${result.views * n} received`);
  latencies.sort((a, b) => a - b);
  void app;
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    viewP99: percentile(views, 99),
    frameP99: percentile(frameLatencies, 99),
    deliveries: latencies.length,
    runs: result.runs,
    frames: emits.length,
    loopP99: loop.percentile(99) / 1e6,
    /** The server process's CPU time (runs included) per delivery. */
    cpuUsPerDelivery: (cpu.user + cpu.system) / latencies.length,
    rssMiB: peak.rss / 2 ** 20,
    baseRssMiB: base.rss / 2 ** 20,
    heapMiB: peak.heapUsed / 2 ** 20,
    baseHeapMiB: base.heapUsed / 2 ** 20,
  };
}

export default async function ({ smoke, tmp }) {
  const { buildApp } = await import(dist('app.js'));
  const token = randomBytes(16).toString('hex');
  const app = await buildApp({ token, host: '127.0.0.1', port: 0, dataDir: join(tmp, 'data'), logger: false });
  const script = join(tmp, 'class.mjs');
  await writeFile(script, CLASS_SCRIPT);
  const sizes = smoke ? [3] : [1, 50, 200];
  const durationMs = smoke ? 300 : 5000;
  const rows = [];
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address();
    for (const n of sizes) {
      const r = await measure({ app, token, port, n, durationMs, script });
      const what = `${n} follower${n === 1 ? '' : 's'}, ${r.runs} live runs (${r.frames} frames) + ${Math.round(durationMs / 50)} view changes, ${r.deliveries} deliveries`;
      rows.push(
        { row: `room emit-to-receipt p50, ${what}`, value: round(r.p50), unit: 'ms', peer: null, peerValue: null, ratio: null, target: null },
        { row: `room emit-to-receipt p99, ${n} follower${n === 1 ? '' : 's'} (views ${round(r.viewP99)} ms, run frames ${round(r.frameP99)} ms)`, value: round(r.p99), unit: 'ms', peer: null, peerValue: null, ratio: null, target: n === 200 ? 'value ≤ 50 ms' : null },
        { row: `room server event-loop delay p99 (its own share of the latency), ${n} follower${n === 1 ? '' : 's'}`, value: round(r.loopP99), unit: 'ms', peer: null, peerValue: null, ratio: null, target: null },
        { row: `room server CPU per delivery (all its work, runs included), ${n} follower${n === 1 ? '' : 's'}`, value: round(r.cpuUsPerDelivery), unit: 'µs', peer: null, peerValue: null, ratio: null, target: null },
        { row: `room server memory: peak RSS (${round(r.baseRssMiB)} MiB before the class joined), ${n} follower${n === 1 ? '' : 's'}`, value: round(r.rssMiB), unit: 'MiB', peer: null, peerValue: null, ratio: null, target: null },
        { row: `room server heap: peak used (${round(r.baseHeapMiB)} MiB before the class joined), ${n} follower${n === 1 ? '' : 's'}`, value: round(r.heapMiB), unit: 'MiB', peer: null, peerValue: null, ratio: null, target: null },
      );
    }
  } finally {
    await app.close();
  }
  return rows;
}
