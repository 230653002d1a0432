import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { importCapture, importTraceJson, MAX_IMPORT_PACKETS } from './import.js';
import { traceToPcapng } from './pcapng.js';
import { readCaptureFile } from '../pcap/read-capture.js';
import { concatBytes, encodePcap, pcapngBlock, u16, u32 } from '../pcap/fixtures/encode.js';
import { LabError } from '../errors.js';

const fixtures = join(import.meta.dirname, '../decode/fixtures');
const handshake = new Uint8Array(readFileSync(join(fixtures, 'handshake-ipv4.pcap')));

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return err instanceof LabError ? err.code : String(err);
  }
  return undefined;
}

describe('importCapture', () => {
  it('keeps the clock non-negative when timestamps run backwards, and the result re-imports', () => {
    const records = readCaptureFile(handshake).records.slice(0, 3);
    const shuffled = [
      { ...records[0]!, tsNs: 2_000_000_000_000_000_000n },
      { ...records[1]!, tsNs: 1_999_999_999_900_000_000n },
      { ...records[2]!, tsNs: 2_000_000_000_050_000_000n },
    ];
    const trace = importCapture(encodePcap(shuffled, { littleEndian: true, nanosecond: true }));
    expect(trace.events.map((e) => e.t)).toEqual([100_000, 0, 150_000]);
    expect(trace.durationUs).toBe(150_000);
    expect(importTraceJson(JSON.parse(JSON.stringify(trace))).events).toHaveLength(3);
  });

  it('refuses timestamps past any real date and captures too large to teach with', () => {
    const [record] = readCaptureFile(handshake).records;
    const far = encodePcap([{ ...record!, tsNs: 4_000_000_000n * 1_000_000_000n }], { littleEndian: true, nanosecond: true });
    // 4e9 s fits in pcap's 32-bit seconds; it is year 2096, a real date: accepted.
    expect(codeOf(() => importCapture(far))).toBeUndefined();
    // pcapng can say more: with a resolution of one second per unit, a 64-bit count is no date at all.
    const le = true;
    const shb = pcapngBlock(0x0a0d0d0a, [...u32(0x1a2b3c4d, le), ...u16(1, le), ...u16(0, le), ...u32(0xffffffff, le), ...u32(0xffffffff, le)], le);
    const idb = pcapngBlock(1, [...u16(1, le), ...u16(0, le), ...u32(0, le), ...u16(9, le), ...u16(1, le), 0, 0, 0, 0, ...u16(0, le), ...u16(0, le)], le);
    const data = [...record!.data];
    const epb = pcapngBlock(6, [...u32(0, le), ...u32(0x7fffffff, le), ...u32(0, le), ...u32(data.length, le), ...u32(data.length, le), ...data, 0, 0], le);
    expect(() => importCapture(concatBytes([shb, idb, epb]))).toThrow(/past any real date/);
    const tiny = { tsNs: 1n, caplen: 1, len: 1, data: new Uint8Array(1) };
    const many = encodePcap(Array.from({ length: MAX_IMPORT_PACKETS + 1 }, () => tiny), { littleEndian: true, nanosecond: false });
    expect(codeOf(() => importCapture(many))).toBe('IMPORT_TOO_LARGE');
  });

  it('exports each packet with its own link type', () => {
    const file = new Uint8Array(readFileSync(join(import.meta.dirname, '../pcap/fixtures/two-interfaces.pcapng')));
    const original = readCaptureFile(file);
    const linktypes = new Set(original.records.map((r) => r.linktype));
    expect(linktypes.size).toBeGreaterThan(1);
    const again = readCaptureFile(traceToPcapng(importCapture(file)));
    expect(again.records.map((r) => r.linktype)).toEqual(original.records.map((r) => r.linktype));
  });
});

describe('importTraceJson', () => {
  it('counts packets and truncation from the events, not from what the file claims', () => {
    const trace = JSON.parse(JSON.stringify(importCapture(handshake)));
    trace.counters = { packets: 999, truncated: 42, droppedByKernel: 3 };
    const imported = importTraceJson(trace);
    expect(imported.counters).toEqual({ packets: trace.events.length, truncated: 0, droppedByKernel: 3 });
  });
});
