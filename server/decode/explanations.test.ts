import { describe, expect, it } from 'vitest';
import type { DecodedPacket } from '../trace/schema.js';
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
