/**
 * The TCP option parser on option bytes written here: each kind read at its one valid length,
 * and every wrong length called malformed with its value left unread (a timestamp of 8 bytes or
 * a window scale of 4 must not be quoted to a learner as if it were one).
 */
import { describe, expect, it } from 'vitest';
import { parseTcpOptions } from './tcp-options.js';

const u32 = (n: number): number[] => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];

/** Parses `bytes` placed after `lead` bytes that are not options (the parser must start at `start`). */
function parse(bytes: number[], lead = 3) {
  const data = new Uint8Array([...new Array(lead).fill(0xee), ...bytes, 0xdd, 0xdd]);
  return parseTcpOptions(data, lead, lead + bytes.length);
}

const childNames = (r: ReturnType<typeof parse>) => r.field.children!.map((c) => c.name);

describe('parseTcpOptions reads each option at its valid length', () => {
  it('reads the options of a Linux SYN: MSS, SACK permitted, timestamps, window scale', () => {
    const r = parse([2, 4, 0xff, 0xd7, 4, 2, 8, 10, ...u32(0x01020304), ...u32(7), 1, 3, 3, 7]);
    expect(r.malformed).toBeUndefined();
    expect(r.values).toEqual({ mss: 65495, sackPerm: true, ts: { val: 0x01020304, ecr: 7 }, wscale: 7 });
    expect(r.summary).toEqual({ mss: '65495', sackPerm: 'yes', ts: `${0x01020304} / 7`, wscale: '7 (×128)' });
    expect(r.info).toEqual(['MSS=65495', 'SACK_PERM', `TSval=${0x01020304} TSecr=7`, 'WS=128']);
    expect(childNames(r)).toEqual(['options.mss', 'options.sackPerm', 'options.ts', 'options.nop', 'options.wscale']);
    expect(r.field.children!.map((c) => [c.offset, c.length])).toEqual([
      [3, 4],
      [7, 2],
      [9, 10],
      [19, 1],
      [20, 3],
    ]);
    expect(r.field.children![0]).toMatchObject({ raw: '0204ffd7', display: '65495 bytes', explain: 'tcp.options.mss' });
    expect(r.field.children![2]!.display).toBe(`TSval ${0x01020304}, TSecr 7`);
    expect(r.field.children![4]!.display).toBe('shift 7 (×128)');
    expect(r.field).toMatchObject({ name: 'options', offset: 3, length: 20, display: 'MSS, SACK_PERM, TS, NOP, WS' });
    // Option names read the same in every language: no text to translate.
    expect(r.field.text).toBeUndefined();
  });

  it('numbers a repeated option: the second NOP is options.nop-2', () => {
    const r = parse([1, 1, 1]);
    expect(childNames(r)).toEqual(['options.nop', 'options.nop-2', 'options.nop-3']);
    expect(r.values).toEqual({ sackPerm: false });
  });

  it('reads a window-scale shift of 14 as ×16384 and one above 14 as 14', () => {
    expect(parse([3, 3, 14]).summary.wscale).toBe('14 (×16384)');
    const big = parse([3, 3, 15]);
    expect(big.values.wscale).toBe(15);
    expect(big.summary.wscale).toBe('15 (×16384)');
    expect(big.field.children![0]!.text).toEqual({ key: 'value.wscaleTooLarge', args: { n: 15 } });
  });

  it('reads SACK blocks, one or more, left and right edges', () => {
    const r = parse([5, 10, ...u32(100), ...u32(200)]);
    expect(r.values.sack).toEqual([{ left: 100, right: 200 }]);
    expect(r.summary.sack).toBe('100-200');
    const two = parse([5, 18, ...u32(1), ...u32(2), ...u32(0xfffffff0), ...u32(5)]);
    expect(two.values.sack).toEqual([
      { left: 1, right: 2 },
      { left: 0xfffffff0, right: 5 },
    ]);
    expect(two.info).toEqual(['SLE=1 SRE=2', `SLE=${0xfffffff0} SRE=5`]);
  });

  it('stops at End of Option List and shows what follows as padding', () => {
    const r = parse([1, 0, 0, 0]);
    expect(childNames(r)).toEqual(['options.nop', 'options.eol', 'options.padding']);
    expect(r.field.children![2]).toMatchObject({ offset: 5, length: 2 });
    expect(childNames(parse([0]))).toEqual(['options.eol']);
  });

  it('names known kinds it does not read, and says an unknown kind by number', () => {
    const r = parse([34, 4, 0xaa, 0xbb, 99, 2]);
    expect(r.field.children!.map((c) => c.display)).toEqual(['kind 34 (Fast Open cookie), 4 bytes', 'kind 99, 2 bytes']);
    expect(r.malformed).toBeUndefined();
  });
});

