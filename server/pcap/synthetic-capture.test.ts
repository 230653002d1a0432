import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../decode/index.js';
import { readCaptureFile } from './read-capture.js';
import { syntheticTcpCapture } from './synthetic-capture.js';
import { skipWithout } from '../setup/expected-tools.js';

function hasTcpdump(): boolean {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('syntheticTcpCapture', () => {
  const bytes = syntheticTcpCapture({ packets: 500, seed: 3 });

  it('writes exactly the packets asked for, every one sound: correct checksums, nothing malformed', () => {
    const file = readCaptureFile(bytes);
    expect(file.records).toHaveLength(500);
    const decoded = file.records.map((r) => decodeFrame(r.data, 1, r.len));
    for (const p of decoded) {
      expect(p.layers.some((l) => l.malformed)).toBe(false);
      const checksums = p.layers.flatMap((l) => l.fields).filter((f) => f.name === 'checksum');
      expect(checksums.map((f) => f.checksum)).toEqual(['ok', 'ok']);
    }
    const flags = decoded.slice(0, 3).map((p) => p.summary.flags);
    expect(flags).toEqual([['SYN'], ['ACK', 'SYN'], ['ACK']]);
    expect(decoded[1]!.summary.ack).toBe(decoded[0]!.summary.seq! + 1);
    expect(readCaptureFile(syntheticTcpCapture({ packets: 500, seed: 3 })).records.length).toBe(500);
    expect(syntheticTcpCapture({ packets: 500, seed: 3 })).toEqual(bytes);
  });

  it.skipIf(skipWithout(hasTcpdump(), 'tcpdump'))('is read by tcpdump as an ordinary capture', () => {
    const dir = mkdtempSync(join(tmpdir(), 'socket-lab-synthetic-'));
    try {
      const path = join(dir, 'synthetic.pcap');
      writeFileSync(path, bytes);
      const lines = execFileSync('tcpdump', ['-nr', path], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n');
      expect(lines).toHaveLength(500);
      expect(lines[0]).toMatch(/IP 10\.0\.0\.\d+\.\d+ > 10\.1\.0\.1\.\d+: Flags \[S\]/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
