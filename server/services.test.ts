import { afterAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from './app.js';
import { probeCapture } from './capture/probe.js';
import { RecordingStore } from './recordings/store.js';

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

/** Whether any process of the process group `pgid` is left. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('closing the server', () => {
  it('kills the spare run process waiting for the next run', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-close-'));
    dirs.push(dataDir);
    const app = await buildApp({ token: 'close-test-token', host: '127.0.0.1', port: 0, dataDir, capture: await probeCapture() });
    await app.ready();
    const pid = app.spareRunPid();
    expect(pid).toBeTypeOf('number');
    expect(groupAlive(pid!)).toBe(true);
    await app.close();
    expect(groupAlive(pid!)).toBe(false);
    expect(app.spareRunPid()).toBeUndefined();
  });

  it('stops the runs in progress and saves what they recorded', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-close-'));
    dirs.push(dataDir);
    const app = await buildApp({ token: 'close-test-token', host: '127.0.0.1', port: 0, dataDir, capture: await probeCapture() });
    await app.ready();
    let sawEvent!: () => void;
    const started = new Promise<void>((resolve) => (sawEvent = resolve));
    const run = app.runLab({
      experiment: 'handshake',
      params: { close: 'end-after-pause', pauseMs: 2000 },
      id: 'close-test-run',
      onEvent: () => sawEvent(),
    });
    await started;
    await app.close();
    const { trace } = await run;
    expect(trace.outcome).toMatchObject({ ok: false, error: { code: 'RUN_ABORTED' } });
    const store = new RecordingStore(dataDir);
    await store.init();
    expect(store.list().map((m) => m.id)).toEqual(['close-test-run']);
  });
});