describe('parseTcpOptions says each option in words (the text the inspector translates)', () => {
  const texts = (r: ReturnType<typeof parse>) => r.field.children!.map((c) => c.text);

  it('End of Option List, its padding, No-Operation, SACK permitted, SACK blocks, window scale', () => {
    expect(texts(parse([1, 4, 2, 5, 10, ...u32(100), ...u32(200), 3, 3, 14, 0, 0, 0]))).toEqual([
      { key: 'value.nop' },
      { key: 'value.yes' },
      { key: 'value.sackBlocks', args: { blocks: '100-200' } },
      // A shift of 14 is the maximum itself, not more than it.
      { key: 'value.wscale', args: { n: 14, factor: 16384 } },
      { key: 'value.eol' },
      { key: 'value.bytes', args: { n: 2 } },
    ]);
    const r = parse([1, 0, 0, 0]);
    expect(r.field.children!.map((c) => c.display)).toEqual(['No-Operation', 'End of Option List', '2 bytes']);
    expect(r.field.explain).toBe('tcp.options');
  });

  it('an option cut off, of a length below 2, or running past the header, by its kind', () => {
    expect(texts(parse([1, 1, 3])).at(-1)).toEqual({ key: 'value.optionCutOff', args: { kind: 3 } });
    expect(texts(parse([2, 1, 0, 0]))[0]).toEqual({ key: 'value.optionInvalidLength', args: { kind: 2, len: 1 } });
    expect(texts(parse([1, 2, 8, 0x05, 0xb4]))[1]).toEqual({ key: 'value.optionPastHeader', args: { kind: 2, len: 8 } });
  });

  it('the kinds it names but does not read (IANA TCP option kinds), and a list with one of them in words', () => {
    const named = [19, 28, 29, 30, 34].map((kind) => parse([kind, 2]).field.children![0]!.text);
    expect(named.map((t) => t?.args?.['name'])).toEqual(['MD5 signature', 'User Timeout', 'TCP-AO', 'Multipath TCP', 'Fast Open cookie']);
    const r = parse([2, 4, 0x05, 0xb4, 99, 2]);
    expect(r.field.text).toEqual([
      { key: 'value.name', args: { name: 'MSS' } },
      { key: 'value.kind', args: { kind: 99 } },
    ]);
  });
});

describe('parseTcpOptions calls a wrong length malformed and reads no value from it', () => {
  const cases: [string, number[], string, Record<string, unknown>][] = [
    ['MSS of length 3', [2, 3, 5], 'malformed.mssLength', { at: 3, len: 3 }],
    ['window scale of length 4', [3, 4, 7, 0], 'malformed.wscaleLength', { at: 3, len: 4 }],
    ['window scale of length 2', [3, 2], 'malformed.wscaleLength', { at: 3, len: 2 }],
    ['timestamps of length 8', [8, 8, ...u32(1), 0, 0], 'malformed.tsLength', { at: 3, len: 8 }],
    ['timestamps of length 12', [8, 12, ...u32(1), ...u32(2), 0, 0], 'malformed.tsLength', { at: 3, len: 12 }],
    ['SACK permitted of length 3', [4, 3, 0], 'malformed.sackPermLength', { at: 3, len: 3 }],
    ['SACK of length 2', [5, 2], 'malformed.sackLength', { at: 3, len: 2 }],
    ['SACK of length 9', [5, 9, ...u32(1), ...u32(2).slice(0, 3)], 'malformed.sackLength', { at: 3, len: 9 }],
  ];
  for (const [what, bytes, key, args] of cases) {
    it(`a ${what}`, () => {
      const r = parse(bytes);
      expect(r.malformed).toEqual({ key, args });
      expect(r.values).toEqual({ sackPerm: false });
      expect(r.summary.mss ?? r.summary.wscale ?? r.summary.ts ?? r.summary.sack).toBeUndefined();
      expect(r.info.filter((w) => w !== 'SACK_PERM')).toEqual([]);
      expect(r.field.children![0]).toMatchObject({ offset: 3, length: bytes[1], text: { key: 'value.invalidLength', args: { len: bytes[1] } } });
      // Still the option of its kind (the inspector explains an MSS of the wrong length as an MSS).
      expect(r.field.children![0]!.name).toBe({ 2: 'options.mss', 3: 'options.wscale', 4: 'options.sackPerm', 5: 'options.sack', 8: 'options.ts' }[bytes[0]!]);
    });
  }

  it('keeps reading after a wrong length: the next option still counts', () => {
    const r = parse([8, 8, ...u32(1), 0, 0, 2, 4, 0x05, 0xb4]);
    expect(r.malformed?.key).toBe('malformed.tsLength');
    expect(r.values).toEqual({ sackPerm: false, mss: 1460 });
  });

  it('reports the first problem only', () => {
    const r = parse([2, 3, 0, 3, 4, 0, 0]);
    expect(r.malformed).toEqual({ key: 'malformed.mssLength', args: { at: 3, len: 3 } });
  });

  it('stops at a length below 2, past the header, or missing', () => {
    const small = parse([2, 1, 0, 0]);
    expect(small.malformed).toEqual({ key: 'malformed.optionLengthTooSmall', args: { kind: 2, at: 3, len: 1 } });
    expect(small.field.children![0]).toMatchObject({ name: 'options.unknown', offset: 3, length: 4 });
    const past = parse([1, 2, 8, 0x05, 0xb4]);
    expect(past.malformed).toEqual({ key: 'malformed.optionPastHeader', args: { kind: 2, at: 4, len: 8 } });
    expect(past.field.children![1]).toMatchObject({ name: 'options.unknown', offset: 4, length: 4 });
    expect(past.values.mss).toBeUndefined();
    const cut = parse([1, 1, 3]);
    expect(cut.malformed).toEqual({ key: 'malformed.optionNoLength', args: { kind: 3, at: 5 } });
    expect(cut.field.children![2]).toMatchObject({ name: 'options.unknown', offset: 5, length: 1 });
    // An option that ends exactly at the header's end is whole.
    expect(parse([1, 2, 4, 0x05, 0xb4]).malformed).toBeUndefined();
  });

  it('never reads past the header: bytes after `stop` are not options', () => {
    const data = new Uint8Array([1, 2, 4, 0x05, 0xb4]);
    const r = parseTcpOptions(data, 0, 3);
    expect(r.malformed?.key).toBe('malformed.optionPastHeader');
    expect(r.field.raw).toBe('010204');
  });
});
