/**
 * Stopping the real server process (`node dist/server/main.js`): it never hangs on a client that
 * stopped reading, saves and answers the runs in progress first, and a second signal stops it
 * at once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { projectRoot } from './paths.js';
import { killQuietly } from './runner/test-processes.js';

const TOKEN = 'shutdown-token-0123456789';
const started: { proc: ChildProcess; dir: string }[] = [];

afterEach(async () => {
  for (const { proc, dir } of started.splice(0)) {
    killQuietly(proc.pid);
    await rm(dir, { recursive: true, force: true });
  }
});

/** Starts the lab on a free port; resolves with its process, address and a promise of its exit. */
async function startLab(): Promise<{ proc: ChildProcess; host: string; exited: Promise<{ code: number | null; at: number }> }> {
  const dir = await mkdtemp(join(tmpdir(), 'socket-lab-stop-'));
  const proc = spawn(process.execPath, [join(projectRoot, 'dist', 'server', 'main.js')], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', SOCKET_LAB_TOKEN: TOKEN, SOCKET_LAB_DATA: join(dir, 'data'),
      // `hold`: a run that goes on for as long as it is told.
      SOCKET_LAB_EXPERIMENTS: join(projectRoot, 'dist', 'server', 'test-experiments'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push({ proc, dir });
  const exited = new Promise<{ code: number | null; at: number }>((resolve) =>
    proc.once('exit', (code) => resolve({ code, at: Date.now() })),
  );
  const host = await new Promise<string>((resolve, reject) => {
    let out = '';
    proc.stdout!.setEncoding('utf8').on('data', (text: string) => {
      out += text;
      const match = /open:\s+http:\/\/(127\.0\.0\.1:\d+)/.exec(out);
      if (match) resolve(match[1]!);
    });
    void exited.then(({ code }) => reject(new Error(`the lab exited (${code}) before it was listening: ${out}`)));
  });
  return { proc, host, exited };
}

type Message = { type: string; [key: string]: unknown };

/** Opens /ws, says hello with the token and waits for the welcome. */
async function greet(host: string): Promise<{ ws: WebSocket; messages: Message[] }> {
  const ws = new WebSocket(`ws://${host}/ws`);
  const messages: Message[] = [];
  const welcome = new Promise<void>((resolve, reject) => {
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message;
      messages.push(message);
      if (message.type === 'welcome') resolve();
    });
    ws.once('error', reject);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
  await welcome;
  return { ws, messages };
}

async function until(check: () => boolean, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !check() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 25));
}

describe('stopping the lab', () => {
  it('saves and answers a run in progress, and does not wait for a client that stopped reading', async () => {
    const lab = await startLab();
    // One client runs an experiment that would go on for seconds...
    const runner = await greet(lab.host);
    runner.ws.send(JSON.stringify({ type: 'run', requestId: 'r', experiment: 'hold', params: { holdMs: 15_000 } }));
    await until(() => runner.messages.some((m) => m.type === 'events'), 15_000);
    expect(runner.messages.some((m) => m.type === 'run-started')).toBe(true);
    // ...another said hello, read the answer, and stopped reading.
    const stalled = await greet(lab.host);
    stalled.ws.pause();

    const signalledAt = Date.now();
    lab.proc.kill('SIGTERM');
    const { code, at } = await Promise.race([
      lab.exited,
      new Promise<{ code: null; at: number }>((resolve) => setTimeout(() => resolve({ code: null, at: Date.now() }), 20_000)),
    ]);
    expect(code, 'exited cleanly').toBe(0);
    // Well inside the WebSocket close timeout (30 s) the stalled client would have held it for.
    expect(at - signalledAt).toBeLessThan(12_000);
    const finished = runner.messages.find((m) => m.type === 'run-finished');
    expect(finished, 'the run was saved and answered before the lab stopped').toMatchObject({
      outcome: { ok: false, error: { code: 'RUN_ABORTED' } },
    });
    stalled.ws.terminate();
  });

  it('stops at once on a second signal', async () => {
    const lab = await startLab();
    const runner = await greet(lab.host);
    runner.ws.send(JSON.stringify({ type: 'run', requestId: 'r', experiment: 'hold', params: { holdMs: 15_000 } }));
    await until(() => runner.messages.some((m) => m.type === 'events'), 15_000);
    lab.proc.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 50));
    lab.proc.kill('SIGINT');
    const { code } = await lab.exited;
    // 130: stopped by the second signal, before the run in progress was saved.
    expect(code).toBe(130);
    expect(runner.messages.some((m) => m.type === 'run-finished')).toBe(false);
    runner.ws.terminate();
  });
});
