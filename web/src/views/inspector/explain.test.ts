import { describe, expect, it } from 'vitest';
import { fixtureTrace } from '../../test-support/fixture-trace.ts';
import { explain, fieldTitle, fieldValue } from './explain.ts';
import { flattenFields } from './field-map.ts';

describe('field titles and values on a real SYN', () => {
  const syn = fixtureTrace('handshake-ipv4').events[0]!;
  if (syn.kind !== 'wire') throw new Error('expected a packet');
  const fields = flattenFields(syn.decoded.layers).map((f) => f.field);
  const byKey = (key: string) => fields.find((f) => f.explain === key)!;

  it('gives every field a title in each language', () => {
    for (const f of fields) {
      expect(fieldTitle(f.explain, 'en'), f.explain).toBeTruthy();
      expect(fieldTitle(f.explain, 'zh-CN'), f.explain).toBeTruthy();
    }
    expect(fieldTitle('tcp.seq', 'en')).toBe('Sequence number');
    expect(fieldTitle('tcp.seq', 'zh-CN')).toBe('序列号');
    expect(fieldTitle('tcp.flags.syn', 'zh-CN')).toBe('SYN');
    expect(fieldTitle('no.such.key', 'en')).toBeUndefined();
    expect(explain('tcp.seq', 'zh-CN')).toContain('序列号');
  });

  it('says a flag bit is set or not in the page language, and leaves other values alone', () => {
    const synBit = byKey('tcp.flags.syn');
    const finBit = byKey('tcp.flags.fin');
    expect(synBit.raw).toBe(1);
    expect(finBit.raw).toBe(0);
    expect(fieldValue(synBit, 'en')).toBe('set');
    expect(fieldValue(synBit, 'zh-CN')).toBe('设置');
    expect(fieldValue(finBit, 'zh-CN')).toBe('未设置');
    const seq = byKey('tcp.seq');
    expect(fieldValue(seq, 'zh-CN')).toBe(seq.display);
  });
});

describe('values in Chinese', () => {
  const value = (display: string) => fieldValue({ display, raw: 0 }, 'zh-CN');

  it('says units, yes/no and checksum notes in the page language', () => {
    expect(value('10 (40 bytes)')).toBe('10（40 字节）');
    expect(value('64 hops')).toBe('64 跳');
    expect(value('65495 bytes')).toBe('65495 字节');
    expect(value('yes')).toBe('是');
    expect(value('0xfe28 (partial: the kernel leaves checksums on loopback unfinished, since the bytes never leave the machine)')).toBe(
      '0xfe28（部分计算：字节不会离开本机，内核在回环上不把校验和算完）',
    );
    expect(value('0x1234 (incorrect, should be 0xabcd)')).toBe('0x1234（错误，应为 0xabcd）');
    expect(value('shift 10 (×1024)')).toBe('左移 10 位（×1024）');
  });

  it('leaves hex, numbers, names and English for English alone', () => {
    expect(value('0x10 (ACK)')).toBe('0x10 (ACK)');
    expect(value('3239746735')).toBe('3239746735');
    expect(value('MSS, SACK_PERM, TS, NOP, WS')).toBe('MSS, SACK_PERM, TS, NOP, WS');
    expect(fieldValue({ display: '64 hops', raw: 64 }, 'en')).toBe('64 hops');
  });

  it('localizes every value of a real SYN that has words and a pattern', () => {
    const syn = fixtureTrace('handshake-ipv4').events[0]!;
    if (syn.kind !== 'wire') throw new Error('expected a packet');
    const shown = flattenFields(syn.decoded.layers).map((f) => fieldValue(f.field, 'zh-CN'));
    expect(shown.some((v) => / bytes| hops|\(correct\)|partial:/.test(v))).toBe(false);
  });
});
