import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixtureBytes, fixturePath, FIXTURES } from '../decode/fixtures/load.js';
import { readCaptureFile } from './read-capture.js';
import { writePcapng } from './write-pcapng.js';
import { skipWithout } from '../setup/expected-tools.js';

function hasTool(tool: string): boolean {
  try {
    execFileSync(tool, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'socket-lab-pcapng-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(tool: string, args: string[]): string {
  return execFileSync(tool, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

function exportFixture(name: string, comments = false): string {
  const file = readCaptureFile(fixtureBytes(name));
  const bytes = writePcapng({
    linktype: file.linktype,
    snaplen: file.snaplen,
    records: file.records.map((r, i) => (comments ? { ...r, comment: `packet ${i + 1}` } : r)),
    comment: `fixture ${name}`,
    os: 'Linux',
  });
  const path = join(dir, `${name}.pcapng`);
  writeFileSync(path, bytes);
  return path;
}

describe('writePcapng', () => {
  it('round-trips through readCaptureFile with identical bytes, lengths and nanosecond timestamps', () => {
    for (const name of FIXTURES) {
      const original = readCaptureFile(fixtureBytes(name));
      const written = writePcapng({ linktype: original.linktype, snaplen: original.snaplen, records: original.records });
      expect(new DataView(written.buffer).getUint32(0, true)).toBe(0x0a0d0d0a);
      expect(written.length % 4).toBe(0);
      const back = readCaptureFile(written);
      expect(back).toMatchObject({ format: 'pcapng', linktype: original.linktype, snaplen: original.snaplen });
      expect(back.records).toEqual(original.records);
    }
  });

  it('describes one interface per link type and keeps each record on its own', () => {
    const [a, b] = readCaptureFile(fixtureBytes('udp-ipv4')).records;
    const records = [a!, { ...b!, linktype: 101, data: b!.data.subarray(14), caplen: b!.caplen - 14, len: b!.len - 14 }, a!];
    const back = readCaptureFile(writePcapng({ linktype: 1, snaplen: 65535, records }));
    expect(back.records.map((r) => r.linktype)).toEqual([1, 101, 1]);
    expect(back.records[1]!.data).toEqual(b!.data.subarray(14));
  });

  it('keeps timestamps beyond 32 bits of nanoseconds and packets of odd lengths', () => {
    const records = [1, 2, 3, 4, 5].map((n) => ({
      tsNs: 1_700_000_000_123_456_789n + BigInt(n),
      caplen: n,
      len: n + 100,
      data: new Uint8Array(n).fill(n),
    }));
    expect(readCaptureFile(writePcapng({ linktype: 1, snaplen: 0, records })).records).toEqual(
      records.map((r) => ({ ...r, linktype: 1 })),
    );
  });

  const tshark = hasTool('tshark');
  it.skipIf(skipWithout(!!tshark, 'tshark'))(`opens in tshark, which reads the same packets as from the tcpdump original${tshark ? '' : ' (skipped: tshark is not installed)'}`, () => {
    for (const name of FIXTURES) {
      const path = exportFixture(name, true);
      const fields = ['-T', 'fields', '-e', 'frame.number', '-e', 'tcp.flags.str', '-e', 'frame.time_epoch', '-e', 'frame.len'];
      const ours = run('tshark', ['-r', path, ...fields]);
      expect(ours.trim().split('\n')).toHaveLength(readCaptureFile(fixtureBytes(name)).records.length);
      expect(ours).toBe(run('tshark', ['-r', fixturePath(name), ...fields]));
      const comments = run('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.comment']).trim().split('\n');
      expect(comments[0]).toBe('packet 1');
    }
    const flags = run('tshark', ['-r', exportFixture('handshake-ipv4'), '-T', 'fields', '-e', 'tcp.flags.str']);
    expect(flags.trim().split('\n').slice(0, 3)).toEqual(['··········S·', '·······A··S·', '·······A····']);
  });

  const capinfos = hasTool('capinfos');
  it.skipIf(skipWithout(!!capinfos, 'capinfos'))(`carries the file comment, application name and nanosecond resolution${capinfos ? '' : ' (skipped: capinfos is not installed)'}`, () => {
    const info = run('capinfos', [exportFixture('handshake-ipv6')]);
    expect(info).toMatch(/Capture comment:\s+fixture handshake-ipv6/);
    expect(info).toMatch(/Capture application:\s+Socket Lab/);
    expect(info).toMatch(/Capture oper-sys:\s+Linux/);
    expect(info).toMatch(/Time precision = nanoseconds \(9\)/);
  });
});
