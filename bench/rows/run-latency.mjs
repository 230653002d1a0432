/**
 * How soon a run shows: from the `run` message on the WebSocket to the first event, the first
 * captured packet and `run-finished`, for the handshake experiment with its Python programs
 * and with its Node.js programs (runs alternate), on the lab's own server (as
 * `npm start` builds it, a spare run process included), median over N runs a moment apart (a
 * class clicks Run seconds apart, not back to back). The peer is the time a bare `node -e 0`
 * takes to start and exit, measured in the same run.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dist = (path) => pathToFileURL(join(root, 'dist', 'server', path)).href;
/** Between runs, as a user would pause (and the spare process has started). */
const PAUSE_MS = 300;

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const round = (ms) => Math.round(ms * 10) / 10;

function nodeStartMs() {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['-e', '0']);
  if (r.status !== 0) throw new Error('node -e 0 failed');
  return performance.now() - t0;
}

export default async function ({ smoke, tmp }) {
  const { buildApp } = await import(dist('app.js'));
  const { default: WebSocket } = await import(pathToFileURL(join(root, 'node_modules', 'ws', 'wrapper.mjs')).href);
  const token = randomBytes(16).toString('hex');
  const app = await buildApp({ token, host: '127.0.0.1', port: 0, dataDir: join(tmp, 'data'), logger: false });
  const runs = smoke ? 2 : 15;
  /** Per language of the programs (the experiment's default first): the three times of each run. */
  const langs = ['python', 'node'];
  const times = Object.fromEntries(langs.map((lang) => [lang, { first: [], packet: [], whole: [] }]));
  try {
    await app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = app.server.address();
    const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`, { origin: `http://127.0.0.1:${port}` });
    await once(ws, 'open');
    let onMessage = () => {};
    ws.on('message', (data) => onMessage(JSON.parse(data.toString())));
    ws.send(JSON.stringify({ type: 'hello', token }));
    await new Promise((resolve) => (onMessage = (m) => m.type === 'welcome' && resolve()));
    await new Promise((r) => setTimeout(r, 1000)); // the spare process starts with the server
    for (let i = 0; i < runs * langs.length; i++) {
      const lang = langs[i % langs.length];
      const { first, packet, whole } = times[lang];
      const at = {};
      const finished = new Promise((resolve, reject) => {
        onMessage = (m) => {
          const now = performance.now();
          if (m.type === 'events' && m.events.length > 0) at.first ??= now;
          if (m.type === 'events' && m.events.some((e) => e.kind === 'wire')) at.packet ??= now;
          if (m.type === 'error') reject(new Error(`${m.code}: ${m.message}`));
          if (m.type === 'run-finished') {
            at.finished = now;
            if (!m.outcome.ok) reject(new Error(`the run failed: ${JSON.stringify(m.outcome)}`));
            else resolve();
          }
        };
      });
      const t0 = performance.now();
      ws.send(JSON.stringify({ type: 'run', requestId: `r${i}`, experiment: 'handshake', params: {}, lang }));
      await finished;
      first.push(at.first - t0);
      if (at.packet !== undefined) packet.push(at.packet - t0);
      whole.push(at.finished - t0);
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    ws.close();
  } finally {
    await app.close();
  }
  const peer = median(Array.from({ length: runs }, nodeStartMs));
  // The target is the issue's, on the value itself (the peer says what a bare start costs here).
  const row = (name, values, target, lang) =>
    values.length === 0
      ? [] // no packet without capture
      : [
          {
            row: `${name} (handshake, ${lang} programs, median of ${values.length})`,
            value: round(median(values)),
            unit: 'ms',
            peer: 'node -e 0 start',
            peerValue: round(peer),
            ratio: Number((median(values) / peer).toFixed(2)),
            target: `value ${target}`,
          },
        ];
  return langs.flatMap((lang) => [
    ...row('Run → first event', times[lang].first, '≤ 200 ms', lang),
    ...row('Run → first packet', times[lang].packet, '≤ 200 ms', lang),
    ...row('Run → run finished', times[lang].whole, '≤ 250 ms', lang),
  ]);
}
