import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors.js';
import { fixtureBytes, FIXTURES, hasTshark, seededRandom } from '../decode/fixtures/load.js';
import { concatBytes, encodePcap, pcapngBlock, u16, u32 } from './fixtures/encode.js';
import { readCaptureFile } from './read-capture.js';
import { skipWithout } from '../setup/expected-tools.js';

const twoInterfacesPath = join(import.meta.dirname, 'fixtures/two-interfaces.pcapng');
const twoInterfaces = new Uint8Array(readFileSync(twoInterfacesPath));

function errorOf(bytes: Uint8Array): Error {
  try {
    readCaptureFile(bytes);
  } catch (err) {
    expect(isLabError(err) && err.code).toBe('CAPTURE_MALFORMED');
    return err as Error;
  }
  throw new Error('expected CAPTURE_MALFORMED');
}

/** A hand-made pcapng: big-endian first section with two interfaces, then a little-endian one. */
function handMadePcapng(): Uint8Array {
  const be = false;
  const le = true;
  const shb = (little: boolean): Uint8Array =>
    pcapngBlock(0x0a0d0d0a, [...u32(0x1a2b3c4d, little), ...u16(1, little), ...u16(0, little), ...new Array(8).fill(0xff)], little);
  const packet = [0xde, 0xad, 0xbe, 0xef, 0x01];
  const epb = (little: boolean, id: number, ts: bigint, data: number[]): Uint8Array =>
    pcapngBlock(
      6,
      [...u32(id, little), ...u32(Number(ts >> 32n), little), ...u32(Number(ts & 0xffffffffn), little), ...u32(data.length, little), ...u32(data.length + 10, little), ...data],
      little,
    );
  return concatBytes([
    shb(be),
    // Interface 0: Ethernet, no if_tsresol, so microseconds.
    pcapngBlock(1, [...u16(1, be), 0, 0, ...u32(65535, be)], be),
    // Interface 1: raw IP, 2^-10 s ticks, 100 s offset.
    pcapngBlock(1, [...u16(101, be), 0, 0, ...u32(0, be), ...u16(9, be), ...u16(1, be), 0x8a, 0, 0, 0, ...u16(14, be), ...u16(8, be), 0, 0, 0, 0, 0, 0, 0, 100, 0, 0, 0, 0], be),
    epb(be, 0, 1_500_000n, packet),
    epb(be, 1, 1536n, packet.slice(0, 3)),
    // A block type this reader does not know: skipped.
    pcapngBlock(0x00000bad, [1, 2, 3, 4], be),
    // Simple packet block: original length 5, on interface 0, no timestamp.
    pcapngBlock(3, [...u32(5, be), ...packet], be),
    // Obsolete packet block: 16-bit interface id and drop count.
    pcapngBlock(2, [...u16(0, be), ...u16(0, be), ...u32(0, be), ...u32(2_000_000, be), ...u32(2, be), ...u32(2, be), 7, 8], be),
    shb(le),
    pcapngBlock(1, [...u16(1, le), 0, 0, ...u32(0, le), ...u16(9, le), ...u16(1, le), 9, 0, 0, 0, 0, 0, 0, 0], le),
    epb(le, 0, 1_234_567_890_123n, packet),
  ]);
}

