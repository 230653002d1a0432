import { describe, expect, it } from 'vitest';
import { formatIpv6, readBits, readFields, type FieldDef } from './fields.js';

describe('field machinery', () => {
  it('reads bit fields across byte boundaries, most significant bit first', () => {
    const data = new Uint8Array([0b1010_0110, 0b1100_0011, 0xff]);
    expect(readBits(data, 0, 0, 4)).toBe(0b1010);
    expect(readBits(data, 0, 4, 8)).toBe(0b0110_1100);
    expect(readBits(data, 1, 2, 1)).toBe(0);
    expect(readBits(data, 0, 12, 12)).toBe(0b0011_1111_1111);
    expect(readBits(new Uint8Array([0xff, 0xff, 0xff, 0xff]), 0, 0, 32)).toBe(0xffffffff);
  });

  it('accumulates byte and bit offsets and stops at the first field that does not fit', () => {
    const defs: FieldDef[] = [
      { name: 'a', bits: 4, explain: { en: '', 'zh-CN': '' } },
      { name: 'b', bits: 12, explain: { en: '', 'zh-CN': '' } },
      { name: 'c', bytes: 2, format: 'hex', explain: { en: '', 'zh-CN': '' } },
      { name: 'd', bytes: 4, explain: { en: '', 'zh-CN': '' } },
    ];
    const data = new Uint8Array([9, 0x12, 0x34, 0xab, 0xcd, 1, 2]);
    const read = readFields(data, 'x', 1, data.length, defs);
    expect(read.fields.map((f) => [f.name, f.offset, f.length, f.bitOffset, f.raw, f.display])).toEqual([
      ['a', 1, 1, 0, 1, '1'],
      ['b', 1, 2, 4, 0x234, String(0x234)],
      ['c', 3, 2, undefined, 0xabcd, '0xabcd'],
    ]);
    expect(read.fields[0]!.explain).toBe('x.a');
    expect(read.missing).toBe('d');
    expect(read.end).toBe(5);
  });

  it('writes IPv6 addresses in their canonical short form', () => {
    const addr = (...groups: number[]): Uint8Array => new Uint8Array(groups.flatMap((g) => [g >> 8, g & 0xff]));
    expect(formatIpv6(addr(0, 0, 0, 0, 0, 0, 0, 1))).toBe('::1');
    expect(formatIpv6(addr(0, 0, 0, 0, 0, 0, 0, 0))).toBe('::');
    expect(formatIpv6(addr(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1))).toBe('2001:db8::1');
    expect(formatIpv6(addr(0x2001, 0xdb8, 0, 1, 1, 1, 1, 1))).toBe('2001:db8:0:1:1:1:1:1');
    expect(formatIpv6(addr(0x2001, 0, 0, 1, 0, 0, 0, 1))).toBe('2001:0:0:1::1');
    expect(formatIpv6(addr(0xfe80, 0, 0, 0, 0xa, 0, 0, 0))).toBe('fe80::a:0:0:0');
  });
});
