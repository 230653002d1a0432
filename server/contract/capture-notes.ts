/**
 * Notes the lab itself adds to any run's trace when its packet capture did not cover the whole
 * run: tcpdump ended before it was asked to (`capture.ended`, with the signal or exit code as
 * `cause`), or stopped delivering packets (`capture.stalled`). Either marks the run's outcome
 * `CAPTURE_INCOMPLETE`; the packets after the note (or, for a stall, some of the run's packets)
 * are missing, so facts that count or deny over the whole capture are unknown.
 */
import type { Lang } from './experiment.js';
import type { TraceEvent } from './trace.js';

export const CAPTURE_GAP_NOTES = ['capture.ended', 'capture.stalled'] as const;
export type CaptureGapNote = (typeof CAPTURE_GAP_NOTES)[number];

/** The notes' words in each language, `{name}` filled from the note's values. */
export const CAPTURE_NOTE_TEXTS: Record<Lang, Record<CaptureGapNote, string>> = {
  en: {
    'capture.ended': 'Packet capture ended before the run did (tcpdump: {cause}); the packets after this point are missing.',
    'capture.stalled': 'Packet capture stopped delivering packets (tcpdump did not answer); some of the run’s packets may be missing.',
  },
  'zh-CN': {
    'capture.ended': '抓包在运行结束之前就停止了（tcpdump：{cause}）；此后的数据包缺失。',
    'capture.stalled': '抓包不再送出数据包（tcpdump 没有应答）；本次运行的部分数据包可能缺失。',
  },
};

/** True when the trace's capture ended or stalled before its run was over. */
export function captureIncomplete(trace: { events: readonly TraceEvent[] }): boolean {
  return trace.events.some((e) => e.kind === 'note' && (CAPTURE_GAP_NOTES as readonly string[]).includes(e.key));
}
