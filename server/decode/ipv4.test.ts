/**
 * The IPv4 header's fields in words, on headers written here: flags (DF, MF), the fragment
 * offset in 8-byte units, TTL, total length, identification, and options by name (RFC 791).
 */
import { describe, expect, it } from 'vitest';
import type { DecodedPacket, Field } from '../contract/trace.js';
import { ethernet, ipv4, udp } from './fixtures/craft.js';
import { decodeFrame } from './index.js';

function decodeIpv4(flagsAndOffset: number, options: number[] = []): DecodedPacket {
  const frame = ethernet(0x0800, ipv4(17, udp([1, 2, 3, 4]), options));
  frame[14 + 6] = flagsAndOffset >> 8;
  frame[14 + 7] = flagsAndOffset & 0xff;
  return decodeFrame(frame, 1, frame.length);
}

function ipField(p: DecodedPacket, name: string): Field {
  const found = p.layers.find((l) => l.name === 'ipv4')?.fields.find((f) => f.name === name);
  if (!found) throw new Error(`no ipv4.${name}`);
  return found;
}

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
