/**
 * The fast summary says what the full decoder's summary says, on every frame the decoder tests
 * use (real loopback captures, hand-made frames, thousands of corruptions and cut-offs) and on
 * every frame of the public captures when they are here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCaptureFile } from '../pcap/read-capture.js';
import { corpusFrames } from './fixtures/corpus.js';
import { FIXTURES, loadFixture } from './fixtures/load.js';
import { realCaptures, realCapturesDir } from './fixtures/real-captures.js';
import { decodeFrame, summarizeFrame } from './index.js';
import { fastSummary } from './summary.js';
import { concat, ethernet, ipv4, ipv6, tcp, udp } from './fixtures/craft.js';
import { MUTATION_RUN, once } from '../setup/mutation-run.js';

describe('summarizeFrame', () => {
  it(`gives the full decoder’s summary on every frame of the test corpus${MUTATION_RUN ? ' (a sample in a mutation run)' : ''}`, () => {
    const all = corpusFrames();
    expect(all.length).toBeGreaterThan(5000);
    // Each mutant runs this test: there, the real and hand-made frames (first), the hand-edited
    // ones (last), every frame of another link type, and a tenth of the corruptions and cut-offs.
    const frames = MUTATION_RUN ? all.filter((f, i) => i < 200 || i >= all.length - 20 || f.linktype !== 1 || i % 10 === 0) : all;
    for (const [i, f] of frames.entries()) {
      expect(summarizeFrame(f.data, f.linktype, f.len, f.options), `frame ${i}`).toEqual(decodeFrame(f.data, f.linktype, f.len, f.options).summary);
    }
  });

  it('summarizes a real connection: addresses, ports, flags, numbers, options, lengths', () => {
    const [syn, synAck, , data] = loadFixture(FIXTURES[0]).map((r) => summarizeFrame(r.data, 1, r.len, { loopback: true }));
    expect(syn).toMatchObject({ ip: 4, src: '127.0.0.1', dst: '127.0.0.1', proto: 'tcp', flags: ['SYN'], payloadLength: 0 });
    expect(syn!.tcpOptions).toMatchObject({ mss: 65495, sackPerm: true });
    expect(syn!.info).toMatch(/^\d+ → 40111 \[SYN\] Seq=\d+ Win=65495 Len=0 MSS=65495 SACK_PERM TSval=\d+ TSecr=0 WS=1024$/);
    expect(synAck!.flags).toEqual(['ACK', 'SYN']);
    expect(synAck!.ack).toBe(syn!.seq! + 1);
    expect(data!.payloadLength).toBe(5);
  });

  it('answers the usual frames itself, without the full decoder', () => {
    for (const name of FIXTURES) {
      for (const r of loadFixture(name)) expect(fastSummary(r.data, 1, r.len), name).toBeDefined();
    }
    const [syn] = loadFixture(FIXTURES[0]);
    expect(fastSummary(syn!.data.subarray(0, 60), 1, syn!.len)).toBeUndefined();
  });

  it('answers raw IP frames itself too (link types 101, 228 for IPv4, 229 for IPv6), as the full decoder does', () => {
    for (const name of FIXTURES) {
      for (const r of loadFixture(name)) {
        const ip = r.data.subarray(14);
        const version = ip[0]! >> 4;
        for (const linktype of [101, version === 4 ? 228 : 229]) {
          const fast = fastSummary(ip, linktype, ip.length);
          expect(fast, `${name} as link type ${linktype}`).toBeDefined();
          expect(fast).toEqual(decodeFrame(ip, linktype, ip.length).summary);
        }
        // The other version's link type is not this packet: the full decoder says what is wrong.
        expect(fastSummary(ip, version === 4 ? 229 : 228, ip.length)).toBeUndefined();
      }
    }
    expect(fastSummary(new Uint8Array(0), 101, 0)).toBeUndefined();
    expect(fastSummary(new Uint8Array([0x50, 0, 0, 0]), 101, 4)).toBeUndefined();
  });

  const dir = realCapturesDir();
  it.skipIf(MUTATION_RUN || !dir)(`gives the full decoder’s summary on every frame of the public captures${dir ? '' : ' (skipped: no ../shared/pcaps beside this clone)'}`, () => {
    let frames = 0;
    let fast = 0;
    for (const capture of realCaptures(dir!)) {
      const file = readCaptureFile(new Uint8Array(readFileSync(capture.path)));
      for (const [i, r] of file.records.entries()) {
        const linktype = r.linktype ?? file.linktype;
        expect(summarizeFrame(r.data, linktype, r.len), `${capture.name} #${i + 1}`).toEqual(decodeFrame(r.data, linktype, r.len).summary);
        frames++;
        if (fastSummary(r.data, linktype, r.len)) fast++;
      }
    }
    expect(frames).toBeGreaterThan(18000);
    // Most of them are plain TCP or UDP the fast path reads itself.
    expect(fast / frames).toBeGreaterThan(0.5);
  });
});

describe('what the fast summary reads itself and what it hands to the full decoder', () => {
  const u16 = (n: number): number[] => [(n >> 8) & 0xff, n & 0xff];
  const u32 = (n: number): number[] => [...u16(n >>> 16), ...u16(n & 0xffff)];
  const eth4 = (protocol: number, payload: Uint8Array, options: number[] = []) => ethernet(0x0800, ipv4(protocol, payload, options));
  const eth6 = (next: number, payload: Uint8Array) => ethernet(0x86dd, ipv6(next, payload));
  const edit = (frame: Uint8Array, at: number, bytes: number[]): Uint8Array => {
    const copy = frame.slice();
    copy.set(bytes, at);
    return copy;
  };
  const withOptions = (options: number[]) => eth4(6, tcp(options, [1, 2]));
  const IP = 14;
  const TCP = 14 + 20;

  /** [what, frame, link type, length on the wire, read by the fast path]. */
  const cases = once((): [string, Uint8Array, number, number | undefined, boolean][] => {
    const plain = eth4(6, tcp([], [1, 2, 3]));
    const datagram = eth4(17, udp([1, 2, 3]));
    return [
      ['TCP with every option it reads', withOptions([2, 4, ...u16(1460), 1, 3, 3, 7, 4, 2, 8, 10, ...u32(5), ...u32(6), 5, 10, ...u32(1), ...u32(9), 30, 2, 0]), 1, undefined, true],
      ['TCP with a SACK block and NOPs', withOptions([1, 1, 5, 18, ...u32(1), ...u32(2), ...u32(3), ...u32(4)]), 1, undefined, true],
      ['TCP with urgent data', eth4(6, tcp([], [1], 0x30)), 1, undefined, true],
      ['TCP cut by the capture in its payload', plain.subarray(0, plain.length - 2), 1, plain.length, true],
      ['TCP whose payload the frame itself cuts', plain.subarray(0, plain.length - 2), 1, plain.length - 2, false],
      ['UDP cut by the capture in its payload', datagram.subarray(0, datagram.length - 1), 1, datagram.length, true],
      ['UDP whose length disagrees with IP', edit(datagram, TCP + 4, u16(10)), 1, undefined, true],
      ['UDP with a length of 8 and data after it', edit(datagram, TCP + 4, u16(8)), 1, undefined, true],
      ['an EtherType not decoded', ethernet(0x0806, new Uint8Array(28)), 1, undefined, true],
      ['the lowest EtherType', ethernet(0x0600, new Uint8Array(4)), 1, undefined, true],
      ['an IP protocol not decoded', eth4(1, new Uint8Array(8)), 1, undefined, true],
      ['a later IPv4 fragment', edit(datagram, IP + 6, [0, 1]), 1, undefined, true],
      ['a first IPv4 fragment', edit(datagram, IP + 6, [0x20, 0]), 1, undefined, true],
      ['IPv6 ESP', eth6(50, new Uint8Array(8)), 1, undefined, true],
      ['IPv6 TCP', eth6(6, tcp([], [7])), 1, undefined, true],
      ['raw IPv4', ipv4(17, udp([])), 101, undefined, true],
      ['raw IPv6', ipv6(6, tcp([])), 229, undefined, true],
      // Handed to the full decoder:
      ['a frame shorter than an Ethernet header', plain.subarray(0, 13), 1, undefined, false],
      ['an 802.3 length', ethernet(0x05ff, new Uint8Array(4)), 1, undefined, false],
      ['an unknown link type', new Uint8Array([0x45, 0]), 147, undefined, false],
      ['Ethernet with nothing after it', plain.subarray(0, 14), 1, undefined, false],
      ['IPv6 where IPv4 was announced', ethernet(0x0800, ipv6(17, udp([]))), 1, undefined, false],
      ['an IHL below 5', edit(plain, IP, [0x44]), 1, undefined, false],
      ['an IPv4 header the capture cut', eth4(6, tcp([]), [148, 4, 0, 0]).subarray(0, IP + 22), 1, 80, false],
      ['a total length below the header', edit(plain, IP + 2, u16(19)), 1, undefined, false],
      ['a total length of 0', edit(plain, IP + 2, u16(0)), 1, undefined, false],
      ['a total length past the frame', edit(plain, IP + 2, u16(60)), 1, undefined, false],
      ['an IPv6 header the capture cut', eth6(6, tcp([])).subarray(0, IP + 39), 1, 200, false],
      ['an IPv6 payload length of 0', edit(eth6(6, tcp([])), IP + 4, [0, 0]), 1, undefined, false],
      ['an IPv6 payload length past the frame', edit(eth6(6, tcp([])), IP + 4, u16(200)), 1, undefined, false],
      ...[0, 43, 44, 60, 59].map((next): [string, Uint8Array, number, number | undefined, boolean] =>
        [`IPv6 next header ${next}`, eth6(next, concat([6, 0, 1, 4, 0, 0, 0, 0], tcp([]))), 1, undefined, false]),
      ['a TCP header past the IP packet', edit(plain, IP + 2, u16(20 + 19)), 1, undefined, false],
      ['a TCP header the capture cut', plain.subarray(0, TCP + 19), 1, plain.length, false],
      ['a TCP data offset below 5', edit(plain, TCP + 12, [0x40]), 1, undefined, false],
      ['a TCP data offset past the segment', edit(plain, TCP + 12, [0x90]), 1, undefined, false],
      ['TCP options the capture cut', withOptions([2, 4, ...u16(1460)]).subarray(0, TCP + 22), 1, 80, false],
      ['an MSS of the wrong length', withOptions([2, 3, 5, 0]), 1, undefined, false],
      ['a window scale of the wrong length', withOptions([3, 4, 7, 0]), 1, undefined, false],
      ['SACK permitted of the wrong length', withOptions([4, 3, 0, 0]), 1, undefined, false],
      ['an empty SACK', withOptions([5, 2, 0, 0]), 1, undefined, false],
      ['a SACK not a multiple of 8', withOptions([5, 6, 0, 0, 0, 0, 0, 0]), 1, undefined, false],
      ['a timestamp of the wrong length', withOptions([8, 8, 0, 0, 0, 0, 0, 0]), 1, undefined, false],
      ['an option length below 2', withOptions([30, 1, 0, 0]), 1, undefined, false],
      ['an option past the header', withOptions([30, 5, 0, 0]), 1, undefined, false],
      ['an option kind with no room for its length', withOptions([1, 1, 1, 30]), 1, undefined, false],
      ['a UDP header past the IP packet', edit(datagram, IP + 2, u16(20 + 7)), 1, undefined, false],
      ['a UDP header the capture cut', datagram.subarray(0, TCP + 7), 1, datagram.length, false],
      ['a UDP length below 8', edit(datagram, TCP + 4, u16(7)), 1, undefined, false],
      ['more captured than was on the wire', plain, 1, plain.length - 1, false],
    ];
  });

  it('reads the usual frames itself, hands every other to the full decoder, and both say the same', () => {
    for (const [what, frame, linktype, len, fast] of cases()) {
      const wire = len ?? frame.length;
      if (frame.length <= wire) expect(fastSummary(frame, linktype, wire) !== undefined, what).toBe(fast);
      expect(summarizeFrame(frame, linktype, len), what).toEqual(decodeFrame(frame, linktype, len).summary);
    }
  });

  it('writes the info line as the full decoder does, marks and all', () => {
    const info = (what: string) => {
      const [, frame, linktype, len] = cases().find((c) => c[0] === what)!;
      return summarizeFrame(frame, linktype, len).info;
    };
    expect(info('TCP with every option it reads')).toBe('50000 → 8080 [PSH, ACK] Seq=1000 Ack=2000 Win=512 Len=2 MSS=1460 WS=128 SACK_PERM TSval=5 TSecr=6 SLE=1 SRE=9');
    expect(info('TCP with urgent data')).toBe('50000 → 8080 [ACK, URG] Seq=1000 Ack=2000 Win=512 Len=1 Urg=0');
    expect(info('TCP cut by the capture in its payload')).toBe('50000 → 8080 [PSH, ACK] Seq=1000 Ack=2000 Win=512 Len=3 [truncated]');
    expect(info('UDP cut by the capture in its payload')).toBe('50000 → 9999 Len=3 [truncated]');
    expect(info('UDP whose length disagrees with IP')).toBe('50000 → 9999 Len=2 [malformed udp]');
    expect(info('an EtherType not decoded')).toBe('EtherType 0x0806 (ARP) is not decoded');
    expect(info('a later IPv4 fragment')).toBe('127.0.0.1 → 127.0.0.1 IPv4, a later fragment (offset 8 bytes) of a 17 (UDP) datagram; its header is in the first fragment');
    expect(info('IPv6 ESP')).toBe('::1 → ::1 IPv6, protocol 50 (ESP) is not decoded');
    const [, every] = cases()[0]!;
    expect(summarizeFrame(every, 1).options).toEqual({ mss: '1460', wscale: '7 (×128)', sackPerm: 'yes', ts: '5 / 6', sack: '1-9' });
    expect(summarizeFrame(every, 1).tcpOptions).toEqual({ mss: 1460, wscale: 7, sackPerm: true, ts: { val: 5, ecr: 6 }, sack: [{ left: 1, right: 9 }] });
  });
});
