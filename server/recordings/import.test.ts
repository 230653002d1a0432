import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCapture, importTrace, MAX_JSON_EVENTS } from './import.js';
import { RecordingStore } from './store.js';
import { readCaptureFile } from '../pcap/read-capture.js';
import { concatBytes, encodePcap, pcapngBlock, u16, u32 } from '../pcap/fixtures/encode.js';
import { LabError } from '../errors.js';

const fixtures = join(import.meta.dirname, '../decode/fixtures');
const handshake = new Uint8Array(readFileSync(join(fixtures, 'handshake-ipv4.pcap')));

let dir: string;
let store: RecordingStore;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-lab-import-'));
  store = new RecordingStore(dir);
  await store.init();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* once(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  yield bytes;
}

async function codeOf(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (err) {
    return err instanceof LabError ? err.code : String(err);
  }
  return undefined;
}

describe('importCapture', () => {
  it('keeps the clock non-negative when timestamps run backwards, and the result re-imports', async () => {
    const records = readCaptureFile(handshake).records.slice(0, 3);
    const shuffled = [
      { ...records[0]!, tsNs: 2_000_000_000_000_000_000n },
      { ...records[1]!, tsNs: 1_999_999_999_900_000_000n },
      { ...records[2]!, tsNs: 2_000_000_000_050_000_000n },
    ];
    const meta = await importCapture(store, once(encodePcap(shuffled, { littleEndian: true, nanosecond: true })));
    const trace = await store.trace(meta.id);
    expect(trace.events.map((e) => e.t)).toEqual([100_000, 0, 150_000]);
    expect(trace.durationUs).toBe(150_000);
    const again = await importTrace(store, once(Buffer.from(JSON.stringify(trace))));
    expect((await store.trace(again.id)).events).toEqual(trace.events);
  });

  it('refuses timestamps past any real date and captures beyond the stated limits, keeping nothing', async () => {
    const before = store.list().length;
    const [record] = readCaptureFile(handshake).records;
    const far = encodePcap([{ ...record!, tsNs: 4_000_000_000n * 1_000_000_000n }], { littleEndian: true, nanosecond: true });
    // 4e9 s fits in pcap's 32-bit seconds; it is year 2096, a real date: accepted.
    expect(await codeOf(() => importCapture(store, once(far)))).toBeUndefined();
    // pcapng can say more: with a resolution of one second per unit, a 64-bit count is no date at all.
    const le = true;
    const shb = pcapngBlock(0x0a0d0d0a, [...u32(0x1a2b3c4d, le), ...u16(1, le), ...u16(0, le), ...u32(0xffffffff, le), ...u32(0xffffffff, le)], le);
    const idb = pcapngBlock(1, [...u16(1, le), ...u16(0, le), ...u32(0, le), ...u16(9, le), ...u16(1, le), 0, 0, 0, 0, ...u16(0, le), ...u16(0, le)], le);
    const data = [...record!.data];
    const epb = pcapngBlock(6, [...u32(0, le), ...u32(0x7fffffff, le), ...u32(0, le), ...u32(data.length, le), ...u32(data.length, le), ...data, 0, 0], le);
    await expect(importCapture(store, once(concatBytes([shb, idb, epb])))).rejects.toThrow(/past any real date/);
    // An interface's time offset (if_tsoffset, signed seconds) can take a time below 1970, however far.
    for (const seconds of [-1n, -1_000_000_000_000_000n]) {
      const offset = Buffer.alloc(8);
      offset.writeBigInt64LE(seconds);
      const shifted = pcapngBlock(1, [...u16(1, le), ...u16(0, le), ...u32(0, le), ...u16(14, le), ...u16(8, le), ...offset, ...u16(0, le), ...u16(0, le)], le);
      const atZero = pcapngBlock(6, [...u32(0, le), ...u32(0, le), ...u32(0, le), ...u32(data.length, le), ...u32(data.length, le), ...data, 0, 0], le);
      const err = await importCapture(store, once(concatBytes([shb, shifted, atZero]))).catch((e: unknown) => e);
      expect(err instanceof LabError && err.code, String(seconds)).toBe('CAPTURE_MALFORMED');
      expect(String((err as Error).message)).toMatch(/packet 1's timestamp \(-\d+ ns\) is before 1970/);
    }
    expect(store.list()).toHaveLength(before + 1);
  });

  it('exports each packet with its own link type', async () => {
    const file = new Uint8Array(readFileSync(join(import.meta.dirname, '../pcap/fixtures/two-interfaces.pcapng')));
    const original = readCaptureFile(file);
    const linktypes = new Set(original.records.map((r) => r.linktype));
    expect(linktypes.size).toBeGreaterThan(1);
    const meta = await importCapture(store, once(file));
    const exported = await readFile(join(store.dir, meta.id, 'capture.pcapng'));
    const again = readCaptureFile(new Uint8Array(exported));
    expect(again.records.map((r) => r.linktype)).toEqual(original.records.map((r) => r.linktype));
    expect(again.records.map((r) => Buffer.from(r.data).toString('hex'))).toEqual(original.records.map((r) => Buffer.from(r.data).toString('hex')));
  });
});

describe('importTrace', () => {
  const json = (value: unknown) => once(Buffer.from(JSON.stringify(value)));

  it('counts packets and truncation from the events, not from what the file claims', async () => {
    const meta = await importCapture(store, once(handshake));
    const trace = JSON.parse(JSON.stringify(await store.trace(meta.id)));
    trace.counters = { packets: 999, truncated: 42, droppedByKernel: 3 };
    const imported = await importTrace(store, json(trace));
    expect(imported.counters).toEqual({ packets: trace.events.length, truncated: 0, droppedByKernel: 3 });
  });

  it('a trace exported while it was not saved is saved once imported; one that holds less stays marked', async () => {
    const meta = await importCapture(store, once(handshake));
    const trace = await store.trace(meta.id);
    const unsaved = await importTrace(store, json({ ...trace, incomplete: { code: 'DISK_FULL', message: 'no space' } }));
    expect(store.meta(unsaved.id).incomplete).toBeUndefined();
    const limited = await importTrace(store, json({ ...trace, incomplete: { code: 'RECORDING_LIMIT', message: 'limit' } }));
    expect(store.meta(limited.id).incomplete).toEqual({ code: 'RECORDING_LIMIT', message: 'limit' });
  });

  it('reads the JSON as it arrives, split anywhere, and refuses what is not a trace', async () => {
    const meta = await importCapture(store, once(handshake));
    const trace = await store.trace(meta.id);
    const text = Buffer.from(JSON.stringify(trace));
    async function* bytewise(): AsyncIterable<Uint8Array> {
      for (let at = 0; at < text.length; at += 7) yield text.subarray(at, at + 7);
    }
    const again = await importTrace(store, bytewise());
    expect((await store.trace(again.id)).events).toEqual(trace.events);
    const before = store.list().length;
    const bad = { ...JSON.parse(text.toString()), events: trace.events.map((e, i) => (i === 2 ? { ...e, seq: 7 } : e)) };
    expect(await codeOf(() => importTrace(store, json(bad)))).toBe('IMPORT_INVALID_TRACE');
    expect(await codeOf(() => importTrace(store, once(Buffer.from('{"format": '))))).toBe('IMPORT_INVALID_TRACE');
    expect(await codeOf(() => importTrace(store, json([1, 2, 3])))).toBe('IMPORT_INVALID_TRACE');
    expect(await codeOf(() => importTrace(store, json({ ...trace, title: 5 })))).toBe('IMPORT_INVALID_TRACE');
    expect(store.list().length).toBe(before);
  });

  it('refuses a timestamp past what pcapng holds, and stops reading at the event limit', async () => {
    const meta = await importCapture(store, once(handshake));
    const trace = JSON.parse(JSON.stringify(await store.trace(meta.id)));
    trace.events[0].tsNs = (2n ** 64n).toString();
    expect(await codeOf(() => importTrace(store, json(trace)))).toBe('IMPORT_INVALID_TRACE');
    // Ten times the limit of events, made as they are sent: the import stops at the limit.
    let sent = 0;
    const note = (seq: number) => JSON.stringify({ kind: 'note', seq, t: 0, key: 'x' });
    async function* many(): AsyncIterable<Uint8Array> {
      yield Buffer.from('{"events":[');
      for (let i = 0; i < MAX_JSON_EVENTS * 10; i += 1000) {
        sent = i + 1000;
        yield Buffer.from(Array.from({ length: 1000 }, (_, j) => note(i + j)).join(',') + ',');
      }
      yield Buffer.from('{}]}');
    }
    expect(await codeOf(() => importTrace(store, many()))).toBe('IMPORT_TOO_LARGE');
    expect(sent).toBeLessThanOrEqual(MAX_JSON_EVENTS + 2000);
  });
});
