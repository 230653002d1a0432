/**
 * What the sticky experiment's data segments are in the lesson, per language: which bytes of the
 * client's stream each carries and which messages they belong to (merged, or split).
 */
import { analyseStream, messagesIn, type MessageSpan, type Span } from '../../contract/byte-stream.js';
import type { Lang } from '../../contract/experiment.js';
import type { Trace } from '../../contract/trace.js';

const WORDS: Record<Lang, { segment: string; one: string; many: string; split: string }> = {
  en: {
    segment: 'Segment {n} of the client’s stream: bytes {from}–{to} ({bytes} bytes)',
    one: 'message {m}',
    many: 'messages {first}–{last} merged in one segment',
    split: 'part of a message split across segments',
  },
  'zh-CN': {
    segment: '客户端字节流的第 {n} 个报文段：第 {from}–{to} 字节（共 {bytes} 字节）',
    one: '消息 {m}',
    many: '消息 {first}–{last} 粘在同一个报文段里',
    split: '一条消息被拆到几个报文段里，这是其中一部分',
  },
};

function fill(text: string, values: Record<string, number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

function splitIn(spans: readonly MessageSpan[], s: Span): boolean {
  const first = spans.find((m) => m.start <= s.start && s.start < m.end);
  const last = spans.find((m) => m.start < s.end && s.end <= m.end);
  return (!!first && first.start < s.start) || (!!last && last.end > s.end);
}

export function stickyPacketComments(trace: Trace, lang: Lang): Map<number, string> {
  const out = new Map<number, string>();
  const stream = analyseStream(trace.events, trace.lanes, true);
  if (!stream) return out;
  const w = WORDS[lang];
  const sep = lang === 'en' ? '; ' : '；';
  stream.segments.forEach((seg, i) => {
    const parts = [fill(w.segment, { n: i + 1, from: seg.start - stream.plan.warmupBytes + 1, to: seg.end - stream.plan.warmupBytes, bytes: seg.end - seg.start })];
    const touched = messagesIn(stream.spans, seg);
    if (touched) parts.push(touched.first === touched.last ? fill(w.one, { m: touched.first + 1 }) : fill(w.many, { first: touched.first + 1, last: touched.last + 1 }));
    if (splitIn(stream.spans, seg)) parts.push(w.split);
    const event = trace.events[seg.step];
    if (event) out.set(event.seq, parts.join(sep));
  });
  return out;
}
