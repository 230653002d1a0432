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
import { MUTATION_RUN } from '../setup/mutation-run.js';

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