describe('readCaptureFile: classic pcap', () => {
  it('reads the real tcpdump captures', () => {
    const file = readCaptureFile(fixtureBytes('handshake-ipv4'));
    expect(file).toMatchObject({ format: 'pcap', linktype: 1, snaplen: 262144 });
    expect(file.records).toHaveLength(10);
    expect(file.records.every((r) => r.linktype === 1 && r.caplen === r.data.length && r.len === r.caplen)).toBe(true);
  });

  it.skipIf(skipWithout(hasTshark(), 'tshark'))(`agrees with tshark on timestamps and lengths${hasTshark() ? '' : ' (skipped: tshark is not installed)'}`, () => {
    for (const name of FIXTURES) {
      const out = execFileSync(
        'tshark',
        ['-r', join(import.meta.dirname, `../decode/fixtures/${name}.pcap`), '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] },
      );
      const ours = readCaptureFile(fixtureBytes(name)).records.map(
        (r) => `${r.tsNs / 1_000_000_000n}.${String(r.tsNs % 1_000_000_000n).padStart(9, '0')}\t${r.len}`,
      );
      expect(ours).toEqual(out.trim().split('\n'));
    }
  });

  it('reads all four magic variants', () => {
    const records = readCaptureFile(fixtureBytes('udp-ipv6')).records;
    for (const littleEndian of [true, false]) {
      for (const nanosecond of [true, false]) {
        const file = readCaptureFile(encodePcap(records, { littleEndian, nanosecond, linktype: 1 }));
        expect(file.records.map((r) => r.data)).toEqual(records.map((r) => r.data));
        expect(file.records.map((r) => r.tsNs)).toEqual(records.map((r) => (nanosecond ? r.tsNs : (r.tsNs / 1000n) * 1000n)));
      }
    }
  });
});

describe('readCaptureFile: pcapng', () => {
  it('reads a dumpcap file with two interfaces of different link types, skipping statistics blocks', () => {
    const file = readCaptureFile(twoInterfaces);
    expect(file).toMatchObject({ format: 'pcapng', linktype: 1 });
    expect(file.records.map((r) => r.linktype)).toEqual([1, 1, 113, 113]);
    expect(file.records.map((r) => r.len)).toEqual([46, 42, 48, 44]);
    // The same packets seen on `lo` and on `any` carry the same timestamps.
    expect(file.records[0]!.tsNs).toBe(file.records[2]!.tsNs);
    expect(file.records[1]!.tsNs).toBe(file.records[3]!.tsNs);
  });

  it.skipIf(skipWithout(hasTshark(), 'tshark'))(`agrees with tshark on the dumpcap file${hasTshark() ? '' : ' (skipped: tshark is not installed)'}`, () => {
    const out = execFileSync('tshark', ['-r', twoInterfacesPath, '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.len'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const ours = readCaptureFile(twoInterfaces).records.map(
      (r) => `${r.tsNs / 1_000_000_000n}.${String(r.tsNs % 1_000_000_000n).padStart(9, '0')}\t${r.len}`,
    );
    expect(ours).toEqual(out.trim().split('\n'));
  });

  it('reads both byte orders, several sections, timestamp resolutions and offsets, SPB and OPB', () => {
    const file = readCaptureFile(handMadePcapng());
    expect(file.linktype).toBe(1);
    expect(file.snaplen).toBe(65535);
    expect(file.records.map((r) => [r.linktype, r.tsNs, r.caplen, r.len])).toEqual([
      [1, 1_500_000_000n, 5, 15],
      [101, 101_500_000_000n, 3, 13],
      [1, 0n, 5, 5],
      [1, 2_000_000_000n, 2, 2],
      [1, 1_234_567_890_123n, 5, 15],
    ]);
    expect(Array.from(file.records[0]!.data)).toEqual([0xde, 0xad, 0xbe, 0xef, 0x01]);
  });
});

describe('readCaptureFile: malformed files', () => {
  const pcap = fixtureBytes('handshake-ipv4');

  it('names what is wrong with a classic pcap and where', () => {
    expect(errorOf(new Uint8Array(0)).message).toMatch(/the file is empty/);
    expect(errorOf(new Uint8Array([1, 2, 3])).message).toMatch(/only 3 bytes long/);
    expect(errorOf(new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n')).message).toMatch(
      /not a pcap or pcapng file: it starts with 0x47455420/,
    );
    expect(errorOf(pcap.subarray(0, 10)).message).toMatch(/pcap header is cut short: 10 of 24 bytes/);
    expect(errorOf(pcap.subarray(0, pcap.length - 5)).message).toMatch(
      /packet 10 at byte \d+: it claims 66 bytes but the file ends after 61/,
    );
    expect(errorOf(pcap.subarray(0, 24 + 8)).message).toMatch(/packet 1 at byte 24: the record header is cut short \(8 of 16 bytes\)/);
    const huge = pcap.slice();
    new DataView(huge.buffer).setUint32(24 + 8, 1 << 30, true);
    expect(errorOf(huge).message).toMatch(/packet 1 at byte 24: it claims 1073741824 captured bytes, more than the limit/);
  });

  it('reads what tshark reads but notes the oddity: more bytes than the snapshot length, a fraction of a second or more', () => {
    const records = readCaptureFile(fixtureBytes('handshake-ipv4')).records.slice(0, 3);
    const snapped = encodePcap(records, { littleEndian: true, nanosecond: false, snaplen: 60 });
    const file = readCaptureFile(snapped);
    expect(file.records.map((r) => r.data.length)).toEqual(records.map((r) => r.data.length));
    expect(file.oddities).toEqual([
      { code: 'CAPLEN_OVER_SNAPLEN', packet: 1, count: 3, message: expect.stringMatching(/packet 1: it holds 74 captured bytes, more than the file's snapshot length of 60/) },
    ]);

    for (const nanosecond of [false, true]) {
      const bytes = encodePcap(records, { littleEndian: false, nanosecond });
      const view = new DataView(bytes.buffer);
      const second = nanosecond ? 1_000_000_000 : 1_000_000;
      const at = 24 + 16 + records[0]!.data.length; // packet 2's record header
      const sec = view.getUint32(at, false);
      view.setUint32(at + 4, second, false);
      const read = readCaptureFile(bytes);
      // The fraction is added as it is: a whole second more.
      expect(read.records[1]!.tsNs).toBe(BigInt(sec + 1) * 1_000_000_000n);
      expect(read.oddities.map((o) => [o.code, o.packet, o.count])).toEqual([['TIMESTAMP_FRACTION_OUT_OF_RANGE', 2, 1]]);
    }
    expect(readCaptureFile(fixtureBytes('handshake-ipv4')).oddities).toEqual([]);
  });

  it('names what is wrong with a pcapng block and where', () => {
    const bytes = handMadePcapng();
    const view = (b: Uint8Array): DataView => new DataView(b.buffer, b.byteOffset, b.byteLength);
    const badLength = bytes.slice();
    view(badLength).setUint32(4, 30, false);
    expect(errorOf(badLength).message).toMatch(/the block at byte 0 \(type 0x0a0d0d0a\) has an invalid length 30/);
    expect(errorOf(bytes.subarray(0, bytes.length - 8)).message).toMatch(/claims \d+ bytes but the file ends after/);
    const trailer = bytes.slice();
    trailer[27] = 0x99; // last byte of the section header's trailing length
    expect(errorOf(trailer).message).toMatch(/trailing length does not match/);
    const bom = bytes.slice();
    bom[8] = 0x00;
    expect(errorOf(bom).message).toMatch(/unknown byte-order magic/);
    const noInterface = concatBytes([bytes.subarray(0, 28), pcapngBlock(6, new Array(20).fill(0), false)]);
    expect(errorOf(noInterface).message).toMatch(/block at byte 28 \(type 0x00000006\): packet for interface 0, which was never described/);
    const idb = pcapngBlock(1, [0, 1, 0, 0, 0, 0, 0, 0], false);
    const pastBlock = concatBytes([bytes.subarray(0, 28), idb, pcapngBlock(6, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 9], false)]);
    expect(errorOf(pastBlock).message).toMatch(/its 9 packet bytes run past the end of the block/);
    expect(errorOf(bytes.subarray(0, 6)).message).toMatch(/the block at byte 0 is cut short/);
  });

  it('either reads or rejects corrupted files cleanly, with bounded work (fixed seed)', () => {
    const random = seededRandom(4242);
    const sources = [pcap, handMadePcapng(), twoInterfaces];
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const source = sources[i % sources.length]!;
      const bytes = source.slice(0, random() < 0.3 ? Math.floor(random() * source.length) : source.length);
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits && bytes.length; e++) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
      try {
        const file = readCaptureFile(bytes);
        expect(file.records.length).toBeLessThanOrEqual(bytes.length / 12);
      } catch (err) {
        expect(isLabError(err) && err.code).toBe('CAPTURE_MALFORMED');
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(100);
  });
});
