/**
 * The runner: how runs end (done, aborted, timed out, refused), what they leave behind
 * (nothing), and runs without capture or with the host-loopback method.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { Value } from 'typebox/value';
import { probeCapture } from '../capture/probe.js';
import { isLabError } from '../errors.js';
import { Trace as TraceSchema, type CaptureInfo, type Trace } from '../contract/trace.js';
import { childScriptPath } from './child-path.js';
import { LineReader, type ChildMessage } from './protocol.js';
import { runExperiment as runIn, type RunOptions } from './run.js';
import { testCatalog } from '../test-experiments/catalog.js';
import type { ExperimentCatalog } from '../experiments/registry.js';
import { appBytes, noteIndex, segments, socketEvents } from './test-support.js';
import { ensureRunnerBuilt } from './vitest-global-setup.js';
import { needs } from '../setup/expected-tools.js';

let capture: CaptureInfo;
let catalog: ExperimentCatalog;

/** Runs with the test-only experiments (`hold`: a connection that holds still for `holdMs`). */
const runExperiment = (opts: Omit<RunOptions, 'experiments'>) => runIn({ experiments: catalog, ...opts });

beforeAll(async () => {
  ensureRunnerBuilt();
  catalog = await testCatalog();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

/** Processes in the process group `pgid` (the run's child, tcpdump, anything they started). */
function groupMembers(pgid: number): string[] {
  try {
    return execFileSync('pgrep', ['-g', String(pgid), '-l'], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Host TCP sockets (IPv4 and IPv6) using any of these ports, with their kernel state. */
function hostSocketsOnPorts(ports: number[]): { port: number; state: string }[] {
  const found: { port: number; state: string }[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(file, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      if (cols.length < 4) continue;
      const local = parseInt(cols[1]!.split(':')[1]!, 16);
      const remote = parseInt(cols[2]!.split(':')[1]!, 16);
      for (const port of [local, remote]) if (ports.includes(port)) found.push({ port, state: cols[3]! });
    }
  }
  return found;
}

function lanePorts(trace: Trace): number[] {
  return trace.lanes.flatMap((l) => [l.client, l.server].map((e) => Number(e.slice(e.lastIndexOf(':') + 1))));
}

function expectNothingLeft(pid: number | undefined) {
  expect(pid).toBeTypeOf('number');
  expect(isAlive(pid!)).toBe(false);
  expect(groupMembers(pid!)).toEqual([]);
}

describe('runExperiment: how runs end', () => {
  it('rejects unknown experiments and bad parameters before starting anything', async () => {
    const spawned: number[] = [];
    const bad = [
      { experiment: 'no-such-thing', params: {}, code: 'EXPERIMENT_UNKNOWN' },
      { experiment: 'hold', params: { holdMs: 50_000 }, code: 'PARAMS_INVALID' },
      { experiment: 'hold', params: { colour: 'red' }, code: 'PARAMS_INVALID' },
    ];
    for (const { experiment, params, code } of bad) {
      const err = await runExperiment({ experiment, params, capture, onSpawn: (p) => spawned.push(p) }).catch((e) => e);
      expect(isLabError(err) && err.code).toBe(code);
    }
    expect(spawned).toEqual([]);
  });

  it('a cancelled run ends with RUN_ABORTED, keeps what happened, and leaves no process or socket', async () => {
    const controller = new AbortController();
    let pid: number | undefined;
    const trace = await runExperiment({
      experiment: 'hold',
      params: { holdMs: 2000 },
      capture,
      signal: controller.signal,
      onSpawn: (p) => (pid = p),
      onEvent: (e) => {
        if (e.kind === 'note' && e.key === 'hold.holding') controller.abort();
      },
    });
    expect(trace.outcome.ok).toBe(false);
    expect(trace.outcome.error?.code).toBe('RUN_ABORTED');
    expect(Value.Check(TraceSchema, trace)).toBe(true);
    expect(noteIndex(trace, 'hold.holding')).toBeGreaterThan(0);
    expect(noteIndex(trace, 'hold.done')).toBe(-1);
    // The run's sockets were closed for it.
    expect(socketEvents(trace, 'close').filter((e) => e.lane).length).toBeGreaterThanOrEqual(2);
    expectNothingLeft(pid);
    const left = hostSocketsOnPorts(lanePorts(trace));
    // A netns run leaves nothing on the host; a loopback run may leave TIME_WAIT (06) only.
    if (capture.method === 'netns') expect(left).toEqual([]);
    else expect(left.filter((s) => s.state !== '06')).toEqual([]);
  });

  it('a run over its time limit ends with RUN_TIMEOUT and leaves no process', async () => {
    let pid: number | undefined;
    const trace = await runExperiment({
      experiment: 'hold',
      params: { holdMs: 2000 },
      capture,
      timeLimitMs: 1200,
      onSpawn: (p) => (pid = p),
    });
    expect(trace.outcome.error?.code).toBe('RUN_TIMEOUT');
    expect(Value.Check(TraceSchema, trace)).toBe(true);
    expect(noteIndex(trace, 'hold.done')).toBe(-1);
    expectNothingLeft(pid);
  });

  it('a run process that does not answer is killed with its whole group', async () => {
    const controller = new AbortController();
    let pid: number | undefined;
    const trace = await runExperiment({
      experiment: 'hold',
      params: { holdMs: 2000 },
      capture,
      signal: controller.signal,
      onSpawn: (p) => (pid = p),
      onEvent: (e) => {
        if (e.kind === 'note' && e.key === 'hold.holding' && pid !== undefined) {
          process.kill(pid, 'SIGSTOP'); // it can no longer clean up by itself
          controller.abort();
        }
      },
    });
    expect(trace.outcome.error?.code).toBe('RUN_ABORTED');
    expectNothingLeft(pid);
  });

  it('a capture that cannot start ends the run with CAPTURE_FAILED, and still cleans up', async (t) => {
    needs(t, capture.available, 'packet capture');
    const saved = process.env.SOCKET_LAB_TCPDUMP;
    process.env.SOCKET_LAB_TCPDUMP = '/bin/false'; // exits at once, never listens
    let pid: number | undefined;
    try {
      const trace = await runExperiment({ experiment: 'hold', params: {}, capture, onSpawn: (p) => (pid = p) });
      expect(trace.outcome.error?.code).toBe('CAPTURE_FAILED');
      expect(trace.outcome.error?.message).toMatch(/tcpdump/);
      expect(socketEvents(trace, 'listen')).toHaveLength(1);
      expect(socketEvents(trace, 'close')).toHaveLength(1);
      expect(trace.events.some((e) => e.kind === 'wire')).toBe(false);
    } finally {
      if (saved === undefined) delete process.env.SOCKET_LAB_TCPDUMP;
      else process.env.SOCKET_LAB_TCPDUMP = saved;
    }
    expectNothingLeft(pid);
  });

  it('an abort before the start gives an empty aborted trace', async () => {
    const controller = new AbortController();
    controller.abort();
    const trace = await runExperiment({ experiment: 'hold', params: {}, capture, signal: controller.signal });
    expect(trace.outcome.error?.code).toBe('RUN_ABORTED');
    expect(trace.events).toEqual([]);
  });

  it('refuses a third concurrent run with RUN_BUSY', async () => {
    const params = { holdMs: 600 };
    const first = runExperiment({ experiment: 'hold', params, capture });
    const second = runExperiment({ experiment: 'hold', params, capture });
    const third = await runExperiment({ experiment: 'hold', params, capture }).catch((e) => e);
    expect(isLabError(third) && third.code).toBe('RUN_BUSY');
    expect(isLabError(third) && third.statusCode).toBe(429);
    const done = await Promise.all([first, second]);
    expect(done.map((t) => t.outcome.ok)).toEqual([true, true]);
    // With both finished, runs are accepted again.
    const again = await runExperiment({ experiment: 'hold', params: {}, capture });
    expect(again.outcome.ok).toBe(true);
  });

  it('the run process stops and takes tcpdump with it when its parent goes away (stdin closes)', async () => {
    const child = spawn(process.execPath, [childScriptPath()], { detached: true, stdio: ['pipe', 'pipe', 'ignore'] });
    const messages: ChildMessage[] = [];
    const reader = new LineReader((m) => messages.push(m as ChildMessage));
    child.stdout.setEncoding('utf8').on('data', (t: string) => reader.push(t));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const method = capture.available ? capture.method : 'none';
    child.stdin.write(
      `${JSON.stringify({ type: 'start', experiment: 'hold', module: catalog.runModule('hold'), params: { holdMs: 2000, ipVersion: 4, message: 'x' }, method: method === 'netns' ? 'loopback' : method, snaplen: 262144 })}\n`,
    );
    // Wait until the run is in its pause, then go away.
    for (let i = 0; i < 100 && !messages.some((m) => m.type === 'event' && m.event.kind === 'note' && m.event.key === 'hold.holding'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(messages.some((m) => m.type === 'event' && m.event.kind === 'note' && m.event.key === 'hold.holding')).toBe(true);
    child.stdin.end();
    expect(await exited).toBe(0);
    const done = messages.find((m) => m.type === 'done');
    expect(done && done.type === 'done' && done.error?.code).toBe('RUN_ABORTED');
    expectNothingLeft(child.pid);
  });
});

describe('runExperiment: capture methods', () => {
  it('without capture it still records every socket-level event', async () => {
    const none: CaptureInfo = { available: false, method: 'none', reason: 'turned off for this test' };
    const trace = await runExperiment({ experiment: 'hold', params: { message: 'abc' }, capture: none });
    expect(trace.outcome).toEqual({ ok: true });
    expect(trace.env.capture).toEqual(none);
    expect(trace.events.some((e) => e.kind === 'wire')).toBe(false);
    expect(trace.counters).toEqual({ packets: 0, truncated: 0 });
    for (const op of ['listen', 'connect', 'connected', 'accept', 'end', 'close', 'state'] as const) {
      expect(socketEvents(trace, op).length, op).toBeGreaterThan(0);
    }
    expect(appBytes(trace, 'client', 'write').toString()).toBe('abc');
    expect(appBytes(trace, 'server', 'read').toString()).toBe('abc');
    expect(socketEvents(trace, 'state').some((e) => e.actor === 'client' && e.state === 'TIME_WAIT')).toBe(true);
  });

  it('SOCKET_LAB_CAPTURE=none turns capture off and runs still work', async () => {
    const info = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: 'none' });
    const trace = await runExperiment({ experiment: 'hold', params: {}, capture: info });
    expect(trace.env.capture.available).toBe(false);
    expect(trace.outcome.ok).toBe(true);
    expect(appBytes(trace, 'client', 'write').toString()).toBe('hold');
    expect(appBytes(trace, 'server', 'read').toString()).toBe('hold');
  });

  it('on the host loopback, the port filter keeps only the run\'s own packets', async (t) => {
    needs(t, capture.available, 'packet capture');
    const trace = await runExperiment({
      experiment: 'hold',
      params: { ipVersion: 6 },
      capture: { available: true, method: 'loopback' },
    });
    expect(trace.outcome).toEqual({ ok: true });
    const all = segments(trace);
    const lane = trace.lanes[0]!;
    expect(all.length).toBeGreaterThanOrEqual(7);
    expect(all.every((s) => [lane.client, lane.server].includes(s.from) && [lane.client, lane.server].includes(s.to))).toBe(true);
    expect(trace.counters.packets).toBe(all.length);
  });
});

describe('runExperiment: order', () => {
  it('events are in time order: each packet after the call that sent it, each result after the packet behind it', async (t) => {
    needs(t, capture.available, 'packet capture');
    for (const ipVersion of [4, 6]) {
      const live: number[] = [];
      const trace = await runExperiment({ experiment: 'hold', params: { ipVersion }, capture, onEvent: (e) => live.push(e.seq) });
      expect(trace.outcome).toEqual({ ok: true });
      expect(live).toEqual(trace.events.map((_, i) => i));
      const times = trace.events.map((e) => e.t);
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const at = (find: (e: Trace['events'][number]) => boolean) => trace.events.findIndex(find);
      const all = segments(trace);
      const syn = trace.events.indexOf(all[0]!.event);
      const synack = trace.events.indexOf(all[1]!.event);
      const connect = at((e) => e.kind === 'socket' && e.op === 'connect' && e.actor === 'client');
      const connected = at((e) => e.kind === 'socket' && e.op === 'connected' && e.actor === 'client');
      const listen = at((e) => e.kind === 'socket' && e.op === 'listen');
      expect(listen).toBeGreaterThanOrEqual(0);
      expect(listen).toBeLessThan(connect);
      expect(connect).toBeLessThan(syn);
      expect(synack).toBeLessThan(connected);
    }
  });
});
