/** The sticky-packet experiment's parameters, their defaults and limits, and its presets. */
import { Type, type Static } from 'typebox';
import type { Localized } from '../../contract/experiment.js';

export const StickyParams = Type.Object(
  {
    messages: Type.String({ maxLength: 2000, pattern: '^[^\\n\\r]*$', default: 'hello|world|how|are|you' }),
    count: Type.Integer({ minimum: 0, maximum: 10_000, default: 0 }),
    size: Type.Integer({ minimum: 1, maximum: 65_536, default: 100 }),
    nagle: Type.Boolean({ default: true }),
    cork: Type.Boolean({ default: false }),
    gapMs: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
    warmup: Type.Integer({ minimum: 0, maximum: 50, default: 0 }),
    writes: Type.Enum(['each', 'one'], { default: 'each' }),
    reader: Type.Enum(['as-arrives', 'late'], { default: 'as-arrives' }),
    lateMs: Type.Integer({ minimum: 0, maximum: 5000, default: 300 }),
    recvSize: Type.Integer({ minimum: 1, maximum: 65_536, default: 1024 }),
    rcvbuf: Type.Integer({ minimum: 0, maximum: 4_194_304, default: 0 }),
    framing: Type.Enum(['none', 'length', 'delimiter', 'fixed'], { default: 'none' }),
  },
  { additionalProperties: false },
);
export type StickyParams = Static<typeof StickyParams>;

/** The most bytes of messages one run sends: enough for every effect, small enough to show. */
export const MAX_MESSAGE_BYTES = 2 * 1024 * 1024;

/** `count × size` within MAX_MESSAGE_BYTES (the schema bounds each alone), said in each language. */
export function stickyLimits(p: StickyParams): Localized<string> | null {
  const total = p.count * p.size;
  if (total <= MAX_MESSAGE_BYTES) return null;
  const most = Math.floor(MAX_MESSAGE_BYTES / p.size);
  const n = (v: number, lang: string) => v.toLocaleString(lang);
  return {
    en: `${n(p.count, 'en')} messages of ${n(p.size, 'en')} bytes make ${n(total, 'en')} bytes; a run sends at most ${n(MAX_MESSAGE_BYTES, 'en')} (at this size, at most ${n(most, 'en')} messages).`,
    'zh-CN': `${n(p.count, 'zh-CN')} 条 ${n(p.size, 'zh-CN')} 字节的消息共 ${n(total, 'zh-CN')} 字节；一次运行最多发送 ${n(MAX_MESSAGE_BYTES, 'zh-CN')} 字节（这个大小下最多 ${n(most, 'zh-CN')} 条）。`,
  };
}

/**
 * Runs that make each effect happen on Linux's loopback every time (measured: see the lesson
 * and sticky.test.ts). Nagle's merging is the kernel's to decide: `nagle-busy` gives it the
 * unacknowledged data it needs; it is reliable here, not promised everywhere.
 */
export const presets: Record<string, Partial<StickyParams>> = {
  'late-reader': { reader: 'late', nagle: false },
  cork: { cork: true },
  'recv-split': { messages: '', count: 1, size: 3000, recvSize: 1024, reader: 'late' },
  'nagle-busy': { nagle: true, warmup: 3, count: 20, size: 10 },
  'nagle-off': { nagle: false, warmup: 3, count: 20, size: 10 },
  'one-write': { writes: 'one' },
  'spaced-writes': { nagle: false, gapMs: 50 },
  'length-prefix': { reader: 'late', nagle: false, framing: 'length' },
  delimiter: { reader: 'late', nagle: false, framing: 'delimiter' },
  'fixed-length': { reader: 'late', nagle: false, framing: 'fixed' },
  'length-prefix-split': { messages: '', count: 1, size: 3000, recvSize: 1024, reader: 'late', framing: 'length' },
  'empty-message': { messages: 'hello||world', reader: 'late', nagle: false },
  'many-messages': { messages: '', count: 10_000, size: 20, framing: 'length' },
};
