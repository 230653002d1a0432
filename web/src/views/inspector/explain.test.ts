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
