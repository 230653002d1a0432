/**
 * Turning files into recordings. A trace JSON is checked against the trace schema and its
 * packets are decoded again from their bytes (the decoded layers in a file are not trusted);
 * a pcap or pcapng file becomes a trace of wire events with one lane per connection or flow.
 */
import { Compile } from 'typebox/compile';
import { Trace, TRACE_FORMAT, TRACE_VERSION, type Lane, type WireEvent } from '../contract/trace.js';
import { LabError } from '../errors.js';
import { decodeFrame } from '../decode/index.js';
import { readCaptureFile } from '../pcap/read-capture.js';
import { newRecordingId } from './ids.js';
import { assignLanes } from './lanes.js';

const checkTrace = Compile(Trace);
/**
 * Bounds the work and the disk one import can cause: every packet is stored decoded, field by
 * field (a few kilobytes each), and a lesson's capture has tens of packets, not thousands.
 */
export const MAX_IMPORT_PACKETS = 10_000;
const MAX_EVENTS = 4 * MAX_IMPORT_PACKETS;
/** The latest instant a JavaScript Date can hold, in nanoseconds. */
const MAX_DATE_NS = 8_640_000_000_000_000_000_000n;

export function importTraceJson(value: unknown): Trace {
  if (!checkTrace.Check(value)) {
    const first = checkTrace.Errors(value)[0];
    const where = first ? `${first.instancePath || '/'}: ${first.message}` : 'it does not match the trace format';
    throw new LabError('IMPORT_INVALID_TRACE', `Not a Socket Lab trace (${TRACE_FORMAT} v${TRACE_VERSION}) — at ${where}.`);
  }
  if (value.events.length > MAX_EVENTS) {
    throw new LabError('IMPORT_TOO_LARGE', `A trace may hold at most ${MAX_EVENTS} events.`, 413);
  }
  let packets = 0;
  let truncated = 0;
  const events = value.events.map((event, index) => {
    if (event.seq !== index) {
      throw new LabError('IMPORT_INVALID_TRACE', `Event ${index} has seq ${event.seq}; events must be numbered 0, 1, 2… in order.`);
    }
    if (event.kind !== 'wire') return event;
    const bytes = Buffer.from(event.data, 'base64');
    if (bytes.length !== event.caplen) {
      throw new LabError('IMPORT_INVALID_TRACE', `Packet ${event.frame}: caplen is ${event.caplen} but it holds ${bytes.length} bytes.`);
    }
    if (++packets > MAX_IMPORT_PACKETS) {
      throw new LabError('IMPORT_TOO_LARGE', `A trace may hold at most ${MAX_IMPORT_PACKETS} packets.`, 413);
    }
    if (event.caplen < event.len) truncated++;
    return { ...event, decoded: decodeFrame(bytes, event.linktype, event.len) };
  });
  // The counts are what the file holds, not what it says it holds; tcpdump's own figures stay.
  return { ...value, id: newRecordingId(), events, counters: { ...value.counters, packets, truncated } };
}

export function importCapture(bytes: Uint8Array, name = 'imported capture'): Trace {
  const file = readCaptureFile(bytes);
  if (file.records.length > MAX_IMPORT_PACKETS) {
    throw new LabError('IMPORT_TOO_LARGE', `A capture may hold at most ${MAX_IMPORT_PACKETS} packets; this one has ${file.records.length}.`, 413);
  }
  // Captures may hold timestamps out of order: the clock starts at the earliest one.
  let first = file.records[0]?.tsNs ?? 0n;
  let last = first;
  for (const { tsNs } of file.records) {
    if (tsNs < first) first = tsNs;
    if (tsNs > last) last = tsNs;
  }
  if (last >= MAX_DATE_NS) {
    throw new LabError('CAPTURE_MALFORMED', `Malformed capture: a packet's timestamp (${last} ns) is past any real date.`);
  }
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
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id: newRecordingId(),
    title: name,
    experiment: 'import',
    params: {},
    startedAt: new Date(startedAtUs / 1000).toISOString(),
    startedAtUs,
    durationUs: Number(last - first) / 1000,
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
