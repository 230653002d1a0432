/**
 * Turning files into recordings. A trace JSON is checked against the trace schema and its
 * packets are decoded again from their bytes (the decoded layers in a file are not trusted);
 * a pcap or pcapng file becomes a trace of wire events with one lane per connection or flow.
 */
import { Compile } from 'typebox/compile';
import { Trace, TRACE_FORMAT, TRACE_VERSION, type Lane, type WireEvent } from '../trace/schema.js';
import { LabError } from '../errors.js';
import { decodeFrame } from '../decode/index.js';
import { readCaptureFile } from '../pcap/read-capture.js';
import { newRecordingId } from './ids.js';
import { assignLanes } from './lanes.js';

const checkTrace = Compile(Trace);
/** Bounds the work one import can cause. */
const MAX_EVENTS = 200_000;

export function importTraceJson(value: unknown): Trace {
  if (!checkTrace.Check(value)) {
    const first = checkTrace.Errors(value)[0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'it does not match the trace format';
    throw new LabError('IMPORT_INVALID_TRACE', `Not a Socket Lab trace (${TRACE_FORMAT} v${TRACE_VERSION}) — at ${where}.`);
  }
  if (value.events.length > MAX_EVENTS) {
    throw new LabError('IMPORT_TOO_LARGE', `A trace may hold at most ${MAX_EVENTS} events.`, 413);
  }
  const events = value.events.map((event, index) => {
    if (event.seq !== index) {
      throw new LabError('IMPORT_INVALID_TRACE', `Event ${index} has seq ${event.seq}; events must be numbered 0, 1, 2… in order.`);
    }
    if (event.kind !== 'wire') return event;
    const bytes = Buffer.from(event.data, 'base64');
    if (bytes.length !== event.caplen) {
      throw new LabError('IMPORT_INVALID_TRACE', `Packet ${event.frame}: caplen is ${event.caplen} but it holds ${bytes.length} bytes.`);
    }
    return { ...event, decoded: decodeFrame(bytes, event.linktype, event.len) };
  });
  return { ...value, id: newRecordingId(), events };
}

export function importCapture(bytes: Uint8Array, name = 'imported capture'): Trace {
  const file = readCaptureFile(bytes);
  if (file.records.length > MAX_EVENTS) {
    throw new LabError('IMPORT_TOO_LARGE', `A capture may hold at most ${MAX_EVENTS} packets.`, 413);
  }
  const first = file.records[0]?.tsNs ?? 0n;
  const startedAtUs = Number(first / 1000n);
  let truncated = 0;
  const wire: WireEvent[] = file.records.map((record, index) => {
    if (record.caplen < record.len) truncated++;
    const linktype = record.linktype ?? file.linktype;
    return {
      kind: 'wire',
      seq: index,
      t: Number(record.tsNs - first) / 1000,
      frame: index + 1,
      tsNs: record.tsNs.toString(),
      caplen: record.caplen,
      len: record.len,
      linktype,
      data: Buffer.from(record.data).toString('base64'),
      decoded: decodeFrame(record.data, linktype, record.len),
    };
  });
  const lanes: Lane[] = assignLanes(wire);
  const last = wire.at(-1)?.t ?? 0;
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id: newRecordingId(),
    title: name,
    experiment: 'import',
    params: {},
    startedAt: new Date(startedAtUs / 1000).toISOString(),
    startedAtUs,
    durationUs: last,
    // Where the file was captured is not known; only what it holds.
    env: {
      kernel: 'unknown',
      platform: 'unknown',
      node: 'unknown',
      capture: { available: true, method: 'file', reason: `Imported from a ${file.format} file.` },
      snaplen: file.snaplen,
    },
    lanes,
    events: wire,
    counters: { packets: wire.length, truncated },
    outcome: { ok: true },
  };
}
