/**
 * A 1,000,000-packet capture is imported, listed, opened at its last packet, exported as pcapng
 * and imported again, in bounded memory: the process's resident size never grows by more than
 * MEMORY_BOUND over where it started (the capture itself is 54 MB; held as packets in memory it
 * would be several times that, and as the old trace JSON, gigabytes).
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CaptureReader } from '../pcap/capture-reader.js';
import { importCapture } from './import.js';
import { RecordingStore } from './store.js';
import { seqOf, syntheticPcap } from '../pcap/synthetic-capture.js';

const PACKETS = 1_000_000;
/** Measured alone the peak is about +126 MiB; in the full suite up to +260 MiB of heap V8 has not given back yet. */
const MEMORY_BOUND = 320 * 1024 * 1024;

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('a million packets', () => {
  it('imported, listed, opened at the last packet, exported and imported again in bounded memory', async () => {
    const data = await mkdtemp(join(tmpdir(), 'socket-lab-million-'));
    dirs.push(data);
    const store = new RecordingStore(data);
    await store.init();
    globalThis.gc?.();
    const start = process.memoryUsage().rss;
    let peak = start;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const meta = await importCapture(store, syntheticPcap(PACKETS), 'a million');
      expect(meta.eventCount).toBe(PACKETS);
      expect(store.list().map((m) => m.id)).toContain(meta.id);

      const { total, events } = await store.events(meta.id, PACKETS - 1, 1);
      expect(total).toBe(PACKETS);
      const last = events[0]!;
      expect(last.kind === 'wire' && last.decoded.summary.seq).toBe(seqOf(PACKETS - 1));
      expect(last.seq).toBe(PACKETS - 1);

      // The export, read as a stream, counted as it goes.
      const exported = store.pcapng(meta.id);
      const reader = new CaptureReader();
      let lastSeq = -1;
      const counted = async function* () {
        for await (const chunk of exported as AsyncIterable<Buffer>) {
          for (const record of reader.push(chunk)) lastSeq = Buffer.from(record.data).readUInt32BE(38);
          yield chunk;
        }
      };
      const again = await importCapture(store, counted(), 'the million again');
      reader.end();
      expect(reader.packets).toBe(PACKETS);
      expect(lastSeq).toBe(seqOf(PACKETS - 1));
      expect(again.eventCount).toBe(PACKETS);
      const reopened = await store.events(again.id, PACKETS - 1, 1);
      expect(reopened.events[0]).toEqual({ ...last });
      // The file on disk is what the export sends.
      let size = 0;
      for await (const chunk of createReadStream(join(store.dir, again.id, 'capture.pcapng'))) size += (chunk as Buffer).length;
      expect(size).toBeGreaterThan(PACKETS * 54);
    } finally {
      clearInterval(sampler);
    }
    expect(peak - start).toBeLessThan(MEMORY_BOUND);
  }, 600_000);
});
