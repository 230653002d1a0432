import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { isLabError } from '../errors.js';
import { fixtureBytes, FIXTURES, seededRandom } from '../decode/fixtures/load.js';
import { decodeFrame } from '../decode/index.js';
import { encodePcap } from './fixtures/encode.js';
import { PcapStreamParser, type PcapRecord } from './pcap-stream.js';
import { readCaptureFile } from './read-capture.js';
import { skipWithout } from '../setup/expected-tools.js';

function feed(bytes: Uint8Array, sizes: () => number): { parser: PcapStreamParser; records: PcapRecord[] } {
  const parser = new PcapStreamParser();
  const records: PcapRecord[] = [];
  for (let at = 0; at < bytes.length; ) {
    const n = Math.max(1, sizes());
    records.push(...parser.push(bytes.subarray(at, at + n)));
    at += n;
  }
  return { parser, records };
}

function strip(records: PcapRecord[]): Omit<PcapRecord, 'linktype'>[] {
  return records.map(({ tsNs, caplen, len, data }) => ({ tsNs, caplen, len, data }));
}

function pushError(parser: PcapStreamParser, bytes: Uint8Array): unknown {
  try {
    parser.push(bytes);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('PcapStreamParser', () => {
  it('gives the same records fed byte by byte, in random chunks, or at once', () => {
    const random = seededRandom(99);
    for (const name of FIXTURES) {
      const bytes = fixtureBytes(name);
      const expected = strip(readCaptureFile(bytes).records);
      expect(expected.length).toBeGreaterThan(0);
      const single = feed(bytes, () => 1);
      expect(single.records).toEqual(expected);
      expect(single.parser.header).toMatchObject({ linktype: 1, snaplen: 262144, nanosecond: true });
      expect(single.parser.pendingBytes).toBe(0);
      expect(feed(bytes, () => Math.floor(random() * 200)).records).toEqual(expected);
      expect(feed(bytes, () => bytes.length).records).toEqual(expected);
    }
  });

  it('knows the header only once 24 bytes have arrived, and returns a record only when complete', () => {
    const bytes = fixtureBytes('udp-ipv4');
    const parser = new PcapStreamParser();
    expect(parser.push(bytes.subarray(0, 23))).toEqual([]);
    expect(parser.header).toBeNull();
    expect(parser.push(bytes.subarray(23, 24 + 16 + 10))).toEqual([]);
    expect(parser.header?.linktype).toBe(1);
    const [first] = parser.push(bytes.subarray(50, 24 + 16 + 46));
    expect(first?.caplen).toBe(46);
    expect(decodeFrame(first!.data, 1, first!.len).summary.payloadLength).toBe(4);
  });

  it('reads all four magic variants', () => {
    const records = strip(readCaptureFile(fixtureBytes('handshake-ipv4')).records);
    for (const littleEndian of [true, false]) {
      for (const nanosecond of [true, false]) {
        const bytes = encodePcap(records, { littleEndian, nanosecond });
        const { parser, records: got } = feed(bytes, () => 7);
        expect(parser.header).toMatchObject({ littleEndian, nanosecond, linktype: 1 });
        expect(got.map((r) => r.data)).toEqual(records.map((r) => r.data));
        const expectedTs = records.map((r) => (nanosecond ? r.tsNs : (r.tsNs / 1000n) * 1000n));
        expect(got.map((r) => r.tsNs)).toEqual(expectedTs);
      }
    }
  });

  it('throws PCAP_MALFORMED for a bad magic, and keeps failing after', () => {
    const parser = new PcapStreamParser();
    const bytes = fixtureBytes('udp-ipv4').slice();
    bytes[0] = 0x00;
    const err = pushError(parser, bytes);
    expect(isLabError(err) && err.code).toBe('PCAP_MALFORMED');
    expect((err as Error).message).toMatch(/magic 0x003cb2a1 at byte 0/);
    expect(isLabError(pushError(parser, new Uint8Array(1)))).toBe(true);
  });

  it('throws PCAP_MALFORMED for a caplen beyond the snapshot length or 256 KiB', () => {
    const records = strip(readCaptureFile(fixtureBytes('udp-ipv4')).records);
    const small = encodePcap(records, { littleEndian: true, nanosecond: true, snaplen: 40 });
    const err = pushError(new PcapStreamParser(), small);
    expect(isLabError(err) && err.code).toBe('PCAP_MALFORMED');
    expect((err as Error).message).toMatch(/record at byte 24 claims 46 captured bytes, more than the limit of 40/);
    const huge = encodePcap(records, { littleEndian: true, nanosecond: true, snaplen: 0 });
    new DataView(huge.buffer).setUint32(24 + 8, 300_000, true);
    expect((pushError(new PcapStreamParser(), huge) as Error).message).toMatch(/more than the limit of 262144/);
  });
});

const canCapture = process.getuid?.() === 0;

describe.skipIf(skipWithout(canCapture, 'root for tcpdump'))(`PcapStreamParser on a live tcpdump stream${canCapture ? '' : ' (skipped: capturing needs root)'}`, () => {
  it('parses packets as tcpdump writes them', async () => {
    const server = net.createServer((sock) => sock.on('data', (d) => sock.end(d)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const tcpdump = spawn('tcpdump', ['-i', 'lo', '-n', '-U', '-w', '-', '--immediate-mode', '--time-stamp-precision=nano', `tcp port ${port}`]);
    try {
      const parser = new PcapStreamParser();
      const records: PcapRecord[] = [];
      tcpdump.stdout.on('data', (chunk: Buffer) => records.push(...parser.push(new Uint8Array(chunk))));
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('tcpdump did not start')), 10_000);
        tcpdump.stderr.on('data', (d: Buffer) => {
          if (d.toString().includes('listening on')) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await new Promise<void>((resolve, reject) => {
        const client = net.connect(port, '127.0.0.1', () => client.write('stream me'));
        client.on('data', () => {});
        client.on('end', () => client.end());
        client.on('close', () => resolve());
        client.on('error', reject);
      });
      // The teardown's last packets follow the close; wait (bounded) for both FINs and the last ACK.
      const flagsOf = (): string[][] => records.map((r) => decodeFrame(r.data, 1).summary.flags ?? []);
      /** The second FIN has come, and after it the ACK that closes the connection. */
      const closed = (): boolean => {
        const flags = flagsOf();
        const second = flags.map((f, i) => (f.includes('FIN') ? i : -1)).filter((i) => i >= 0)[1];
        return second !== undefined && flags.slice(second + 1).some((f) => f.includes('ACK') && !f.includes('FIN'));
      };
      for (let i = 0; i < 150 && !closed(); i++) await new Promise((r) => setTimeout(r, 20));
      expect(closed()).toBe(true);
      expect(parser.header).toMatchObject({ linktype: 1, nanosecond: true });
      const decoded = records.map((r) => decodeFrame(r.data, 1, r.len).summary);
      expect(decoded[0]?.flags).toEqual(['SYN']);
      expect(decoded[1]?.flags).toEqual(['ACK', 'SYN']);
      expect(decoded.some((s) => s.payloadLength === 9)).toBe(true);
      expect(decoded.filter((s) => s.flags?.includes('FIN')).length).toBe(2);
      expect(records.every((r, i) => i === 0 || r.tsNs >= records[i - 1]!.tsNs)).toBe(true);
    } finally {
      tcpdump.kill('SIGINT');
      await new Promise((resolve) => (tcpdump.exitCode !== null ? resolve(null) : tcpdump.once('exit', resolve)));
      server.close();
    }
  });
});
