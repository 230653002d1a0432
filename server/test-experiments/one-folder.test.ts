/**
 * An experiment is one folder and its lesson another: the test-only `udp-echo` (its own view
 * and one fact) and `01-udp-echo` are found by the catalogue and the lesson loader, listed by the
 * API, run from the API, the WebSocket and the CLI, and their fact is computed, with nothing
 * else in the tree naming them.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { buildApp } from '../app.js';
import { probeCapture } from '../capture/probe.js';
import type { Trace } from '../contract/trace.js';
import { experimentsDir } from '../experiments/registry.js';
import { projectRoot } from '../paths.js';
import { ensureRunnerBuilt } from '../runner/vitest-global-setup.js';
import { testExperimentsDir, testLessonsDir } from './catalog.js';

const TOKEN = 'one-folder-token-123';
const auth = { authorization: `Bearer ${TOKEN}` };
let app: FastifyInstance;
let dataDir: string;
let capturing = false;

beforeAll(async () => {
  ensureRunnerBuilt();
  dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-one-folder-'));
  const capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
  capturing = capture.available;
  app = await buildApp({
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    dataDir,
    capture,
    lessonsDir: testLessonsDir,
    experimentsDirs: [experimentsDir, testExperimentsDir],
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
}, 180_000);

afterAll(async () => {
  await app?.close();
  await rm(dataDir, { recursive: true, force: true });
});

const host = () => `127.0.0.1:${(app.server.address() as { port: number }).port}`;

describe('a toy experiment added as one folder, with a lesson added as another', () => {
  it('is listed by /api/experiments with its view, fact and texts', async () => {
    const res = await app.inject({ url: '/api/experiments', headers: { host: host() } });
    expect(res.statusCode).toBe(200);
    const echo = (res.json() as { id: string }[]).find((e) => e.id === 'udp-echo');
    expect(echo).toMatchObject({
      views: [{ kind: 'timeline', lanes: 'programs' }, { kind: 'notes' }],
      facts: ['echo.datagrams'],
      texts: { 'zh-CN': { title: 'UDP 回显', notes: { 'echo.sent': '第 {n} 个数据报已发送' } } },
      defaults: { count: 2, message: 'ping' },
    });
  });

  it('has its lesson loaded, in both languages, with the question tied to its preset', async () => {
    const res = await app.inject({ url: '/api/lessons/01-udp-echo?lang=zh-CN', headers: { host: host() } });
    expect(res.statusCode).toBe(200);
    const lesson = res.json() as { experiment: string; title: string; blocks: { type: string; assumes?: unknown }[] };
    expect(lesson.experiment).toBe('udp-echo');
    expect(lesson.title).toBe('UDP 回显');
    expect(lesson.blocks.find((b) => b.type === 'predict')?.assumes).toEqual({ preset: 'three', params: { count: 3 } });
  });

  it('runs from the API, and its fact and step mark are computed from the real run', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { host: host(), ...auth },
      payload: { experiment: 'udp-echo', params: { count: 3 } },
    });
    expect(res.statusCode).toBe(200);
    const { recordingId, trace } = res.json() as { recordingId: string; trace: Trace };
    expect(trace.outcome).toEqual({ ok: true });
    expect(trace.events.filter((e) => e.kind === 'app' && e.op === 'write').length).toBe(6);
    const facts = await app.inject({ url: `/api/recordings/${recordingId}/facts`, headers: { host: host() } });
    expect(facts.statusCode).toBe(200);
    const { values, marks } = facts.json() as { values: Record<string, number>; marks: Record<string, number> };
    if (!capturing) {
      expect(values).toEqual({});
      return;
    }
    const udp = trace.events.filter((e) => e.kind === 'wire' && e.decoded.summary.proto === 'udp');
    expect(values).toEqual({ 'echo.datagrams': udp.length });
    expect(udp.length).toBe(6);
    expect(marks['first-datagram']).toBe(udp[0]!.seq);
  });

  it('runs over the WebSocket, and the run-finished message carries its facts', async () => {
    const ws = new WebSocket(`ws://${host()}/ws`);
    const messages: { type: string; [k: string]: unknown }[] = [];
    const finished = new Promise<{ facts: { values: Record<string, number> } }>((resolve, reject) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data)) as { type: string; [k: string]: unknown };
        messages.push(message);
        if (message.type === 'welcome') ws.send(JSON.stringify({ type: 'run', requestId: 'r', experiment: 'udp-echo', params: {} }));
        if (message.type === 'run-finished') resolve(message as never);
        if (message.type === 'error') reject(new Error(String(message.message)));
      });
      ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', token: TOKEN })));
    });
    const done = await finished;
    ws.close();
    if (capturing) expect(done.facts.values['echo.datagrams']).toBe(4);
    const notes = messages.flatMap((m) => (m.type === 'events' ? (m.events as { kind: string; key?: string }[]) : [])).filter((e) => e.kind === 'note');
    expect(notes.map((n) => n.key)).toEqual(['echo.sent', 'echo.sent', 'echo.done']);
    const last = notes[2] as { data?: { n: number; bytes: number }[] };
    expect(last.data?.map((r) => [r.n, r.bytes])).toEqual([
      [1, 4],
      [2, 4],
    ]);
  });

  it('runs from the CLI, found through SOCKET_LAB_EXPERIMENTS', async () => {
    const cli = join(projectRoot, 'dist', 'server', 'cli', 'main.js');
    const env = { ...process.env, SOCKET_LAB_DATA: dataDir, SOCKET_LAB_EXPERIMENTS: join(projectRoot, 'dist', 'server', 'test-experiments') };
    const output = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string }>((resolve) => {
        const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'] });
        let stdout = '';
        child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
        child.once('close', (code) => resolve({ code, stdout }));
      });
    const list = await output(['list']);
    expect(list.stdout).toMatch(/^udp-echo — UDP echo$/m);
    const run = await output(['run', 'udp-echo', '--set', 'count=1', '--json']);
    expect(run.code).toBe(0);
    const trace = JSON.parse(run.stdout) as Trace;
    expect(trace.experiment).toBe('udp-echo');
    expect(trace.params).toEqual({ count: 1, message: 'ping' });
  });
});
