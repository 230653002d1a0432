import { describe, expect, it } from 'vitest';
import type { Field } from '../contract/trace.js';
import {
  bitWords,
  bytesField,
  explainKeysOf,
  formatIpv4,
  formatIpv6,
  formatMac,
  inner,
  printable,
  readBits,
  readFields,
  readUint,
  setShown,
  toHex,
  words,
  type FieldDef,
} from './fields.js';
import { udpDef } from './udp.js';

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

  it('reads whole bytes the same near the end of the data as elsewhere', () => {
    const data = new Uint8Array([0x12, 0x34, 0x56, 0x78, 0x9a]);
    for (const at of [0, 1]) {
      expect(readBits(data, at, 0, 8)).toBe(data[at]);
      expect(readBits(data, at, 0, 16)).toBe(data[at]! * 256 + data[at + 1]!);
      expect(readBits(data, at, 0, 32)).toBe(((data[at]! * 256 + data[at + 1]!) * 256 + data[at + 2]!) * 256 + data[at + 3]!);
    }
    expect(readBits(data, 3, 0, 16)).toBe(0x789a);
    expect(readBits(data, 4, 0, 8)).toBe(0x9a);
    expect(readBits(new Uint8Array([0x80, 0, 0, 1]), 0, 0, 32)).toBe(0x80000001);
    expect(readBits(data, 0, 0, 24)).toBe(0x123456);
    expect(readUint(data, 1, 3)).toBe(0x3456_78);
    // Past the end, missing bytes read as zero.
    expect(readBits(data, 4, 0, 16)).toBe(0x9a00);
  });

  it('writes bytes as hex, MAC addresses with colons, IPv4 dotted', () => {
    expect(toHex(new Uint8Array([0, 0x0f, 0xa0, 0xff]))).toBe('000fa0ff');
    expect(toHex(new Uint8Array(0))).toBe('');
    expect(formatMac(new Uint8Array([0, 0x1b, 0x2c, 0xd0, 0xef, 0xff]))).toBe('00:1b:2c:d0:ef:ff');
    expect(formatIpv4(new Uint8Array([192, 0, 2, 255]))).toBe('192.0.2.255');
    expect(formatIpv4(new Uint8Array([10, 0, 1]))).toBe('10.0.1');
  });

  it('shows printable ASCII (0x20 to 0x7e) as it is and every other byte as a dot', () => {
    expect(printable(new Uint8Array([0x1f, 0x20, 0x41, 0x7e, 0x7f, 0x80, 0x00, 0xff]))).toBe('. A~....');
    expect(printable(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toBe('GET / HTTP/1.1..');
  });

  it('reads addresses and byte strings with their default text or their own words', () => {
    const defs: FieldDef[] = [
      { name: 'mac', bytes: 6, format: 'mac', showBytes: (hex, standard) => (hex === '000000000000' ? words('value.loopbackMac', { value: standard }) : standard) },
      { name: 'v4', bytes: 4, format: 'ipv4' },
      { name: 'raw', bytes: 3, format: 'bytes' },
      { name: 'n', bytes: 2, format: 'hex', show: (raw, standard) => (raw === 0 ? standard : words('value.bytes', { n: raw })) },
      { name: 'bits', bits: 13, format: 'hex' },
      { name: 'rest', bits: 3 },
    ] as FieldDef[];
    const data = new Uint8Array([0, 0, 0, 0, 0, 0, 127, 0, 0, 1, 0xaa, 0xbb, 0xcc, 0, 0, 0x12, 0x34]);
    const read = readFields(data, 'x', 0, data.length, defs);
    expect(read.missing).toBeUndefined();
    expect(read.end).toBe(17);
    expect(read.fields.map((f) => [f.name, f.offset, f.length, f.raw, f.display])).toEqual([
      ['mac', 0, 6, '000000000000', '00:00:00:00:00:00 (loopback: no real network card, so no real address)'],
      ['v4', 6, 4, '7f000001', '127.0.0.1'],
      ['raw', 10, 3, 'aabbcc', 'aabbcc'],
      ['n', 13, 2, 0, '0x0000'],
      ['bits', 15, 2, 0x12 * 32 + (0x34 >> 3), '0x0246'],
      ['rest', 16, 1, 0x34 & 7, '4'],
    ]);
    expect(read.fields[0]!.text).toEqual({ key: 'value.loopbackMac', args: { value: '00:00:00:00:00:00' } });
    expect(read.fields[1]!.text).toBeUndefined();
    // Numbers go in `values`, addresses do not.
    expect([...read.values.keys()]).toEqual(['n', 'bits', 'rest']);
    // Fields stop at `limit`, even when the data goes on.
    const limited = readFields(data, 'x', 0, 12, defs);
    expect(limited.fields.map((f) => f.name)).toEqual(['mac', 'v4']);
    expect(limited).toMatchObject({ missing: 'raw', end: 10 });
  });

  it('reads named bits inside a field, one-bit ones as set or not set, wider ones by their own words', () => {
    const defs: FieldDef[] = [
      {
        name: 'flags',
        bytes: 1,
        children: [
          { name: 'hi', bits: 3, show: (raw) => `three bits ${raw}` },
          { name: 'mid', bits: 2 },
          { name: 'a', bits: 1 },
          { name: 'b', bits: 1 },
          { name: 'c', bits: 1 },
        ],
      },
    ] as FieldDef[];
    const read = readFields(new Uint8Array([9, 0b101_10_1_0_1]), 'x', 1, 2, defs);
    expect(read.fields[0]!.children?.map((c) => [c.name, c.explain, c.offset, c.length, c.bitOffset, c.bitLength, c.raw, c.display])).toEqual([
      ['flags.hi', 'x.flags.hi', 1, 1, 0, 3, 5, 'three bits 5'],
      ['flags.mid', 'x.flags.mid', 1, 1, 3, 2, 2, '2'],
      ['flags.a', 'x.flags.a', 1, 1, 5, 1, 1, 'set'],
      ['flags.b', 'x.flags.b', 1, 1, 6, 1, 0, 'not set'],
      ['flags.c', 'x.flags.c', 1, 1, 7, 1, 1, 'set'],
    ]);
    expect(bitWords(1)).toEqual({ key: 'value.set' });
    expect(bitWords(0)).toEqual({ key: 'value.notSet' });
    // Children that start inside a field's second byte.
    const wide = readFields(new Uint8Array([0x0f, 0xf0]), 'x', 0, 2, [
      { name: 'w', bits: 4 },
      { name: 'v', bits: 12, children: [{ name: 'p', bits: 6 }, { name: 'q', bits: 6 }] },
    ] as FieldDef[]);
    expect(wide.fields[1]!.children?.map((c) => [c.offset, c.length, c.bitOffset, c.raw])).toEqual([
      [0, 2, 4, 0b1111_11],
      [1, 1, 2, 0b11_0000],
    ]);
  });

  it('keeps words by key, with English as display, and plain text without a key', () => {
    const field: Field = { name: 'f', explain: 'udp.length', offset: 0, length: 2, raw: 5, display: '' };
    setShown(field, words('value.bytes', { n: 5 }));
    expect(field).toMatchObject({ display: '5 bytes', text: { key: 'value.bytes', args: { n: 5 } } });
    setShown(field, [words('value.name', { name: 'NOP' }), words('value.bytes', { n: 1 })]);
    expect(field.display).toBe('NOP, 1 byte');
    expect(field.text).toHaveLength(2);
    setShown(field, 'plain');
    expect(field.display).toBe('plain');
    expect(field).not.toHaveProperty('text');
    expect(words('value.set')).toEqual({ key: 'value.set' });
    expect(inner('note.notDecoded')).toEqual({ key: 'note.notDecoded' });
    expect(inner('note.linkType', { linktype: 3 })).toEqual({ key: 'note.linkType', args: { linktype: 3 } });
  });

  it('builds a field over bytes by hand, its raw hex cut at the end of the data', () => {
    const data = new Uint8Array([1, 2, 3, 4]);
    const f = bytesField(data, 'opt', 'unknown.data', 2, 5, 'cut');
    expect(f).toEqual({ name: 'opt', explain: 'unknown.data', offset: 2, length: 5, raw: '0304', display: 'cut' });
  });

  it('lists every explain key a layer declares: the layer, its fields, their bits, and what it builds by hand', () => {
    expect(explainKeysOf(udpDef)).toEqual(['layer.udp', 'udp.sport', 'udp.dport', 'udp.length', 'udp.checksum']);
    const keys = explainKeysOf({ name: 'ipv6', fields: [{ name: 'trafficClass', bits: 8, children: [{ name: 'dscp', bits: 6 }] }], handBuilt: ['ext.length'] } as never);
    expect(keys).toEqual(['layer.ipv6', 'ipv6.trafficClass', 'ipv6.trafficClass.dscp', 'ipv6.ext.length']);
  });
});
