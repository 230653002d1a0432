import { describe, expect, it } from 'vitest';
import { explanations } from '../contract/explanations/index.js';
import { decodedCorpus } from './fixtures/corpus.js';
import { declaredExplainKeys } from './registry.js';
import { MUTATION_RUN } from '../setup/mutation-run.js';

const HAN = /[\u4e00-\u9fff]/;
const OSI_KEYS = ['layer.physical', 'osi.application', 'osi.transport', 'osi.network', 'osi.link', 'osi.physical'];

/** Every explain key, layer and OSI layer the decoder emitted on the corpus. */
function emittedKeys(): Set<string> {
  const keys = new Set<string>();
  for (const packet of decodedCorpus()) {
    for (const layer of packet.layers) {
      keys.add(`layer.${layer.name}`);
      keys.add(`osi.${layer.osi}`);
      for (const f of layer.fields) {
        keys.add(f.explain);
        for (const c of f.children ?? []) keys.add(c.explain);
      }
    }
  }
  return keys;
}

describe('explanations (contract) and the decoder', () => {
  it('agree: every key the decoder declares has a text, and every text is declared (no orphans)', () => {
    const declared = new Set([...declaredExplainKeys(), ...OSI_KEYS]);
    const texts = new Set(Object.keys(explanations));
    expect([...declared].filter((k) => !texts.has(k))).toEqual([]);
    expect([...texts].filter((k) => !declared.has(k))).toEqual([]);
  });

  it.skipIf(MUTATION_RUN)('cover every explain key and every layer the decoder emits, with a title and a text in both languages', () => {
    const keys = emittedKeys();
    // Spot-check that the corpus reaches deep into the packets.
    for (const key of ['tcp.flags.syn', 'tcp.options.mss', 'tcp.options.sack', 'ipv6.ext.fragment', 'ipv4.options', 'unknown.data']) {
      expect(keys).toContain(key);
    }
    const declared = declaredExplainKeys();
    expect([...keys].filter((k) => !k.startsWith('osi.') && !declared.has(k))).toEqual([]);
    const missing = [...keys].filter((k) => !Object.hasOwn(explanations, k));
    expect(missing).toEqual([]);
    for (const key of keys) {
      const e = explanations[key]!;
      for (const lang of ['en', 'zh-CN'] as const) {
        expect(e.title[lang].trim(), `${key} title ${lang}`).not.toBe('');
        expect(e.text[lang].trim(), `${key} text ${lang}`).not.toBe('');
      }
    }
  });

  it('have short titles, in English and in Simplified Chinese (or a protocol acronym kept as is)', () => {
    for (const [key, { title }] of Object.entries(explanations)) {
      expect(title.en.length, key).toBeGreaterThan(1);
      expect(title.en.length, key).toBeLessThan(48);
      expect(HAN.test(title.en), key).toBe(false);
      expect(title['zh-CN'].length, key).toBeLessThan(24);
      // A flag bit keeps its acronym (SYN, ACK) in both languages; every other title is translated.
      if (title['zh-CN'] !== title.en) expect(HAN.test(title['zh-CN']), key).toBe(true);
      else expect(title.en, key).toMatch(/^[A-Z]{2,4}$/);
    }
    const zh = (key: string): string | undefined => explanations[key]?.title['zh-CN'];
    expect(explanations['tcp.sport']!.title).toEqual({ en: 'Source port', 'zh-CN': '源端口' });
    expect(zh('tcp.seq')).toBe('序号');
    expect(zh('tcp.ack')).toBe('确认号');
    expect(zh('tcp.dataOffset')).toBe('首部长度（数据偏移）');
    expect(zh('tcp.flags')).toBe('标志位');
    expect(explanations['tcp.flags.syn']!.title.en).toBe('SYN');
    expect(zh('ipv4.ttl')).toBe('生存时间（TTL）');
    expect(zh('ethernet.dst')).toBe('目的 MAC 地址');
    expect(explanations['tcp.options.mss']!.title.en).toBe('Maximum segment size (MSS)');
    expect(zh('osi.transport')).toBe('传输层');
  });

  it('are short, and written in English and in Simplified Chinese', () => {
    for (const [key, { text }] of Object.entries(explanations)) {
      expect(text.en.length, key).toBeGreaterThan(10);
      expect(text.en.length, key).toBeLessThan(320);
      expect(HAN.test(text.en), key).toBe(false);
      expect(HAN.test(text['zh-CN']), key).toBe(true);
      expect(text['zh-CN'].length, key).toBeLessThan(160);
    }
    expect(explanations['tcp.seq']!.text['zh-CN']).toContain('序号');
    expect(explanations['tcp.ack']!.text['zh-CN']).toContain('确认号');
    expect(explanations['tcp.window']!.text['zh-CN']).toContain('窗口');
    expect(explanations['tcp.checksum']!.text['zh-CN']).toContain('校验和');
    expect(explanations['tcp.flags.syn']!.text['zh-CN']).toContain('三次握手');
  });
});
