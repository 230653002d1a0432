/**
 * Turning files into recordings. A pcap or pcapng file is read as it arrives (counted as it is
 * read, stopped at the limit, the event loop given a turn every few hundred packets) and written
 * straight into a new recording with one lane per connection or flow. A trace JSON is checked
 * against the trace schema; its packets' decoded layers are not trusted (nor stored: they are
 * derived from the bytes when shown).
 */
import { Compile } from 'typebox/compile';
import { Trace, TRACE_FORMAT, TRACE_VERSION, type TraceMeta } from '../contract/trace.js';
import { LabError } from '../errors.js';
import { CaptureReader } from '../pcap/capture-reader.js';
import { newRecordingId } from './ids.js';
import { LaneAssigner } from './lanes.js';
import { MAX_RECORDING_PACKETS, packetSummary } from './format.js';
import type { BeginMeta, RecordingStore } from './store.js';
import { RecordingWriter } from './writer.js';
import { Turns } from './turns.js';

const checkTrace = Compile(Trace);
/** The stated limits of an import. */
export const MAX_IMPORT_PACKETS = MAX_RECORDING_PACKETS;
export const MAX_IMPORT_BYTES = 1024 * 1024 * 1024;
/** A trace JSON is for small runs and scripts: bigger recordings travel as pcapng. */
export const MAX_JSON_IMPORT_BYTES = 32 * 1024 * 1024;
export const MAX_JSON_IMPORT_EVENTS = 40_000;
/** The latest instant a JavaScript Date can hold, in nanoseconds. */
const MAX_DATE_NS = 8_640_000_000_000_000_000_000n;
/** Largest piece of input handled at once. */
const PIECE = 64 * 1024;



export function importTraceJson(value: unknown): Trace {
  // The size first: a schema check of millions of entries is itself the cost to avoid.
  const events = (value as { events?: unknown } | null)?.events;
  if (Array.isArray(events) && events.length > MAX_JSON_IMPORT_EVENTS) {
    throw new LabError(
      'IMPORT_TOO_LARGE',
      `A trace JSON may hold at most ${MAX_JSON_IMPORT_EVENTS} events; this one has ${events.length}. Import larger recordings as pcapng.`,
      413,
    );
  }
  if (!checkTrace.Check(value)) {
    const first = checkTrace.Errors(value)[0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'it does not match the trace format';
    throw new LabError('IMPORT_INVALID_TRACE', `Not a Socket Lab trace (${TRACE_FORMAT} v${TRACE_VERSION}) — at ${where}.`);
  }
  let packets = 0;
  let truncated = 0;
  value.events.forEach((event, index) => {
    if (event.seq !== index) {
      throw new LabError('IMPORT_INVALID_TRACE', `Event ${index} has seq ${event.seq}; events must be numbered 0, 1, 2… in order.`);
    }
    if (event.kind !== 'wire') return;
    const bytes = Buffer.from(event.data, 'base64');
    if (bytes.length !== event.caplen) {
      throw new LabError('IMPORT_INVALID_TRACE', `Packet ${event.frame}: caplen is ${event.caplen} but it holds ${bytes.length} bytes.`);
    }
    packets++;
    if (event.caplen < event.len) truncated++;
  });
  // The counts are what the file holds, not what it says it holds; tcpdump's own figures stay.
  return { ...value, id: newRecordingId(), counters: { ...value.counters, packets, truncated } };
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
  const begin: BeginMeta = {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id,
    title: name,
    experiment: 'import',
    params: {},
    startedAt: new Date(0).toISOString(),
    startedAtUs: 0,
    // Where the file was captured is not known; only what it holds.
    env: { kernel: 'unknown', platform: 'unknown', node: 'unknown', capture: { available: true, method: 'file' }, snaplen: 0 },
  };
  return store.create(id, async (tmp, provisional) => {
    const writer = await RecordingWriter.create(tmp, provisional(begin), { snaplen: 0, comment: name });
    try {
      const reader = new CaptureReader();
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
          // Captures may hold timestamps out of order: the clock starts at the earliest one.
          if (first === null || record.tsNs < first) first = record.tsNs;
          if (record.tsNs > last) last = record.tsNs;
          const linktype = record.linktype ?? reader.linktype;
          const found = lanes.laneOf(packetSummary(record.data, linktype, record.len));
          if (found?.made) writer.addLane(found.lane);
          const line = { kind: 'wire' as const, seq: writer.events, frame: writer.packets + 1, ...(found ? { lane: found.lane.id } : {}) };
          writer.addPacket(line, { ...record, linktype });
          await turns.maybe();
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
