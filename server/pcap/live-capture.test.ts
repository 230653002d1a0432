/** CaptureReader reads tcpdump's live stream (`-w -`) as it arrives, as the runner does. */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../decode/index.js';
import { CaptureReader } from './capture-reader.js';
import type { PcapRecord } from './pcap-format.js';

const canCapture = process.getuid?.() === 0;

describe.skipIf(!canCapture)(`CaptureReader on a live tcpdump stream${canCapture ? '' : ' (skipped: capturing needs root)'}`, () => {
  it('parses packets as tcpdump writes them', async () => {
    const server = net.createServer((sock) => sock.on('data', (d) => sock.end(d)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const tcpdump = spawn('tcpdump', ['-i', 'lo', '-n', '-U', '-w', '-', '--immediate-mode', '--time-stamp-precision=nano', `tcp port ${port}`]);
    try {
      const parser = new CaptureReader();
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
      const fins = (): number => records.filter((r) => decodeFrame(r.data, 1).summary.flags?.includes('FIN')).length;
      for (let i = 0; i < 150 && fins() < 2; i++) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 100));
      expect(parser.format).toBe('pcap');
      expect(parser.linktype).toBe(1);
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
