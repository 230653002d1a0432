/**
 * The recording on disk: a folder `<data>/recordings/<id>/` holding
 *
 * - `capture.pcapng` — every captured packet's bytes, once, as enhanced packet blocks in trace
 *   order (nanosecond timestamps, one interface per link type). It is the pcapng export as is:
 *   Wireshark and tshark open it, and a prefix of it (a crash) is still a readable capture.
 * - `events.ndjson` — one JSON line per trace event, in trace order, appended as the run goes.
 *   A wire event's line holds only what the capture does not (`seq`, `t`, `frame`, `lane`): its
 *   bytes, lengths, timestamp and link type are the n-th packet of `capture.pcapng`, and its
 *   decoded layers are derived from those bytes when asked. A line `{"lane":{…}}` declares a
 *   lane before its first event.
 * - `meta.json` — the trace without its events (`TraceMeta`) plus what the store needs (`store`),
 *   written when the recording starts (marked incomplete) and replaced, synced, when it ends.
 *
 * A recording is read in pieces: an index of where each event's line and packet start is built
 * by one pass over both files (in chunks) and kept for the recordings in use.
 */
import type { DecodedPacket, Lane, PacketSummary, TraceEvent, TraceMeta, WireEvent } from '../contract/trace.js';
import type { NumberingBase } from '../contract/relative-seq.js';
import { decodeFrame, summarizeFrame } from '../decode/index.js';

export const CAPTURE_FILE = 'capture.pcapng';
export const EVENTS_FILE = 'events.ndjson';
export const META_FILE = 'meta.json';
/** Recordings of the first format: the whole trace as one JSON file (still opened). */
export const LEGACY_TRACE_FILE = 'trace.json';

/** Stated limits of one recording (a run or an import). */
export const MAX_RECORDING_PACKETS = 1_000_000;
export const MAX_RECORDING_EVENTS = 4_000_000;
/** Bytes on disk of one recording (packets and event lines). */
export const MAX_RECORDING_BYTES = 1024 * 1024 * 1024;

/** What the store keeps beside the trace's meta. */
export interface StoreInfo {
  /** Format of the folder: 2 = capture.pcapng + events.ndjson. */
  format: 2;
  /** Imports: the capture's earliest timestamp (ns); wire lines without `t` count from it. */
  clockNs?: string;
  /** Each connection's ISNs and window scales over the whole run (windows are numbered from them). */
  numbering?: NumberingBase;
  /** The first packet's time (µs since the start), where it is not 0. */
  firstPacketT?: number;
}

export type StoredMeta = TraceMeta & { store: StoreInfo };

/**
 * A wire event as its line holds it. Its position is its `seq`; `frame` is written only when it
 * is not the packet's position in the capture (+1), `t` only when the clock cannot be derived
 * from the packet's timestamp (see `StoreInfo.clockNs`).
 */
export interface WireLine {
  kind: 'wire';
  seq: number;
  t?: number;
  frame: number;
  lane?: string;
}

export type EventLine = Exclude<TraceEvent, WireEvent> | (Omit<WireLine, 'seq' | 'frame'> & { frame?: number });

/** The line of an event (without its newline); `packet`: a wire event's position in the capture. */
export function lineOf(event: TraceEvent | WireLine, packet = -1): string {
  if (event.kind !== 'wire') return JSON.stringify(event);
  // Written out field by field (a line per packet, a million in an import), as
  // JSON.stringify of an `EventLine` with its fields in this order would write it.
  let line = WIRE_LINE_PREFIX;
  if (event.t !== undefined) line += `,"t":${JSON.stringify(event.t)}`;
  if (event.frame !== packet + 1) line += `,"frame":${JSON.stringify(event.frame)}`;
  if (event.lane !== undefined) line += `,"lane":${JSON.stringify(event.lane)}`;
  return `${line}}`;
}

export function laneLine(lane: Lane): string {
  return JSON.stringify({ lane });
}

/** Every event line starts with its kind; a wire line with exactly this. */
export const WIRE_LINE_PREFIX = '{"kind":"wire"';
export const LANE_LINE_PREFIX = '{"lane"';

/**
 * The decoder's two uses, in one place: the summary (lanes, lists) and the full field tree
 * (a packet shown), both from the bytes.
 */
export function packetSummary(data: Uint8Array, linktype: number, len: number): PacketSummary {
  return summarizeFrame(data, linktype, len);
}

/**
 * `loopback`: the packet was captured by the lab on loopback (a run), not imported from a file;
 * the decoder words checksum offload by it.
 */
export function decodePacket(data: Uint8Array, linktype: number, len: number, loopback: boolean): DecodedPacket {
  return decodeFrame(data, linktype, len, { loopback });
}

/** Whether a recording's packets were captured by the lab on loopback. */
export function capturedOnLoopback(meta: Pick<TraceMeta, 'env'>): boolean {
  return meta.env.capture.method === 'netns' || meta.env.capture.method === 'loopback';
}

/** The meta as the API shows it (without the store's own fields). */
export function publicMeta(meta: StoredMeta): TraceMeta {
  const { store: _store, ...rest } = meta;
  return rest;
}
