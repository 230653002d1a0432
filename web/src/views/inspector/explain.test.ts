import { describe, expect, it } from 'vitest';
import { decodeFrame } from '../../../../server/decode/index.ts';
import { loadFixture } from '../../../../server/decode/fixtures/load.ts';
import { fixtureTrace } from '../../test-support/fixture-trace.ts';
import { explain, fieldTitle, fieldValue, malformedReason } from './explain.ts';
import { flattenFields } from './field-map.ts';

const syn = fixtureTrace('handshake-ipv4').events[0]!;
if (syn.kind !== 'wire') throw new Error('expected a packet');
const fields = flattenFields(syn.decoded.layers).map((f) => f.field);
const byKey = (key: string) => fields.find((f) => f.explain === key)!;

describe('field titles and values on a real SYN', () => {
  it('gives every field a title in each language', () => {
    for (const f of fields) {
      expect(fieldTitle(f.explain, 'en'), f.explain).toBeTruthy();
      expect(fieldTitle(f.explain, 'zh-CN'), f.explain).toBeTruthy();
    }
    expect(fieldTitle('tcp.seq', 'en')).toBe('Sequence number');
    expect(fieldTitle('tcp.seq', 'zh-CN')).toBe('序号');
    expect(fieldTitle('tcp.flags.syn', 'zh-CN')).toBe('SYN');
    expect(fieldTitle('no.such.key', 'en')).toBeUndefined();
    expect(fieldTitle('constructor', 'en')).toBeUndefined();
    expect(explain('tcp.seq', 'zh-CN')).toContain('序号');
  });

  it('says a flag bit is set or not in the page language, and leaves numbers alone', () => {
    const synBit = byKey('tcp.flags.syn');
    const finBit = byKey('tcp.flags.fin');
    expect(synBit.raw).toBe(1);
    expect(finBit.raw).toBe(0);
    expect(fieldValue(synBit, 'en')).toBe('set');
    expect(fieldValue(synBit, 'zh-CN')).toBe('置 1');
    expect(fieldValue(finBit, 'zh-CN')).toBe('未置 1');
    const seq = byKey('tcp.seq');
    expect(fieldValue(seq, 'zh-CN')).toBe(seq.display);
  });
});

describe('values in Chinese', () => {
  it('says units, yes/no and checksum notes in the page language', () => {
    expect(fieldValue(byKey('tcp.dataOffset'), 'zh-CN')).toBe('10（40 字节）');
    expect(fieldValue(byKey('ipv4.ttl'), 'zh-CN')).toBe('64 跳');
    expect(fieldValue(byKey('tcp.options.mss'), 'zh-CN')).toBe('65495 字节');
    expect(fieldValue(byKey('tcp.options.sackPerm'), 'zh-CN')).toBe('是');
    const checksum = byKey('tcp.checksum');
    expect(fieldValue(checksum, 'zh-CN')).toBe(`${checksum.display.slice(0, 6)}（部分计算：字节不会离开本机，内核在回环上不把校验和算完）`);
    expect(fieldValue(byKey('tcp.options.wscale'), 'zh-CN')).toMatch(/^左移 \d+ 位（×\d+）$/);
    expect(fieldValue(byKey('ethernet.dst'), 'zh-CN')).toBe('00:00:00:00:00:00（回环：没有真实网卡，所以没有真实地址）');
  });

  it('leaves hex, numbers and names alone, and shows English for English', () => {
    expect(fieldValue(byKey('tcp.flags'), 'zh-CN')).toBe('0x02 (SYN)');
    expect(fieldValue(byKey('tcp.options'), 'zh-CN')).toBe('MSS, SACK_PERM, TS, NOP, WS');
    expect(fieldValue(byKey('ipv4.src'), 'zh-CN')).toBe('127.0.0.1');
    expect(fieldValue(byKey('ipv4.ttl'), 'en')).toBe('64 hops');
  });

  it('localizes every value of a real SYN that has words', () => {
    const shown = fields.map((f) => fieldValue(f, 'zh-CN'));
    expect(shown.filter((v) => /\b(bytes?|hops|set|yes|correct|partial|loopback|default)\b/.test(v))).toEqual([]);
  });

  it('shows a recording made before values had keys as it was written', () => {
    expect(fieldValue({ display: '64 hops' }, 'zh-CN')).toBe('64 hops');
  });
});

describe('malformed reasons', () => {
  it('say why a layer is malformed in the page language', () => {
    const [record] = loadFixture('handshake-ipv4');
    const cut = decodeFrame(record!.data.subarray(0, 40), 1, record!.len);
    const tcp = cut.layers.find((l) => l.name === 'tcp')!;
    expect(malformedReason(tcp, 'en')).toBe(tcp.malformed);
    expect(malformedReason(tcp, 'zh-CN')).toMatch(/^被抓包截断：TCP 首部需要 20 字节，但只抓到 6 字节/);
    expect(malformedReason(cut.layers[0]!, 'zh-CN')).toBeUndefined();
  });
});
