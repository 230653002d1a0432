import { describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../contract/trace.js';
import { explanations } from './explanations.js';
import { craftedFrames } from './fixtures/craft.js';
import { FIXTURES, loadFixture, seededRandom } from './fixtures/load.js';
import { decodeFrame } from './index.js';

/** Every packet the other tests decode, plus random corruptions of the real ones. */
function corpus(): DecodedPacket[] {
  const out: DecodedPacket[] = [];
  const records = FIXTURES.flatMap((name) => loadFixture(name));
  for (const r of records) out.push(decodeFrame(r.data, 1, r.len));
  for (const frame of Object.values(craftedFrames())) out.push(decodeFrame(frame.data, frame.linktype));
  const random = seededRandom(7);
  for (let i = 0; i < 2000; i++) {
    const r = records[Math.floor(random() * records.length)]!;
    const data = r.data.slice();
    data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
    out.push(decodeFrame(data, 1, r.len));
  }
  out.push(decodeFrame(new Uint8Array(0), 1));
  return out;
}

const HAN = /[\u4e00-\u9fff]/;

describe('explanations', () => {
  it('cover every explain key and every layer the decoder emits, in both languages', () => {
    const keys = new Set<string>(['layer.physical']);
    for (const packet of corpus()) {
      for (const layer of packet.layers) {
        keys.add(`layer.${layer.name}`);
        keys.add(`osi.${layer.osi}`);
        for (const f of layer.fields) {
          keys.add(f.explain);
          for (const c of f.children ?? []) keys.add(c.explain);
        }
      }
    }
    // Spot-check that the corpus reaches deep into the packets.
    for (const key of ['tcp.flags.syn', 'tcp.options.mss', 'tcp.options.sack', 'ipv6.ext.fragment', 'ipv4.options', 'unknown.data']) {
      expect(keys).toContain(key);
    }
    const missing = [...keys].filter((k) => !explanations[k]);
    expect(missing).toEqual([]);
    const untitled = [...keys].filter((k) => !explanations[k]?.title.en.trim() || !explanations[k]?.title['zh-CN'].trim());
    expect(untitled).toEqual([]);
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
    expect(zh('tcp.seq')).toBe('序列号');
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
    for (const [key, text] of Object.entries(explanations)) {
      expect(text.en.length, key).toBeGreaterThan(10);
      expect(text.en.length, key).toBeLessThan(320);
      expect(HAN.test(text.en), key).toBe(false);
      expect(HAN.test(text['zh-CN']), key).toBe(true);
      expect(text['zh-CN'].length, key).toBeLessThan(160);
    }
    expect(explanations['tcp.seq']!['zh-CN']).toContain('序列号');
    expect(explanations['tcp.ack']!['zh-CN']).toContain('确认号');
    expect(explanations['tcp.window']!['zh-CN']).toContain('窗口');
    expect(explanations['tcp.checksum']!['zh-CN']).toContain('校验和');
    expect(explanations['tcp.flags.syn']!['zh-CN']).toContain('三次握手');
  });
});
