/**
 * The decoder against tshark on the public captures of other projects (tcpdump's and Zeek's test
 * traces, many malformed on purpose): every frame read, every header field and checksum verdict
 * the decoder shows equal to tshark's.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../contract/trace.js';
import { readCaptureFile, type CaptureFile } from '../pcap/read-capture.js';
import { hasWiresharkTools, realCaptures, realCapturesDir, tsharkRows, type RealCapture, type TsharkRow } from './fixtures/real-captures.js';
import { compareWithTshark } from './fixtures/tshark-compare.js';
import { decodeFrame } from './index.js';

const dir = realCapturesDir();
const skipReason = !dir
  ? 'no ../shared/pcaps beside this clone (set SOCKET_LAB_PCAPS to the folder of public captures)'
  : !hasWiresharkTools()
    ? 'tshark or mergecap is not installed'
    : '';

describe.skipIf(!!skipReason)(`the decoder agrees with tshark on public captures${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let captures: RealCapture[] = [];
  let rows: TsharkRow[] = [];
  beforeAll(() => {
    captures = realCaptures(dir!);
    rows = tsharkRows(captures.map((c) => c.path));
  });
  const read = (capture: RealCapture): CaptureFile => readCaptureFile(new Uint8Array(readFileSync(capture.path)));
  const decode = (file: CaptureFile): DecodedPacket[] => file.records.map((r) => decodeFrame(r.data, r.linktype ?? file.linktype, r.len));

  it('reads every frame of every capture and shows every header field and checksum verdict as tshark does', () => {
    expect(captures.length).toBeGreaterThan(100);
    expect(rows.length).toBe(captures.reduce((n, c) => n + c.frames, 0));
    const disagreements: string[] = [];
    let at = 0;
    let frames = 0;
    for (const capture of captures) {
      const theirs = rows.slice(at, at + capture.frames);
      at += capture.frames;
      let file: CaptureFile;
      try {
        file = read(capture);
      } catch (err) {
        disagreements.push(`${capture.name}: refused: ${(err as Error).message}`);
        continue;
      }
      if (file.records.length !== capture.frames) {
        disagreements.push(`${capture.name}: ${file.records.length} frames read, tshark reads ${capture.frames}`);
        continue;
      }
      decode(file).forEach((packet, i) => {
        for (const d of compareWithTshark(packet, theirs[i]!)) disagreements.push(`${capture.name} #${i + 1}: ${d}`);
        frames++;
      });
    }
    expect(disagreements).toEqual([]);
    expect(frames).toBe(rows.length);
  });

  it('notes what is odd in the four captures tshark reads though they break the format', () => {
    const odd = Object.fromEntries(
      captures.flatMap((c) => {
        const oddities = read(c).oddities;
        return oddities.length ? [[c.name, oddities.map((o) => o.code)]] : [];
      }),
    );
    expect(odd).toEqual({
      'td__mptcp-dss-oobr.pcap': ['CAPLEN_OVER_SNAPLEN'],
      'td__timestamp_invalid_micro.pcap': ['TIMESTAMP_FRACTION_OUT_OF_RANGE'],
      'td__timestamp_invalid_nano.pcap': ['TIMESTAMP_FRACTION_OUT_OF_RANGE'],
      'zk__trunc__trunc-hdr.pcap': ['CAPLEN_OVER_SNAPLEN'],
    });
  });

  it('fails on any field or verdict that differs (the comparison itself is checked)', () => {
    const capture = captures.find((c) => c.name === 'zk__chksums__ip6-hoa-tcp-good-chksum.pcap')!;
    const first = rows[captures.slice(0, captures.indexOf(capture)).reduce((n, c) => n + c.frames, 0)]!;
    const packet = decode(read(capture))[0]!;
    expect(compareWithTshark(packet, first)).toEqual([]);
    const tcp = packet.layers.find((l) => l.name === 'tcp')!;
    const checksum = tcp.fields.find((f) => f.name === 'checksum')!;
    checksum.checksum = 'bad';
    const window = tcp.fields.find((f) => f.name === 'window')!;
    window.raw = Number(window.raw) + 1;
    const ipv6 = packet.layers.find((l) => l.name === 'ipv6')!;
    ipv6.fields.find((f) => f.name === 'src')!.display = '::2';
    expect(compareWithTshark(packet, first)).toEqual([
      expect.stringMatching(/^ipv6\.src: ::2 ≠ /),
      expect.stringMatching(/^tcp\.window: \d+ ≠ \d+$/),
      'tcp.checksum verdict: bad ≠ ok',
    ]);
    packet.layers.splice(packet.layers.indexOf(tcp), 1);
    expect(compareWithTshark(packet, first)[0]).toMatch(/^layers: ethernet:ipv6 ≠ ethernet:ipv6:tcp/);
  });
});
