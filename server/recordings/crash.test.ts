/**
 * The lab killed with SIGKILL while saving: an import (written aside, renamed when whole) leaves
 * the previous state; a run (written as it goes) leaves a readable partial recording marked
 * incomplete. The writer runs in a real child process (the compiled store), killed mid-write.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingStore } from './store.js';

const dist = join(import.meta.dirname, '../../dist/server/recordings');
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Starts `script` in a child, waits until `ready()` holds (bounded), kills it with SIGKILL. */
async function killWhen(script: string, ready: () => boolean): Promise<void> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  for (let waited = 0; !ready(); waited += 10) {
    if (waited > 20_000 || child.exitCode !== null) throw new Error(`the writer never got there: ${stderr}`);
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
}

const size = (path: string): number => (existsSync(path) ? statSync(path).size : 0);

describe.skipIf(!existsSync(join(dist, 'store.js')))('killed while saving', () => {
  it('an import leaves the previous state: nothing half-imported is listed, and the leftovers go', async () => {
    const data = await mkdtemp(join(tmpdir(), 'socket-lab-kill-import-'));
    dirs.push(data);
    const recordings = join(data, 'recordings');
    const script = `
      const { RecordingStore } = await import(${JSON.stringify(pathToFileURL(join(dist, 'store.js')).href)});
      const { importCapture } = await import(${JSON.stringify(pathToFileURL(join(dist, 'import.js')).href)});
      const { syntheticPcap } = await import(${JSON.stringify(pathToFileURL(join(dist, '../pcap/synthetic-capture.js')).href)});
      const store = new RecordingStore(${JSON.stringify(data)});
      await store.init();
      await importCapture(store, syntheticPcap(2_000_000), 'never finished');
    `;
    await killWhen(script, () => {
      const tmp = existsSync(recordings) ? readdirSync(recordings).find((n: string) => n.startsWith('.tmp-')) : undefined;
      return tmp !== undefined && size(join(recordings, tmp, 'capture.pcapng')) > 2_000_000;
    });
    expect((await readdir(recordings)).some((n) => n.startsWith('.tmp-'))).toBe(true);
    const store = new RecordingStore(data);
    await store.init();
    expect(store.list()).toEqual([]);
    expect(store.setAside).toEqual([]);
    expect((await readdir(recordings)).filter((n) => !n.startsWith('.tmp-probe'))).toEqual([]);
  });

  it('a run written as it goes leaves a readable partial recording, marked incomplete', async () => {
    const data = await mkdtemp(join(tmpdir(), 'socket-lab-kill-run-'));
    dirs.push(data);
    const id = '20260101-000000-killed';
    const folder = join(data, 'recordings', id);
    const script = `
      const { RecordingStore } = await import(${JSON.stringify(pathToFileURL(join(dist, 'store.js')).href)});
      const { mixedTrace } = await import(${JSON.stringify(pathToFileURL(join(dist, 'test-trace.js')).href)});
      const store = new RecordingStore(${JSON.stringify(data)});
      await store.init();
      const trace = mixedTrace(${JSON.stringify(id)});
      const { events, ...meta } = trace;
      const recording = await store.begin(meta);
      for (const lane of trace.lanes) recording.writer.addLane(lane);
      // The run goes on and on: the same events, renumbered, as a long run's would arrive.
      for (let round = 0; ; round++) {
        for (const event of events) recording.writer.addEvent({ ...event, seq: round * events.length + event.seq, ...(event.kind === 'wire' ? { frame: round * 10 + event.frame } : {}) });
        await new Promise((r) => setImmediate(r));
      }
    `;
    await killWhen(script, () => size(join(folder, 'events.ndjson')) > 300_000);
    const store = new RecordingStore(data);
    await store.init();
    const [meta] = store.list();
    expect(meta).toMatchObject({ id, incomplete: { code: 'RECORDING_INTERRUPTED' } });
    expect(meta!.eventCount).toBeGreaterThan(1000);
    expect(meta!.counters.packets).toBeGreaterThan(500);
    const last = await store.events(id, meta!.eventCount - 3, 3);
    expect(last.total).toBe(meta!.eventCount);
    expect(last.events.map((e) => e.seq)).toEqual([meta!.eventCount - 3, meta!.eventCount - 2, meta!.eventCount - 1]);
    const anyWire = (await store.events(id, 0, 20)).events.find((e) => e.kind === 'wire');
    expect(anyWire && anyWire.kind === 'wire' && anyWire.decoded.summary.proto).toBe('tcp');
  });
});
