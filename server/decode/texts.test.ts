import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fieldValue, malformedReason, packetTexts, sayText, sayTexts, type PacketTextKey } from '../contract/packet-texts.js';
import type { DecodedPacket, Field, SubField, TextRef } from '../contract/trace.js';
import { decodedCorpus } from './fixtures/corpus.js';
import { MUTATION_RUN, once } from '../setup/mutation-run.js';

const LANGS = ['en', 'zh-CN'] as const;
const HAN = /[\u4e00-\u9fff]/;
const PLACEHOLDER = /\{(\w+)(?::[^{}]*)?\}/g;

function placeholders(template: string): Set<string> {
  return new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!));
}

function allFields(packet: DecodedPacket): (Field | SubField)[] {
  return packet.layers.flatMap((l) => l.fields.flatMap((f) => [f, ...(f.children ?? [])]));
}

/** Every text a ref uses, itself and the texts among its parameters. */
function refsIn(ref: TextRef): TextRef[] {
  return [ref, ...Object.values(ref.args ?? {}).filter((a): a is TextRef => typeof a === 'object')];
}

const corpus = once(decodedCorpus);
/** Every text key the corpus's packets use, with up to 50 of its uses. */
const usedKeys = once(() => {
  const used = new Map<string, TextRef[]>();
  for (const packet of corpus()) {
    const refs = [
      ...allFields(packet).flatMap((f) => (f.text === undefined ? [] : Array.isArray(f.text) ? f.text : [f.text])),
      ...packet.layers.flatMap((l) => l.malformedText ?? []),
    ];
    for (const ref of refs.flatMap(refsIn)) {
      const list = used.get(ref.key) ?? [];
      if (list.length < 50) list.push(ref);
      used.set(ref.key, list);
    }
  }
  return used;
});

describe('packet texts (contract) and the decoder', () => {
  it.skipIf(MUTATION_RUN)('say every key the decoder emits in both languages, with exactly the parameters it gives', () => {
    const used = usedKeys();
    for (const [key, refs] of used) {
      expect(Object.hasOwn(packetTexts.en, key), key).toBe(true);
      for (const lang of LANGS) {
        const template = packetTexts[lang][key as PacketTextKey];
        for (const ref of refs) {
          expect(placeholders(template), `${lang} ${key}`).toEqual(new Set(Object.keys(ref.args ?? {})));
        }
      }
    }
    // The corpus reaches every key but those only a failure of the decoder itself gives.
    const unreached = Object.keys(packetTexts.en).filter((key) => !used.has(key));
    expect(unreached.sort()).toEqual(['malformed.decoderFailed', 'note.notDecoded']);
    expect(sayText({ key: 'malformed.decoderFailed', args: { message: 'boom' } }, 'zh-CN')).toBe('解码器处理这一帧时出错：boom');
  });

  it('have no orphans: every key is one the decoder can give', () => {
    const dir = import.meta.dirname;
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const orphans = Object.keys(packetTexts.en).filter((key) => !source.includes(`'${key}'`));
    expect(orphans).toEqual([]);
  });

  it('are in Chinese for zh-CN wherever the English has words', () => {
    for (const [key, en] of Object.entries(packetTexts.en)) {
      const zh = packetTexts['zh-CN'][key as PacketTextKey];
      const words = en.replace(PLACEHOLDER, '');
      if (/[a-z]{3,}/.test(words) && !/^(TSval|TSecr)/.test(words)) expect(HAN.test(zh), key).toBe(true);
    }
  });

  it.skipIf(MUTATION_RUN)('render to the English the decoder wrote as display and malformed, and to Chinese with every parameter filled', () => {
    for (const packet of corpus()) {
      for (const f of allFields(packet)) {
        if (f.text === undefined) continue;
        expect(fieldValue(f, 'en')).toBe(f.display);
        expect(sayTexts(f.text, 'en')).toBe(f.display);
        expect(fieldValue(f, 'zh-CN')).not.toMatch(/\{\w+(:[^}]*)?\}/);
      }
      for (const layer of packet.layers) {
        expect(layer.malformedText === undefined, layer.malformed).toBe(layer.malformed === undefined);
        if (!layer.malformedText) continue;
        expect(malformedReason(layer, 'en')).toBe(layer.malformed);
        const zh = malformedReason(layer, 'zh-CN')!;
        expect(zh).not.toMatch(/\{\w+(:[^}]*)?\}/);
        expect(HAN.test(zh), layer.malformed).toBe(true);
      }
    }
  });

  it.skipIf(MUTATION_RUN)('leave no words in English without a key: a value with no text is numbers, hex, names or an address', () => {
    for (const packet of corpus()) {
      for (const layer of packet.layers) {
        if (layer.name === 'payload') continue;
        for (const f of layer.fields.flatMap((x) => [x, ...(x.children ?? [])])) {
          if (f.text === undefined) expect(f.display, `${f.explain}: ${f.display}`).not.toMatch(/\b[a-z]{3,}\b/);
        }
      }
    }
  });

  it('say values in the language asked for', () => {
    const say = (key: PacketTextKey, args?: TextRef['args']) => ({ en: sayText({ key, args }, 'en'), zh: sayText({ key, args }, 'zh-CN') });
    expect(say('value.bytes', { n: 1 })).toEqual({ en: '1 byte', zh: '1 字节' });
    expect(say('value.bytes', { n: 65495 })).toEqual({ en: '65495 bytes', zh: '65495 字节' });
    expect(say('value.wscale', { n: 10, factor: 1024 })).toEqual({ en: 'shift 10 (×1024)', zh: '左移 10 位（×1024）' });
    expect(say('malformed.truncated', { part: { key: 'part.tcpHeader' }, need: 20, have: 6 }).zh).toBe(
      '被抓包截断：TCP 首部需要 20 字节，但只抓到 6 字节（快照长度所限）；线路上的数据包是完整的',
    );
    // A key this build does not know (a newer recording) falls back to the display text.
    expect(fieldValue({ display: 'as written', text: { key: 'value.fromTheFuture' } }, 'zh-CN')).toBe('as written');
    // A recording made before values had keys shows its display text.
    expect(fieldValue({ display: '64 hops' }, 'zh-CN')).toBe('64 hops');
    expect(malformedReason({ malformed: 'old reason' }, 'zh-CN')).toBe('old reason');
    expect(malformedReason({}, 'en')).toBeUndefined();
  });
});
