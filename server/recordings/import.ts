/**
 * Turning files into recordings. A pcap or pcapng file is read as it arrives (counted as it is
 * read, stopped at the limit, the event loop given a turn every few hundred packets) and written
 * straight into a new recording with one lane per connection or flow. A trace JSON is checked
 * against the trace schema; its packets' decoded layers are not trusted (nor stored: they are
 * derived from the bytes when shown).
 */
import { Compile } from 'typebox/compile';
import { Type } from 'typebox';
import { JSONParser } from '@streamparser/json';
import { Trace, TraceEvent, TRACE_FORMAT, TRACE_VERSION, type TraceMeta } from '../contract/trace.js';
import { LabError } from '../errors.js';
import { CaptureReader } from '../pcap/capture-reader.js';
import { newRecordingId } from './ids.js';
import { LaneAssigner } from './lanes.js';
import { MAX_RECORDING_PACKETS, packetSummary } from './format.js';
import type { BeginMeta, RecordingStore } from './store.js';
import { RecordingWriter } from './writer.js';
import { Turns } from './turns.js';

const checkEvent = Compile(TraceEvent);
/** The trace without its events (they are checked one by one as they arrive). */
const checkHead = Compile(Type.Omit(Trace, ['events']));
/** The stated limits of an import. */
export const MAX_IMPORT_PACKETS = MAX_RECORDING_PACKETS;
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
/**
 * A trace JSON holds every packet decoded (kilobytes each): it is for small runs and scripts,
 * and bigger recordings travel as pcapng. Read as it arrives, so these bound time, not memory.
 */
export const MAX_JSON_IMPORT_BYTES = 512 * 1024 * 1024;
export const MAX_JSON_EVENTS = 40_000;
/** The latest instant a JavaScript Date can hold, in nanoseconds. */
const MAX_DATE_NS = 8_640_000_000_000_000_000_000n;
/** Largest piece of input handled at once. */
const PIECE = 64 * 1024;



/**
 * Reads a trace JSON from `source` into a new recording, event by event as the JSON arrives
 * (never the whole document in memory): each event is checked against the schema and written;
 * the rest of the trace is checked when the document ends. Counted as read, stopped at the limits.
 */
export async function importTrace(store: RecordingStore, source: AsyncIterable<Uint8Array>): Promise<TraceMeta> {
  const id = newRecordingId();
  return store.create(id, async (tmp, provisional) => {
    const writer = await RecordingWriter.create(tmp, provisional({ ...placeholder(id, 'imported trace'), experiment: 'import' }), { snaplen: 0, comment: 'imported trace' });
    try {
      const head: Record<string, unknown> = {};
      let failure: unknown = null;
      const parser = new JSONParser({ paths: ['$.*', '$.events.*'], keepStack: false });
      parser.onValue = ({ value, key, stack }) => {
        if (failure !== null) return;
        try {
          if (stack.length === 2) takeEvent(writer, value);
          else if (stack.length === 1 && typeof key === 'string' && key !== 'events') head[key] = value;
        } catch (err) {
          failure = err;
        }
      };
      parser.onError = (err) => {
        failure ??= new LabError('IMPORT_INVALID_TRACE', `Not a Socket Lab trace: the JSON does not parse (${err.message}).`);
      };
      const turns = new Turns();
      let bytes = 0;
      for await (const piece of pieces(source)) {
        bytes += piece.length;
        if (bytes > MAX_JSON_IMPORT_BYTES) {
          throw new LabError('IMPORT_TOO_LARGE', `A trace JSON may be at most ${MAX_JSON_IMPORT_BYTES / 1024 / 1024} MiB; import larger recordings as pcapng.`, 413);
        }
        parser.write(piece);
        if (failure !== null) throw failure;
        if (writer.pendingBytes > 1024 * 1024) await writer.drain();
        await turns.maybe();
      }
      if (bytes === 0) throw new LabError('IMPORT_EMPTY', 'Send a trace JSON (application/json) or a pcap/pcapng file (application/octet-stream).');
      if (!parser.isEnded) parser.end();
      if (failure !== null) throw failure;
      const trace = { ...head, id };
      if (!checkHead.Check(trace)) {
        const first = checkHead.Errors(trace)[0];
        const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'it does not match the trace format';
        throw new LabError('IMPORT_INVALID_TRACE', `Not a Socket Lab trace (${TRACE_FORMAT} v${TRACE_VERSION}) — at ${where}.`);
      }
      // The counts are what the file holds, not what it says it holds; tcpdump's own figures stay.
      const meta = store.finalMeta(trace, writer);
      await writer.finish(meta);
      return meta;
    } finally {
      await writer.close();
    }
  });
}

