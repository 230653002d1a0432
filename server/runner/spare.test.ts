/**
 * The spare run process: a run takes it, a new one replaces it after the run (never the same
 * process twice), and closing kills the one waiting with its whole process group.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../capture/probe.js';
import type { CaptureInfo } from '../contract/trace.js';
import type { ExperimentCatalog } from '../experiments/registry.js';
import { testCatalog } from '../test-experiments/catalog.js';
import { methodOf, runExperiment } from './run.js';
import { SpareRunProcess } from './spare.js';
import { ensureRunnerBuilt } from './vitest-global-setup.js';

let capture: CaptureInfo;
let catalog: ExperimentCatalog;
const spares: SpareRunProcess[] = [];

beforeAll(async () => {
  ensureRunnerBuilt();
  catalog = await testCatalog();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

afterEach(async () => {
  await Promise.all(spares.splice(0).map((s) => s.close()));
});

function newSpare(): SpareRunProcess {
  const spare = new SpareRunProcess(methodOf(capture));
  spares.push(spare);
  return spare;
}

/** Processes in the process group `pgid`. */
function groupMembers(pgid: number): string[] {
  try {
    return execFileSync('pgrep', ['-g', String(pgid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const run = (spare: SpareRunProcess, onSpawn: (pid: number) => void) =>
  runExperiment({ experiments: catalog, experiment: 'hold', params: {}, capture, spare, onSpawn });

describe('the spare run process', () => {
  it('serves one run and is replaced by a new process after it', async () => {
    const spare = newSpare();
    spare.refill();
    const first = spare.pid!;
    expect(groupMembers(first).length).toBeGreaterThan(0);

    const used: number[] = [];
    const trace = await run(spare, (pid) => used.push(pid));
    expect(trace.outcome).toEqual({ ok: true });
    expect(used).toEqual([first]);
    // The run's process is gone with everything it started; a new one waits.
    expect(groupMembers(first)).toEqual([]);
    const second = spare.pid!;
    expect(second).not.toBe(first);
    expect(groupMembers(second).length).toBeGreaterThan(0);

    const again = await run(spare, (pid) => used.push(pid));
    expect(again.outcome).toEqual({ ok: true });
    expect(used).toEqual([first, second]);
    expect(new Set(again.lanes.map((l) => l.client))).not.toEqual(new Set(trace.lanes.map((l) => l.client)));
    expect(spare.pid).not.toBe(second);
  });

  it('closing kills the waiting process and its group, and starts no more', async () => {
    const spare = newSpare();
    spare.refill();
    const pid = spare.pid!;
    await spare.close();
    expect(groupMembers(pid)).toEqual([]);
    spare.refill();
    expect(spare.pid).toBeUndefined();
    // A run still works: it starts its own process.
    const used: number[] = [];
    const trace = await run(spare, (p) => used.push(p));
    expect(trace.outcome).toEqual({ ok: true });
    expect(used[0]).not.toBe(pid);
    expect(spare.pid).toBeUndefined();
  });

  it('a spare that died, or one made for another capture method, is not used', async () => {
    const spare = newSpare();
    spare.refill();
    const pid = spare.pid!;
    expect(spare.take(methodOf(capture) === 'none' ? 'loopback' : 'none')).toBeNull();
    expect(spare.pid).toBe(pid);
    process.kill(-pid, 'SIGKILL');
    for (let i = 0; i < 100 && spare.pid !== undefined; i++) await new Promise((r) => setTimeout(r, 20));
    expect(spare.pid).toBeUndefined();
    const used: number[] = [];
    const trace = await run(spare, (p) => used.push(p));
    expect(trace.outcome).toEqual({ ok: true });
    expect(used[0]).not.toBe(pid);
  });
});
