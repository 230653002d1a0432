/**
 * A window of a big recording is numbered as the whole run: the store keeps each connection's
 * ISNs and window scales (gathered as the recording is written) and hands them out with a window.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relativeNumbersByEvent } from '../contract/relative-seq.js';
import { importCapture } from './import.js';
import { RecordingStore } from './store.js';
import { seqOf, syntheticPcap } from '../pcap/synthetic-capture.js';

let dir: string;
let store: RecordingStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-lab-numbering-'));
  store = new RecordingStore(dir);
  await store.init();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('numbering a window as the whole run', () => {
  it('relative numbers in a window far from the handshake count from the run\'s ISNs', async () => {
    const meta = await importCapture(store, syntheticPcap(12_000), 'windows');
    const from = 9_000;
    const { events } = await store.events(meta.id, from, 500);
    const { numbering } = store.numberingOf(meta.id, events);
    expect(Object.values(numbering ?? {})).toEqual([{ isn: { client: seqOf(0), server: seqOf(1) }, wscale: { client: -1, server: -1 } }]);

    const whole = relativeNumbersByEvent(meta.lanes, events, numbering);
    const alone = relativeNumbersByEvent(meta.lanes, events);
    // Packet i is from the client when i is even; its seq is seqOf(i).
    for (const at of [0, 1, 250, 499]) {
      const i = from + at;
      const isn = i % 2 === 0 ? seqOf(0) : seqOf(1);
      expect(whole.get(at)?.seq, `packet ${i}`).toBe(seqOf(i) - isn);
    }
    // Without the base the window counts from its own first segments: the numbers the page used to show.
    expect(alone.get(0)?.seq).toBe(0);
    // A window that holds the handshake gets the same base, and numbers as before.
    const start = await store.events(meta.id, 0, 10);
    expect(store.numberingOf(meta.id, start.events).numbering).toEqual(numbering);
  });
});
