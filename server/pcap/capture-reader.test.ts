import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaptureReader } from './capture-reader.js';
import { readCaptureFile } from './read-capture.js';
import type { PcapRecord } from './pcap-format.js';

const files = [
  join(import.meta.dirname, 'fixtures/two-interfaces.pcapng'),
  join(import.meta.dirname, '../decode/fixtures/handshake-ipv6.pcap'),
];

function inPieces(bytes: Uint8Array, size: number, data: 'copy' | 'view' = 'copy'): PcapRecord[] {
  const reader = new CaptureReader({ data });
  const records: PcapRecord[] = [];
  for (let at = 0; at < bytes.length; at += size) records.push(...reader.push(bytes.subarray(at, at + size)));
  reader.end();
  return records;
}

describe('CaptureReader', () => {
  it('reads a file split anywhere exactly as it reads it whole', () => {
    for (const path of files) {
      const bytes = new Uint8Array(readFileSync(path));
      const whole = readCaptureFile(bytes).records;
      expect(whole.length).toBeGreaterThan(2);
      for (const size of [1, 7, 64, 4096]) expect(inPieces(bytes, size)).toEqual(whole);
    }
  });

  it('in view mode copies no packet and never writes over one it has handed out', () => {
    for (const path of files) {
      const bytes = new Uint8Array(readFileSync(path));
      const copies = inPieces(bytes, 4096);
      const whole = readCaptureFile(bytes).records;
      expect(whole.every((r) => r.data.buffer === bytes.buffer)).toBe(true);
      for (const size of [1, 7, 64, 100]) {
        const views = inPieces(bytes, size, 'view');
        expect(views).toEqual(copies);
      }
    }
  });

  it('says where a file ends short when its bytes sit inside a larger buffer', () => {
    const file = new Uint8Array(readFileSync(files[1]!));
    const padded = new Uint8Array(file.length + 8);
    padded.set(file, 8);
    const cut = padded.subarray(8, 8 + file.length - 3);
    const alone = file.slice(0, file.length - 3);
    const ending = (bytes: Uint8Array, data: 'copy' | 'view'): string => {
      const reader = new CaptureReader({ data });
      reader.push(bytes);
      try {
        reader.end();
      } catch (err) {
        return (err as Error).message;
      }
      return 'no error';
    };
    const expected = ending(alone, 'copy');
    expect(expected).toMatch(/claims [1-9]\d* bytes but the file ends after \d+/);
    expect(ending(cut, 'view')).toBe(expected);
    expect(ending(cut, 'copy')).toBe(expected);
  });

  it('counts packets as they arrive, before the file has ended', () => {
    const bytes = new Uint8Array(readFileSync(files[1]!));
    const reader = new CaptureReader();
    reader.push(bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(reader.packets).toBeGreaterThan(0);
    expect(reader.packets).toBeLessThan(readCaptureFile(bytes).records.length);
    expect(() => reader.end()).toThrow(/cut short|file ends after/);
  });

  it('refuses a pcapng block that claims more bytes than any packet needs, without waiting for them', () => {
    const reader = new CaptureReader();
    const block = new Uint8Array(12);
    const view = new DataView(block.buffer);
    view.setUint32(0, 0x0a0d0d0a, false);
    view.setUint32(4, 0x7ffffff0, true);
    view.setUint32(8, 0x1a2b3c4d, true);
    expect(() => reader.push(block)).toThrow(/more than any block this lab reads/);
  });
});
