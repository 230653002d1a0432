/**
 * The run's process when its parent goes away or it is told to stop: the run ends, tcpdump is
 * stopped, the process exits, and nothing of the run's process group is left. Every run here is
 * the test-only `hold` experiment held open for 2 s; its processes are found by its process group.
 * (When the run's process itself is killed, tcpdump dies with it: see capture/tcpdump.test.ts.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../capture/probe.js';
import { projectRoot } from '../paths.js';
import type { CaptureInfo } from '../contract/trace.js';
import { childScriptPath } from './child-path.js';
import { testCatalog } from '../test-experiments/catalog.js';
import { LineReader, type ChildMessage } from './protocol.js';
import { groupMembers, killQuietly, waitFor, type ProcessInfo } from './test-processes.js';
import { ensureRunnerBuilt } from './vitest-global-setup.js';

let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

const PAUSED_RUN = { holdMs: 2000 };

/** Processes a test started, killed afterwards whatever happened. */
const started: ChildProcess[] = [];
/** Run groups a test started, killed afterwards whatever happened. */
const groups: number[] = [];
afterEach(() => {
  for (const proc of started.splice(0)) killQuietly(proc.pid);
  for (const pgid of groups.splice(0)) killQuietly(-pgid);
});

const tcpdumpsIn = (pgid: number): ProcessInfo[] => groupMembers(pgid).filter((p) => p.comm === 'tcpdump');

/** How `proc` ended, or 'still running' after `timeoutMs`. */
function exitOf(proc: ChildProcess, timeoutMs = 10_000): Promise<{ code: number | null; signal: NodeJS.Signals | null } | 'still running'> {
  return new Promise((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return resolve({ code: proc.exitCode, signal: proc.signalCode });
    const timer = setTimeout(() => resolve('still running'), timeoutMs);
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal });
    });
  });
}

/**
 * Starts a Node process that starts a run with `runExperiment`, the way the server and the CLI
 * do, and waits until the run is in its pause. Returns that process and the run's pid (= its
 * process group).
 */
async function startRunFromAnotherProcess(): Promise<{ parent: ChildProcess; runPid: number }> {
  const runModule = pathToFileURL(join(projectRoot, 'dist', 'server', 'runner', 'run.js')).href;
  const catalogModule = pathToFileURL(join(projectRoot, 'dist', 'server', 'test-experiments', 'catalog.js')).href;
  const script = `
    const [runModule, catalogModule, capture, params] = process.argv.slice(1);
    const { runExperiment } = await import(runModule);
    const { testCatalog } = await import(catalogModule);
    const say = (m) => process.stdout.write(JSON.stringify(m) + '\\n');
    await runExperiment({
      experiments: await testCatalog(), experiment: 'hold', params: JSON.parse(params), capture: JSON.parse(capture), timeLimitMs: 20000,
      onSpawn: (pid) => say({ pid }),
      onEvent: (e) => { if (e.kind === 'note' && e.key === 'hold.holding') say({ paused: true }); },
    });
    say({ finished: true });`;
  const parent = spawn(
    process.execPath,
    ['--input-type=module', '-e', script, runModule, catalogModule, JSON.stringify(capture), JSON.stringify(PAUSED_RUN)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  started.push(parent);
  const said: Record<string, unknown>[] = [];
  const reader = new LineReader((m) => said.push(m as Record<string, unknown>));
  parent.stdout!.setEncoding('utf8').on('data', (t: string) => reader.push(t));
  const paused = await waitFor(() => said.some((m) => m.paused === true), 15_000);
  const runPid = said.find((m) => typeof m.pid === 'number')?.pid as number | undefined;
  if (runPid !== undefined) groups.push(runPid);
  expect(paused).toBe(true);
  expect(runPid).toBeTypeOf('number');
  return { parent, runPid: runPid! };
}

/** Starts the run's process directly (no namespace) and waits until its run is in the pause. */
async function startRunProcess(): Promise<{ child: ChildProcess; messages: ChildMessage[] }> {
  const child = spawn(process.execPath, [childScriptPath()], { detached: true, stdio: ['pipe', 'pipe', 'inherit'] });
  started.push(child);
  groups.push(child.pid!);
  const messages: ChildMessage[] = [];
  const reader = new LineReader((m) => messages.push(m as ChildMessage));
  child.stdout!.setEncoding('utf8').on('data', (t: string) => reader.push(t));
  const method = !capture.available ? 'none' : 'loopback'; // the host's lo: no namespace without unshare
  const params = { ...PAUSED_RUN, ipVersion: 4, message: 'x' };
  const module = (await testCatalog()).runModule('hold');
  child.stdin!.write(`${JSON.stringify({ type: 'start', experiment: 'hold', module, params, method, snaplen: 262144 })}\n`);
  const paused = await waitFor(
    () => messages.some((m) => m.type === 'event' && m.event.kind === 'note' && m.event.key === 'hold.holding'),
    15_000,
  );
  expect(paused).toBe(true);
  return { child, messages };
}

describe('the run process when the process that started the run dies', () => {
  it.each(['SIGKILL', 'SIGTERM'] as const)('%s: the run stops and no tcpdump of it is left', async (signal) => {
    const { parent, runPid } = await startRunFromAnotherProcess();
    if (capture.available) expect(tcpdumpsIn(runPid)).toHaveLength(1);
    parent.kill(signal);
    expect(await exitOf(parent)).toEqual({ code: null, signal });
    const left = await waitFor(() => groupMembers(runPid).length === 0, 6000);
    expect(left, JSON.stringify(groupMembers(runPid))).toBe(true);
  });
});

describe('the run process when it is told to go', () => {
  it.each(['SIGTERM', 'SIGINT', 'SIGHUP'] as const)('%s: it aborts the run, stops the capture and exits', async (signal) => {
    const { child, messages } = await startRunProcess();
    if (capture.available) expect(tcpdumpsIn(child.pid!)).toHaveLength(1);
    child.kill(signal);
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    const done = messages.find((m) => m.type === 'done');
    expect(done && done.type === 'done' && done.error?.code).toBe('RUN_ABORTED');
    // tcpdump was stopped with SIGINT and reported its statistics before the run ended.
    if (capture.available) expect(messages.some((m) => m.type === 'stats')).toBe(true);
    expect(groupMembers(child.pid!)).toEqual([]);
  });

  it('when its stdout breaks, it stops the run and the capture before it exits', async () => {
    const { child } = await startRunProcess();
    if (capture.available) expect(tcpdumpsIn(child.pid!)).toHaveLength(1);
    child.stdout!.destroy();
    expect(await exitOf(child)).toEqual({ code: 0, signal: null });
    const left = await waitFor(() => groupMembers(child.pid!).length === 0, 3000);
    expect(left, JSON.stringify(groupMembers(child.pid!))).toBe(true);
  });
});