/** One event of a trace JSON: checked, numbered in order, within the limits, then written. */
function takeEvent(writer: RecordingWriter, value: unknown): void {
  const index = writer.events;
  if (index >= MAX_JSON_EVENTS) {
    throw new LabError('IMPORT_TOO_LARGE', `A trace JSON may hold at most ${MAX_JSON_EVENTS.toLocaleString('en')} events; import larger recordings as pcapng.`, 413);
  }
  if (!checkEvent.Check(value)) {
    const first = checkEvent.Errors(value)[0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'it is not an event';
    throw new LabError('IMPORT_INVALID_TRACE', `Not a Socket Lab trace (${TRACE_FORMAT} v${TRACE_VERSION}) — at /events/${index}${where}.`);
  }
  if (value.seq !== index) {
    throw new LabError('IMPORT_INVALID_TRACE', `Event ${index} has seq ${value.seq}; events must be numbered 0, 1, 2… in order.`);
  }
  if (value.kind === 'wire') {
    const size = Buffer.byteLength(value.data, 'base64');
    if (size !== value.caplen) {
      throw new LabError('IMPORT_INVALID_TRACE', `Packet ${value.frame}: caplen is ${value.caplen} but it holds ${size} bytes.`);
    }
  }
  writer.addEvent(value);
  if (writer.limit) throw new LabError('IMPORT_TOO_LARGE', writer.limit.message, 413);
}

/** What is known of an import before it is read. */
function placeholder(id: string, title: string): BeginMeta {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id,
    title,
    experiment: 'import',
    params: {},
    startedAt: new Date(0).toISOString(),
    startedAtUs: 0,
    // Where the file was captured is not known; only what it holds.
    env: { kernel: 'unknown', platform: 'unknown', node: 'unknown', capture: { available: true, method: 'file' }, snaplen: 0 },
  };
}

/** Where the packets came from, and what was odd about the file (read anyway, as tshark does). */
function importedFrom(reader: CaptureReader): string {
  const odd = reader.oddities.map((o) => (o.count > 1 ? `${o.message} (and ${o.count - 1} more)` : o.message));
  return [`Imported from a ${reader.format} file.`, ...odd.map((m) => `${m[0]!.toUpperCase()}${m.slice(1)}.`)].join(' ');
}

/** Cuts a stream's chunks into pieces of at most PIECE bytes. */
async function* pieces(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length; at += PIECE) yield chunk.subarray(at, at + PIECE);
  }
}

/** Reads a pcap or pcapng file from `source` into a new recording; answers with its meta. */
export async function importCapture(store: RecordingStore, source: AsyncIterable<Uint8Array>, name = 'imported capture'): Promise<TraceMeta> {
  const id = newRecordingId();
  const begin = placeholder(id, name);
  return store.create(id, async (tmp, provisional) => {
    const writer = await RecordingWriter.create(tmp, provisional(begin), { snaplen: 0, comment: name });
    try {
      // Views, not copies: the writer copies each packet's bytes into the recording at once.
      const reader = new CaptureReader({ data: 'view' });
      const lanes = new LaneAssigner();
      let first: bigint | null = null;
      let last = 0n;
      let bytes = 0;
      const turns = new Turns();
      for await (const piece of pieces(source)) {
        bytes += piece.length;
        if (bytes > MAX_IMPORT_BYTES) {
          throw new LabError('IMPORT_TOO_LARGE', `A capture may be at most ${MAX_IMPORT_BYTES / 1024 / 1024} MiB.`, 413);
        }
        for (const record of reader.push(piece)) {
          if (writer.packets >= MAX_IMPORT_PACKETS) {
            throw new LabError(
              'IMPORT_TOO_LARGE',
              `A capture may hold at most ${MAX_IMPORT_PACKETS.toLocaleString('en')} packets; this one has more (stopped reading after ${bytes.toLocaleString('en')} bytes).`,
              413,
            );
          }
          if (record.tsNs >= MAX_DATE_NS) {
            throw new LabError('CAPTURE_MALFORMED', `Malformed capture: a packet's timestamp (${record.tsNs} ns) is past any real date.`);
          }
          if (record.tsNs < 0n) {
            // Only a pcapng interface's time offset (if_tsoffset) can take a time below zero.
            throw new LabError(
              'CAPTURE_MALFORMED',
              `Malformed capture: packet ${writer.packets + 1}'s timestamp (${record.tsNs} ns) is before 1970, which no capture file can hold (its interface's time offset takes it there).`,
            );
          }
          // Captures may hold timestamps out of order: the clock starts at the earliest one.
          if (first === null || record.tsNs < first) first = record.tsNs;
          if (record.tsNs > last) last = record.tsNs;
          const linktype = record.linktype ?? reader.linktype;
          const summary = packetSummary(record.data, linktype, record.len);
          const found = lanes.laneOf(summary);
          if (found?.made) writer.addLane(found.lane);
          const line = { kind: 'wire' as const, seq: writer.events, frame: writer.packets + 1, ...(found ? { lane: found.lane.id } : {}) };
          writer.addPacket(line, record, linktype, summary);
          if (turns.due()) await turns.take();
        }
        if (writer.pendingBytes > 1024 * 1024) await writer.drain();
      }
      reader.end();
      if (writer.limit) throw new LabError('IMPORT_TOO_LARGE', writer.limit.message, 413);
      const clock = first ?? 0n;
      const startedAtUs = Number(clock / 1000n);
      const meta = store.finalMeta(
        {
          ...begin,
          startedAt: new Date(startedAtUs / 1000).toISOString(),
          startedAtUs,
          durationUs: Number(last - clock) / 1000,
          env: { ...begin.env, capture: { available: true, method: 'file', reason: importedFrom(reader) }, snaplen: reader.snaplen },
          lanes: lanes.lanes,
          counters: { packets: 0, truncated: 0 },
          outcome: { ok: true },
        },
        writer,
        clock.toString(),
      );
      await writer.finish(meta);
      return meta;
    } finally {
      await writer.close();
    }
  });
}
