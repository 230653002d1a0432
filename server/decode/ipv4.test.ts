/**
 * The IPv4 header's fields in words, on headers written here: flags (DF, MF), the fragment
 * offset in 8-byte units, TTL, total length, identification, and options by name (RFC 791).
 */
import { describe, expect, it } from 'vitest';
import type { DecodedPacket, Field } from '../contract/trace.js';
import { ethernet, ipv4, udp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';
import { fieldOf } from './fixtures/find.js';

function decodeIpv4(flagsAndOffset: number, options: number[] = []): DecodedPacket {
  const frame = ethernet(0x0800, ipv4(17, udp([1, 2, 3, 4]), options));
  frame[14 + 6] = flagsAndOffset >> 8;
  frame[14 + 7] = flagsAndOffset & 0xff;
  return decodeFrame(frame, 1, frame.length);
}

const ipField = (p: DecodedPacket, name: string): Field => fieldOf(p, 'ipv4', name);

describe('IPv4 header fields in words', () => {
  it('says which of Don’t Fragment and More Fragments are set', () => {
    const flags = (bits: number) => ipField(decodeIpv4(bits << 13), 'flags');
    expect(flags(0b010).text).toEqual({ key: 'value.ipFlagsDf', args: { bits: '0b010' } });
    expect(flags(0b001).text).toEqual({ key: 'value.ipFlagsMf', args: { bits: '0b001' } });
    expect(flags(0b011).text).toEqual({ key: 'value.ipFlagsDfMf', args: { bits: '0b011' } });
    expect(flags(0b000)).toMatchObject({ display: '0b000' });
    expect(flags(0b000).text).toBeUndefined();
    expect(flags(0b010).children!.map((c) => [c.name, c.raw])).toEqual([
      ['flags.reserved', 0],
      ['flags.df', 1],
      ['flags.mf', 0],
    ]);
  });

  it('gives the fragment offset in units of 8 bytes, the TTL in hops, the total length in bytes, the id in hex and decimal', () => {
    const p = decodeIpv4((0b001 << 13) | 185);
    expect(ipField(p, 'fragmentOffset').text).toEqual({ key: 'value.fragment', args: { n: 185, bytes: 1480 } });
    expect(ipField(p, 'ttl').text).toEqual({ key: 'value.hops', args: { n: 64 } });
    expect(ipField(p, 'totalLength').text).toEqual({ key: 'value.bytes', args: { n: 20 + 12 } });
    expect(ipField(p, 'id').display).toBe(`0x1234 (${0x1234})`);
  });

  it('lists the options by name and length, stops at End of Options, and says a wrong length', () => {
    const names = (options: number[]) => ipField(decodeIpv4(0x4000, options), 'options').text;
    // NOP, Record Route of 7 bytes (one address slot), End of Options and its padding.
    expect(names([1, 7, 7, 4, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual([
      { key: 'value.name', args: { name: 'NOP' } },
      { key: 'value.namedBytes', args: { name: 'Record Route', n: 7 } },
      { key: 'value.name', args: { name: 'End of Options' } },
    ]);
    expect(names([68, 1, 0, 0])).toEqual([{ key: 'value.namedInvalidLength', args: { name: 'Timestamp', len: 1 } }]);
    expect(names([99, 4, 0, 0])).toEqual([{ key: 'value.namedBytes', args: { name: { key: 'value.kind', args: { kind: 99 } }, n: 4 } }]);
  });
});

/** Writes the IPv4 header checksum of the header at `at` (RFC 791: the one's complement of the one's complement sum). */
function fillHeaderChecksum(frame: Uint8Array, at: number): void {
  const length = (frame[at]! & 0x0f) * 4;
  frame[at + 10] = 0;
  frame[at + 11] = 0;
  let sum = 0;
  for (let i = 0; i < length; i += 2) sum += frame[at + i]! * 256 + frame[at + i + 1]!;
  while (sum > 0xffff) sum = (sum % 0x10000) + Math.trunc(sum / 0x10000);
  const checksum = 0xffff - sum;
  frame[at + 10] = checksum >> 8;
  frame[at + 11] = checksum & 0xff;
}

const frameOf = (options: number[] = [], payload = [1, 2, 3, 4]): Uint8Array => ethernet(0x0800, ipv4(17, udp(payload), options));
const ipLayer = (p: DecodedPacket) => p.layers.find((l) => l.name === 'ipv4')!;

describe('the IPv4 header checked', () => {
  it('says a right header checksum is correct, and what a wrong one should have been', () => {
    const frame = frameOf([148, 4, 0, 0]);
    fillHeaderChecksum(frame, 14);
    const right = (frame[24]! << 8) | frame[25]!;
    const ok = ipField(decodeFrame(frame, 1, frame.length), 'checksum');
    expect(ok).toMatchObject({ checksum: 'ok', raw: right, offset: 24, length: 2 });
    expect(ok.text).toEqual({ key: 'value.checksumCorrect', args: { value: `0x${right.toString(16).padStart(4, '0')}` } });
    frame[25] ^= 0x10;
    const bad = ipField(decodeFrame(frame, 1, frame.length), 'checksum');
    expect(bad.checksum).toBe('bad');
    expect(bad.text).toMatchObject({ key: 'value.checksumIncorrect', args: { expected: `0x${right.toString(16).padStart(4, '0')}` } });
    // The options are part of what it covers.
    fillHeaderChecksum(frame, 14);
    frame[14 + 22] = 1;
    expect(ipField(decodeFrame(frame, 1, frame.length), 'checksum').checksum).toBe('bad');
  });

  it('names the source-routing and security options (RFC 791, RFC 1108)', () => {
    const names = (options: number[]) => ipField(decodeFrame(frameOf(options), 1), 'options').text;
    expect(names([130, 3, 0, 1])).toEqual([{ key: 'value.namedBytes', args: { name: 'Security', n: 3 } }, { key: 'value.name', args: { name: 'NOP' } }]);
    expect(names([131, 3, 4, 0])).toEqual([{ key: 'value.namedBytes', args: { name: 'Loose Source Route', n: 3 } }, { key: 'value.name', args: { name: 'End of Options' } }]);
    expect(names([137, 3, 4, 0])).toMatchObject([{ args: { name: 'Strict Source Route', n: 3 } }, {}]);
    expect(names([148, 4, 0, 0])).toEqual([{ key: 'value.namedBytes', args: { name: 'Router Alert', n: 4 } }]);
    // A length past the options' end, and a missing length byte, are invalid.
    expect(names([148, 5, 0, 0])).toEqual([{ key: 'value.namedInvalidLength', args: { name: 'Router Alert', len: 5 } }]);
    expect(names([1, 1, 1, 148])).toEqual([
      { key: 'value.name', args: { name: 'NOP' } },
      { key: 'value.name', args: { name: 'NOP' } },
      { key: 'value.name', args: { name: 'NOP' } },
      { key: 'value.namedInvalidLength', args: { name: 'Router Alert', len: 0 } },
    ]);
    const field = ipField(decodeFrame(frameOf([148, 4, 0, 0]), 1), 'options');
    expect(field).toMatchObject({ explain: 'ipv4.options', offset: 34, length: 4, raw: '94040000' });
  });

  it('says a header longer than the packet, or than what was captured, and a total length below the header', () => {
    const frame = frameOf([148, 4, 0, 0]);
    // IHL 15 (60 bytes) in a 40-byte packet.
    const long = frame.slice();
    long[14] = 0x4f;
    const past = decodeFrame(long, 1, long.length);
    expect(ipLayer(past).malformedText).toEqual([{ key: 'malformed.ipv4HeaderPastEnd', args: { bytes: 60, available: 36 } }]);
    expect(past.summary).toMatchObject({ ip: 4, src: '127.0.0.1', dst: '127.0.0.1' });
    const cut = decodeFrame(frame.subarray(0, 14 + 22), 1, frame.length);
    expect(ipLayer(cut).malformedText).toEqual([
      { key: 'malformed.truncated', args: { part: { key: 'part.ipv4HeaderOptions' }, need: 24, have: 22 } },
    ]);
    const small = frame.slice();
    small[16] = 0;
    small[17] = 22;
    expect(ipLayer(decodeFrame(small, 1, small.length)).malformedText).toEqual([
      { key: 'malformed.totalLengthTooSmall', args: { total: 22, header: 24 } },
    ]);
    const ihl = frame.slice();
    ihl[14] = 0x44;
    expect(ipLayer(decodeFrame(ihl, 1, ihl.length)).malformedText).toEqual([{ key: 'malformed.ihlTooSmall', args: { ihl: 4, bytes: 16 } }]);
    const header = decodeFrame(frame.subarray(0, 14 + 19), 1, frame.length);
    expect(ipLayer(header).malformedText).toEqual([{ key: 'malformed.truncated', args: { part: { key: 'part.ipv4Header' }, need: 20, have: 19 } }]);
  });

  it('a header alone, to the end of the packet and of the capture, is whole and has no options field', () => {
    const frame = ethernet(0x0800, ipv4(1, new Uint8Array(0)));
    const alone = decodeFrame(frame, 1, frame.length);
    expect(ipLayer(alone)).toMatchObject({ offset: 14, length: 20 });
    expect(ipLayer(alone).malformed).toBeUndefined();
    expect(ipLayer(alone).fields.map((f) => f.name)).not.toContain('options');
    // Captured to the header's end, the packet going on past it on the wire.
    const cut = decodeFrame(frameOf().subarray(0, 14 + 20), 1, frameOf().length);
    expect(ipLayer(cut).malformed).toBeUndefined();
    // Every field's explain key is under ipv4; a header refused early still spans what was read.
    expect(ipLayer(alone).fields.map((f) => f.explain).every((k) => k.startsWith('ipv4.'))).toBe(true);
    const v5 = frame.slice();
    v5[14] = 0x55;
    expect(ipLayer(decodeFrame(v5, 1))).toMatchObject({ offset: 14, length: 20 });
  });

  it('writes the identification in four hex digits and in decimal', () => {
    const frame = frameOf();
    frame[14 + 4] = 0x00;
    frame[14 + 5] = 0x12;
    expect(ipField(decodeFrame(frame, 1), 'id').display).toBe('0x0012 (18)');
  });

  it('takes a total length of 0 as the rest of the frame, and says so', () => {
    const frame = frameOf([], [9, 9]);
    frame[16] = 0;
    frame[17] = 0;
    const p = decodeFrame(frame, 1, frame.length);
    expect(ipField(p, 'totalLength').text).toEqual({ key: 'value.totalLengthTso', args: { n: 30 } });
    expect(ipLayer(p).malformed).toBeUndefined();
    expect(p.summary.payloadLength).toBe(2);
  });

  it('a first fragment (MF set, offset 0) is decoded, but its UDP checksum covers bytes it does not hold', () => {
    const frame = frameOf();
    frame[14 + 6] = 0x20; // MF
    frame[14 + 20 + 7] = 1; // a UDP checksum that is used
    const first = decodeFrame(frame, 1, frame.length);
    expect(first.layers.map((l) => l.name)).toEqual(['ethernet', 'ipv4', 'udp', 'payload']);
    const checksum = first.layers.find((l) => l.name === 'udp')!.fields.find((f) => f.name === 'checksum')!;
    expect(checksum.checksum).toBe('unchecked');
    // The same datagram whole: its zero checksum means “not used”, and a nonzero one is checked.
    const whole = frameOf();
    whole[14 + 20 + 7] = 1;
    const wholeChecksum = decodeFrame(whole, 1).layers.find((l) => l.name === 'udp')!.fields.find((f) => f.name === 'checksum')!;
    expect(wholeChecksum.checksum).toBe('bad');
    const later = frameOf();
    later[14 + 6] = 0;
    later[14 + 7] = 2;
    const note = decodeFrame(later, 1).layers.at(-1)!.fields[0]!.text;
    expect(note).toEqual({ key: 'value.undecoded', args: { n: 12, note: { key: 'note.laterFragmentV4', args: { offset: 16, protocol: '17 (UDP)' } } } });
  });
});
