/**
 * One direction of a TCP connection as a byte stream: what the sender wrote, what crossed the
 * wire, what the receiver read, and the messages it rebuilt — each as a range of stream offsets,
 * so the three line up byte for byte. The one rule for the facts of an experiment that sends messages, the
 * terminal and the page's byte-stream view.
 *
 * The run says what its messages are with a note `stream.plan` whose `data` is a `StreamPlan`:
 * the message sizes the sender frames, its framing, and the bytes before the measured round
 * (warm-up). Offsets count from the first byte the sender ever wrote on the connection.
 */
import { LaneIndex } from './lanes.js';
import { seqDiff } from './tcp-seq.js';
import type { AppEvent, Lane, NoteEvent, TraceEvent } from './trace.js';

export const FRAMINGS = ['none', 'length', 'delimiter', 'fixed'] as const;
export type Framing = (typeof FRAMINGS)[number];

/** The length prefix: 4 bytes, big-endian (`struct.pack('!I', n)`). */
export const LENGTH_PREFIX_BYTES = 4;
/** The delimiter: one newline byte. */
export const DELIMITER = 0x0a;

export const PLAN_NOTE = 'stream.plan';

export interface StreamPlan {
  framing: Framing;
  /** The sender's actor, whose writes make the stream, and the receiver's, whose reads take it. */
  sender: string;
  receiver: string;
  /** Bytes the sender wrote before the measured round (warm-up). */
  warmupBytes: number;
  /** Each message's own bytes, in order. */
  sizes: number[];
  /** `fixed`: the size every message is padded to with zero bytes. */
  fixedSize: number;
}

/** A range of stream offsets, `[start, end)`. */
export interface Span {
  start: number;
  end: number;
}

/** Where a message sits in the stream: its framing bytes around its own bytes (`body`). */
export interface MessageSpan extends Span {
  index: number;
  body: Span;
}

/** The stream ranges of a plan's messages, after the warm-up. */
export function messageSpans(plan: StreamPlan): MessageSpan[] {
  const spans: MessageSpan[] = [];
  let at = plan.warmupBytes;
  plan.sizes.forEach((size, index) => {
    const head = plan.framing === 'length' ? LENGTH_PREFIX_BYTES : 0;
    const tail = plan.framing === 'delimiter' ? 1 : plan.framing === 'fixed' ? Math.max(0, plan.fixedSize - size) : 0;
    const body = { start: at + head, end: at + head + size };
    spans.push({ index, start: at, end: body.end + tail, body });
    at = body.end + tail;
  });
  return spans;
}

