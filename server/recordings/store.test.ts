import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingStore, metaOf } from './store.js';
import { mixedTrace } from './test-trace.js';
import { readCaptureFile } from '../pcap/read-capture.js';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function freshStore(): Promise<RecordingStore> {
  const dir = await mkdtemp(join(tmpdir(), 'socket-lab-store-'));
  dirs.push(dir);
  const store = new RecordingStore(dir);
  await store.init();
  return store;
}

describe('RecordingStore', () => {
  it('gives back exactly the trace it saved, whole or a window at a time, and stores each packet once', async () => {
    const store = await freshStore();
    const trace = mixedTrace('20260101-000000-saved');
    await store.save(trace);
    expect(store.list()).toEqual([metaOf(trace)]);
    expect(await store.trace(trace.id)).toEqual(trace);
    for (const [from, count] of [[0, 1], [3, 4], [5, 100], [trace.events.length - 1, 5]] as const) {
      const window = await store.events(trace.id, from, count);
      expect(window.total).toBe(trace.events.length);
      expect(window.events).toEqual(trace.events.slice(from, from + count));
    }
    // The capture is a pcapng file of the packets in trace order; the lines hold no packet bytes.
    const folder = join(store.dir, trace.id);
    const capture = readCaptureFile(new Uint8Array(await readFile(join(folder, 'capture.pcapng'))));
    const wire = trace.events.filter((e) => e.kind === 'wire');
    expect(capture.records.map((r) => Buffer.from(r.data).toString('base64'))).toEqual(wire.map((w) => w.data));
    const lines = await readFile(join(folder, 'events.ndjson'), 'utf8');
    expect(lines).not.toContain(wire[0]!.data);
    expect(lines).not.toContain('decoded');
    const captured = wire.reduce((n, w) => n + w.caplen, 0);
    const onDisk = (await stat(join(folder, 'capture.pcapng'))).size + (await stat(join(folder, 'events.ndjson'))).size;
    expect(onDisk / captured).toBeLessThan(3);
  });

  it('opens what a crash left of a run: the whole lines and packets before it, marked incomplete', async () => {
    const store = await freshStore();
    const trace = mixedTrace('20260101-000000-crashed');
    const { events: _events, ...meta } = trace;
    const recording = await store.begin(meta);
    for (const lane of trace.lanes) recording.writer.addLane(lane);
    for (const event of trace.events) recording.writer.addEvent(event);
    await recording.writer.drain();
    await recording.writer.close();
    // The crash cut the last line and the last packet block in half.
    const folder = join(store.dir, trace.id);
    const lines = await stat(join(folder, 'events.ndjson'));
    await truncate(join(folder, 'events.ndjson'), lines.size - 10);
    const capture = await stat(join(folder, 'capture.pcapng'));
    await truncate(join(folder, 'capture.pcapng'), capture.size - 30);

    const reopened = new RecordingStore(join(store.dir, '..'));
    await reopened.init();
    const [listed] = reopened.list();
    expect(listed).toMatchObject({ id: trace.id, incomplete: { code: 'RECORDING_INTERRUPTED' } });
    // The last packet is gone, and so is every event from it on.
    const lastWire = trace.events.findLastIndex((e) => e.kind === 'wire');
    expect(listed!.eventCount).toBe(lastWire);
    const { events } = await reopened.events(trace.id, 0, 1000);
    expect(events).toEqual(trace.events.slice(0, lastWire));
    expect(listed!.lanes).toEqual(trace.lanes);
  });

  it('opens recordings of the first format (trace.json) and sets aside what does not parse', async () => {
    const store = await freshStore();
    const data = join(store.dir, '..');
    const legacy = mixedTrace('20250101-000000-legacy');
    await mkdir(join(store.dir, legacy.id));
    await writeFile(join(store.dir, legacy.id, 'trace.json'), JSON.stringify(legacy));
    await writeFile(join(store.dir, legacy.id, 'meta.json'), JSON.stringify(metaOf(legacy)));
    // A power loss left an empty trace.json (renamed into place without a sync).
    const empty = mixedTrace('20250101-000000-empty');
    await mkdir(join(store.dir, empty.id));
    await writeFile(join(store.dir, empty.id, 'trace.json'), '');
    await writeFile(join(store.dir, empty.id, 'meta.json'), JSON.stringify(metaOf(empty)));
    const torn = '20250101-000000-torn';
    await mkdir(join(store.dir, torn));
    await writeFile(join(store.dir, torn, 'meta.json'), '{"id":"20250101-0');
    // A finished recording whose event lines a power loss left empty.
    const emptied = mixedTrace('20250101-000000-emptied');
    await store.save(emptied);
    await truncate(join(store.dir, emptied.id, 'events.ndjson'), 0);

    const reopened = new RecordingStore(data);
    await reopened.init();
    expect(reopened.list().map((m) => m.id)).toEqual([legacy.id]);
    expect(await reopened.trace(legacy.id)).toEqual(legacy);
    expect(reopened.setAside.map((s) => s.id).sort()).toEqual([empty.id, torn, emptied.id].sort());
    expect(reopened.setAside.find((s) => s.id === emptied.id)!.reason).toMatch(/too few for its \d+ events/);
    expect(reopened.setAside.find((s) => s.id === empty.id)!.reason).toMatch(/empty/);
    for (const { path } of reopened.setAside) expect(path).toContain('.set-aside');
    // Converted once: the next start finds the current format.
    expect(await stat(join(store.dir, legacy.id, 'trace.json')).catch(() => null)).toBeNull();
  });

  it('reaches a stated limit without losing what came before it', async () => {
    const store = await freshStore();
    const trace = mixedTrace('20260101-000000-limited');
    const { events: _events, ...meta } = trace;
    const recording = await store.begin(meta);
    // The limit is a million packets; pretend most of them were recorded already.
    recording.writer.packets = 999_998;
    for (const event of trace.events) recording.writer.addEvent(event);
    expect(recording.writer.limit?.code).toBe('RECORDING_LIMIT');
    expect(recording.writer.limit?.message).toMatch(/1,000,000 packets/);
    const saved = await recording.finish(trace);
    expect(saved.incomplete?.code).toBe('RECORDING_LIMIT');
    const upTo = trace.events.filter((e) => e.kind === 'wire')[2]!.seq;
    expect((await store.events(trace.id, 0, 1000)).events).toEqual(trace.events.slice(0, upTo));
  });
});
