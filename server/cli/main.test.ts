/**
 * The CLI stopped by a signal during a run: the run is aborted and cleaned up (no process of its
 * group, no tcpdump, is left), the partial run is saved and printed, and the exit code says
 * which signal stopped it. Runs the built CLI with a data folder of its own.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';
import { probeCapture } from '../capture/probe.js';
import type { CaptureInfo, Trace } from '../contract/trace.js';
import { childrenOf, commandLine, groupMembers, killQuietly, waitFor } from '../runner/test-processes.js';
import { ensureRunnerBuilt } from '../runner/vitest-global-setup.js';

let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function exitOf(proc: ChildProcess, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('still running'), timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

describe('lab run stopped by a signal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)('%s: aborts the run, cleans it up, saves it and exits with %i', async (signal, expectedCode) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'socket-lab-cli-'));
    const cli = spawn(
      process.execPath,
      [join(projectRoot, 'dist', 'server', 'cli', 'main.js'), 'run', 'handshake', '--lang', 'node', '--set', 'close=end-after-pause', '--set', 'pauseMs=2000', '--json'],
      { env: { ...process.env, SOCKET_LAB_DATA: dataDir, SOCKET_LAB_CAPTURE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let runPid: number | undefined;
    cleanups.push(() => {
      killQuietly(cli.pid);
      if (runPid !== undefined) killQuietly(-runPid);
      rmSync(dataDir, { recursive: true, force: true });
    });
    let stdout = '';
    cli.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    const exited = exitOf(cli, 20_000);

    // The run's process is the CLI's child running the run script; its pid is its process group.
    const run = await waitFor(() => childrenOf(cli.pid!).find((p) => commandLine(p.pid).includes('child.js')), 15_000);
    expect(run).toBeDefined();
    runPid = run!.pid;
    if (capture.available) {
      const capturing = await waitFor(() => groupMembers(runPid!).some((p) => p.comm === 'tcpdump'), 5000);
      expect(capturing).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 300)); // into the handshake and its pause

    cli.kill(signal);
    expect(await exited).toEqual({ code: expectedCode, signal: null });
    expect(groupMembers(runPid)).toEqual([]);
    const trace = JSON.parse(stdout) as Trace;
    expect(trace.outcome.error?.code).toBe('RUN_ABORTED');
    // Stopped in the pause: the client's program never got to end by itself.
    expect(trace.events.some((e) => e.kind === 'program' && e.actor === 'client' && e.op === 'exit' && e.code === 0)).toBe(false);
    expect(existsSync(join(dataDir, 'recordings', trace.id, 'capture.pcapng'))).toBe(true);
    expect(existsSync(join(dataDir, 'recordings', trace.id, 'events.ndjson'))).toBe(true);
  });
});

describe('lab run with a program of your own', () => {
  it('runs the file given with --program as the client and prints each call with its line', async (t) => {
    if (!capture.available || capture.method !== 'netns') t.skip();
    const dir = mkdtempSync(join(tmpdir(), 'socket-lab-cli-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'my_client.py');
    writeFileSync(file, ["import socket", "HOST = '127.0.0.1'", 'PORT = 9000', 'sk = socket.create_connection((HOST, PORT))', "sk.sendall(b'mine')", 'sk.close()', ''].join('\n'));
    const cli = spawn(
      process.execPath,
      [join(projectRoot, 'dist', 'server', 'cli', 'main.js'), 'run', 'handshake', '--lang', 'python', '--program', `client=${file}`],
      { env: { ...process.env, SOCKET_LAB_DATA: dir, SOCKET_LAB_CAPTURE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    cli.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    expect(await exitOf(cli, 20_000)).toEqual({ code: 0, signal: null });
    expect(stdout).toMatch(/app +client sendall\(\) 4 bytes "mine" +← client\.py:5/);
    expect(stdout).toMatch(/\[SYN\].*← client\.py:4/);
    expect(stdout).toMatch(/\[SYN, ACK\].*← the kernel/);
  });
});