/** Index of the span holding `offset` (binary search over sorted, touching spans); -1 for none. */
export function spanAt(spans: readonly Span[], offset: number): number {
  let lo = 0;
  let hi = spans.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const s = spans[mid]!;
    if (offset < s.start) hi = mid - 1;
    else if (offset >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** The messages `[first, last]` a range touches (by their whole framed spans); null when none. */
export function messagesIn(spans: readonly MessageSpan[], range: Span): { first: number; last: number } | null {
  if (range.end <= range.start) return null;
  const first = spanAt(spans, range.start);
  const last = spanAt(spans, range.end - 1);
  if (first < 0 && last < 0) return null;
  return { first: first < 0 ? 0 : first, last: last < 0 ? spans.length - 1 : last };
}

/**
 * The messages a receiver rebuilds from the bytes it read, by the framing rule (the same rule
 * its program follows). Without framing, each read is taken for one message. Offsets are stream
 * offsets; `bytes` is what the receiver ends up with as the message. A last piece that is not a
 * whole frame is `incomplete`.
 */
export interface RebuiltMessage {
  /** The framed range, and the message's own bytes within it. */
  span: Span;
  body: Span;
  bytes: Uint8Array;
  /** The read (index into the reads given) that completed it. */
  read: number;
}

export interface ReadChunk {
  /** Stream offset of the read's first byte. */
  start: number;
  bytes: Uint8Array;
}

export function rebuildMessages(framing: Framing, fixedSize: number, reads: readonly ReadChunk[]): { messages: RebuiltMessage[]; leftover: number } {
  const messages: RebuiltMessage[] = [];
  if (framing === 'none') {
    reads.forEach((r, read) => {
      if (r.bytes.length === 0) return;
      const span = { start: r.start, end: r.start + r.bytes.length };
      messages.push({ span, body: span, bytes: r.bytes, read });
    });
    return { messages, leftover: 0 };
  }
  // Bytes read and not yet cut into messages, from stream offset `base`.
  let pending = new Uint8Array(0);
  let base = reads[0]?.start ?? 0;
  reads.forEach((r, read) => {
    if (r.bytes.length === 0) return;
    const joined = new Uint8Array(pending.length + r.bytes.length);
    joined.set(pending);
    joined.set(r.bytes, pending.length);
    let at = 0;
    for (;;) {
      const cut = nextFrame(framing, fixedSize, joined, at);
      if (!cut) break;
      const body = joined.slice(cut.body[0], cut.body[1]);
      messages.push({
        span: { start: base + at, end: base + cut.end },
        body: { start: base + cut.body[0], end: base + cut.body[1] },
        bytes: body,
        read,
      });
      at = cut.end;
    }
    pending = joined.slice(at);
    base += at;
  });
  return { messages, leftover: pending.length };
}

/** The next whole frame in `buf` from `at`: its end and its message's bytes; null when not all here. */
function nextFrame(framing: Framing, fixedSize: number, buf: Uint8Array, at: number): { end: number; body: [number, number] } | null {
  const left = buf.length - at;
  if (framing === 'length') {
    if (left < LENGTH_PREFIX_BYTES) return null;
    const n = ((buf[at]! << 24) >>> 0) + (buf[at + 1]! << 16) + (buf[at + 2]! << 8) + buf[at + 3]!;
    if (left < LENGTH_PREFIX_BYTES + n) return null;
    return { end: at + LENGTH_PREFIX_BYTES + n, body: [at + LENGTH_PREFIX_BYTES, at + LENGTH_PREFIX_BYTES + n] };
  }
  if (framing === 'delimiter') {
    const nl = buf.indexOf(DELIMITER, at);
    return nl < 0 ? null : { end: nl + 1, body: [at, nl] };
  }
  // fixed: every frame is fixedSize bytes; the zero bytes it was padded with are taken off.
  const size = Math.max(1, fixedSize);
  if (left < size) return null;
  let end = at + size;
  while (end > at && buf[end - 1] === 0) end--;
  return { end: at + size, body: [at, end] };
}

// ---------------------------------------------------------------- a run's stream

export interface StreamItem extends Span {
  /** Index of the event in the trace. */
  step: number;
}

/** Every verdict a stream can end in (see `StreamAnalysis.verdict`). */
export const VERDICTS = ['kept', 'lost', 'rebuilt', 'broken', 'unsent'] as const;
export type Verdict = (typeof VERDICTS)[number];

export interface StreamAnalysis {
  plan: StreamPlan;
  /** The step of the plan note. */
  planStep: number;
  spans: MessageSpan[];
  /** The sender's writes of the measured round, in order (an empty write has start = end). */
  writes: StreamItem[];
  /** Captured segments of the sender with payload in the measured round. */
  segments: StreamItem[];
  /** The receiver's reads of the measured round with bytes (not the end-of-stream read). */
  reads: StreamItem[];
  /** The messages rebuilt from the reads, each with the step of the read that completed it. */
  rebuilt: (RebuiltMessage & { step: number; exact: boolean; message: number })[];
  /** Whether the run captured packets (else the wire lane is empty for that reason). */
  captured: boolean;
  counts: { messages: number; writes: number; segments: number; reads: number; rebuilt: number; exact: number };
  /** The sizes of the reads, `1024+1024+952`. */
  readSizes: string;
  /**
   * `kept`/`lost`: without framing, whether each read held exactly one message; `rebuilt`/
   * `broken`: with framing, whether every message came back exactly; `unsent`: the sender wrote
   * fewer bytes than its plan (it failed or was stopped), so there is nothing to judge.
   */
  verdict: Verdict;
  /** Bytes the sender wrote in the measured round, and the bytes its plan meant it to write. */
  sentBytes: number;
  plannedBytes: number;
}

/** Node 20 and browsers both have it. */
declare function atob(data: string): string;

function base64Bytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function isPlan(value: unknown): value is StreamPlan {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  return (
    (FRAMINGS as readonly unknown[]).includes(p.framing) &&
    typeof p.sender === 'string' &&
    typeof p.receiver === 'string' &&
    typeof p.warmupBytes === 'number' &&
    typeof p.fixedSize === 'number' &&
    Array.isArray(p.sizes) &&
    p.sizes.every((n) => typeof n === 'number' && n >= 0)
  );
}

/** The plan note of a run, when it has one. */
export function findPlan(events: readonly TraceEvent[]): { plan: StreamPlan; step: number } | null {
  for (let step = 0; step < events.length; step++) {
    const e = events[step]!;
    if (e.kind === 'note' && e.key === PLAN_NOTE && isPlan((e as NoteEvent).data)) return { plan: e.data as StreamPlan, step };
  }
  return null;
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * A run's stream from sender to receiver, measured round only; null when the run has no plan.
 * `captured`: whether the run had packet capture (a run without it has no segments).
 */
export function analyseStream(events: readonly TraceEvent[], lanes: readonly Lane[], captured: boolean): StreamAnalysis | null {
  const found = findPlan(events);
  if (!found) return null;
  const { plan } = found;
  const spans = messageSpans(plan);
  const w = plan.warmupBytes;
  const writes: StreamItem[] = [];
  const reads: StreamItem[] = [];
  const readChunks: ReadChunk[] = [];
  const readSteps: number[] = [];
  const sent: Uint8Array[] = [];
  let wrote = 0;
  let read = 0;
  let senderLane: string | undefined;
  events.forEach((e, step) => {
    if (e.kind !== 'app') return;
    const app = e as AppEvent;
    if (app.actor === plan.sender && app.op === 'write') {
      if (wrote >= w) {
        writes.push({ step, start: wrote, end: wrote + app.size });
        sent.push(base64Bytes(app.data));
      }
      senderLane ??= app.lane;
      wrote += app.size;
    } else if (app.actor === plan.receiver && app.op === 'read' && app.size > 0) {
      if (read >= w) {
        reads.push({ step, start: read, end: read + app.size });
        readChunks.push({ start: read, bytes: base64Bytes(app.data) });
        readSteps.push(step);
      }
      read += app.size;
    }
  });

  // What the sender sent, byte for byte: each message's own bytes come from here.
  const stream = new Uint8Array(Math.max(0, wrote - w));
  let at = 0;
  for (const chunk of sent) {
    stream.set(chunk.subarray(0, Math.max(0, Math.min(chunk.length, stream.length - at))), at);
    at += chunk.length;
  }
  const sentBody = (s: Span): Uint8Array => stream.subarray(Math.max(0, s.start - w), Math.max(0, s.end - w));

  // Segments: the sender's data segments on its connection, at their relative sequence numbers.
  const segments: StreamItem[] = [];
  const index = new LaneIndex(lanes);
  let isn: number | undefined;
  const seen = new Set<number>();
  events.forEach((e, step) => {
    if (e.kind !== 'wire') return;
    const s = e.decoded.summary;
    if (s.proto !== 'tcp' || s.seq === undefined) return;
    const onLane = index.ofPacket(s);
    if (!onLane || (senderLane !== undefined && onLane.lane.id !== senderLane)) return;
    const senderSide = onLane.lane.clientActor === plan.sender ? 'client' : onLane.lane.serverActor === plan.sender ? 'server' : 'client';
    if (onLane.from !== senderSide) return;
    if (isn === undefined) isn = s.flags?.includes('SYN') ? s.seq : (s.seq - 1) >>> 0;
    if (s.payloadLength === 0) return;
    const start = seqDiff(s.seq, isn) - 1;
    // A retransmission repeats bytes already counted; the lanes show the first time they crossed.
    if (start < w || seen.has(start)) return;
    seen.add(start);
    segments.push({ step, start, end: start + s.payloadLength });
  });

  const { messages } = rebuildMessages(plan.framing, plan.fixedSize, readChunks);
  const rebuilt = messages.map((m, i) => {
    const message = i < spans.length ? i : -1;
    const exact = message >= 0 && equalBytes(m.bytes, sentBody(spans[message]!.body));
    return { ...m, step: readSteps[m.read]!, exact, message };
  });
  const exact = rebuilt.filter((m) => m.exact).length;
  const allBack = exact === spans.length && rebuilt.length === spans.length;
  const plannedBytes = (spans.at(-1)?.end ?? w) - w;
  const sentBytes = Math.max(0, wrote - w);
  const verdict: Verdict =
    sentBytes < plannedBytes ? 'unsent' : plan.framing === 'none' ? (allBack ? 'kept' : 'lost') : allBack ? 'rebuilt' : 'broken';
  return {
    plan,
    planStep: found.step,
    spans,
    writes,
    segments,
    reads,
    rebuilt,
    captured,
    counts: {
      messages: spans.length,
      writes: writes.length,
      segments: segments.length,
      reads: reads.length,
      rebuilt: rebuilt.length,
      exact,
    },
    readSizes: reads.map((r) => r.end - r.start).join('+'),
    verdict,
    sentBytes,
    plannedBytes,
  };
}
