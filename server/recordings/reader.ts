/**
 * Reads a recording (format.ts) in pieces. `indexRecording` makes one pass over both files, in
 * 1 MiB chunks (the event loop gets a turn between chunks), and notes where each event's line and
 * each packet start: 20 bytes per event in memory. `readEvents` then reads one window of events
 * with two ranged reads and decodes its packets from their bytes.
 *
 * What a crash leaves is read up to the last whole line whose packet is whole too.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Lane, TraceEvent, WireEvent } from '../contract/trace.js';
import { BLOCK_EPB, BLOCK_IDB } from '../pcap/pcapng-format.js';
import { CAPTURE_FILE, capturedOnLoopback, decodePacket, EVENTS_FILE, LANE_LINE_PREFIX, WIRE_LINE_PREFIX, type EventLine, type StoredMeta } from './format.js';

const CHUNK = 1024 * 1024;

export interface RecordingIndex {
  /** Events whose line (and packet) are whole. */
  count: number;
  packets: number;
  lanes: Lane[];
  /** Byte offset of each event's line in events.ndjson; `[count]` is the end of the last. */
  lineAt: Float64Array;
  /** Each event's packet (position in capture.pcapng), or -1. */
  packetOf: Int32Array;
  /** Byte offset and length of each packet's block. */
  packetAt: Float64Array;
  packetLength: Uint32Array;
  /** Link type of each interface, in order. */
  interfaces: number[];
  /** Bytes of both files (what the recording takes on disk, without its meta). */
  bytes: number;
}

function grow<T extends Float64Array | Int32Array | Uint32Array>(array: T, need: number): T {
  if (need <= array.length) return array;
  const bigger = new (array.constructor as new (n: number) => T)(Math.max(need, array.length * 2));
  bigger.set(array);
  return bigger;
}

async function eachChunk(path: string, visit: (chunk: Buffer, offset: number) => number): Promise<number> {
  const handle = await open(path, 'r');
  try {
    let buffer = Buffer.alloc(CHUNK);
    let carried = 0;
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, carried, buffer.length - carried, offset + carried);
      const filled = carried + bytesRead;
      if (bytesRead === 0) return offset + carried;
      // `visit` says how many bytes of the chunk it used; the rest starts the next one.
      const used = visit(buffer.subarray(0, filled), offset);
      if (used === 0 && filled === buffer.length) {
        // One line or block larger than the buffer: read it whole.
        const bigger = Buffer.alloc(buffer.length * 2);
        buffer.copy(bigger);
        buffer = bigger;
      } else buffer.copy(buffer, 0, used, filled);
      carried = filled - used;
      offset += used;
    }
  } finally {
    await handle.close();
  }
}

const WIRE = Buffer.from(WIRE_LINE_PREFIX);
const LANE = Buffer.from(LANE_LINE_PREFIX);

function startsWith(chunk: Buffer, at: number, prefix: Buffer): boolean {
  return chunk.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;
}

export async function indexRecording(folder: string): Promise<RecordingIndex> {
  let lineAt = new Float64Array(1024);
  let packetOf = new Int32Array(1024);
  const lanes: Lane[] = [];
  let count = 0;
  let wires = 0;
  let linesEnd = 0;
  await eachChunk(join(folder, EVENTS_FILE), (chunk, offset) => {
    let at = 0;
    for (;;) {
      const nl = chunk.indexOf(10, at);
      if (nl < 0) return at;
      if (startsWith(chunk, at, LANE)) {
        lanes.push((JSON.parse(chunk.toString('utf8', at, nl)) as { lane: Lane }).lane);
      } else if (nl > at) {
        lineAt = grow(lineAt, count + 2);
        packetOf = grow(packetOf, count + 1);
        lineAt[count] = offset + at;
        packetOf[count] = startsWith(chunk, at, WIRE) ? wires++ : -1;
        count++;
      }
      at = nl + 1;
      linesEnd = offset + at;
    }
  });

  let packetAt = new Float64Array(1024);
  let packetLength = new Uint32Array(1024);
  const interfaces: number[] = [];
  let packets = 0;
  const captureEnd = await eachChunk(join(folder, CAPTURE_FILE), (chunk, offset) => {
    let at = 0;
    while (at + 12 <= chunk.length) {
      const type = chunk.readUInt32LE(at);
      const total = chunk.readUInt32LE(at + 4);
      if (total < 12 || total % 4 !== 0) throw new Error(`${folder}: capture block at ${offset + at} has length ${total}`);
      if (at + total > chunk.length) break;
      if (type === BLOCK_IDB) interfaces.push(chunk.readUInt16LE(at + 8));
      else if (type === BLOCK_EPB) {
        packetAt = grow(packetAt, packets + 1);
        packetLength = grow(packetLength, packets + 1);
        packetAt[packets] = offset + at;
        packetLength[packets] = total;
        packets++;
      }
      at += total;
    }
    return at;
  });

  // A crash can leave lines whose packets never reached the disk: the recording ends before them.
  if (wires > packets) {
    const firstMissing = packetOf.subarray(0, count).findIndex((p) => p >= packets);
    count = firstMissing;
    linesEnd = lineAt[firstMissing]!;
  }
  lineAt[count] = linesEnd;
  return {
    count,
    packets: Math.min(packets, wires),
    lanes,
    lineAt: lineAt.subarray(0, count + 1),
    packetOf: packetOf.subarray(0, count),
    packetAt: packetAt.subarray(0, packets),
    packetLength: packetLength.subarray(0, packets),
    interfaces,
    bytes: linesEnd + captureEnd,
  };
}

async function readRange(handle: FileHandle, from: number, to: number): Promise<Buffer> {
  const buffer = Buffer.alloc(to - from);
  let done = 0;
  while (done < buffer.length) {
    const { bytesRead } = await handle.read(buffer, done, buffer.length - done, from + done);
    if (bytesRead === 0) throw new Error(`the recording ends at ${from + done}, before ${to}`);
    done += bytesRead;
  }
  return buffer;
}

/** Events `from` … `from + count - 1` (clamped), whole: wire events with bytes and decoded layers. */
export async function readEvents(folder: string, meta: StoredMeta, index: RecordingIndex, from: number, count: number): Promise<TraceEvent[]> {
  const start = Math.max(0, Math.min(from, index.count));
  const end = Math.max(start, Math.min(start + count, index.count));
  if (end === start) return [];
  const lineHandle = await open(join(folder, EVENTS_FILE), 'r');
  let lines: EventLine[];
  try {
    const text = (await readRange(lineHandle, index.lineAt[start]!, index.lineAt[end]!)).toString('utf8');
    lines = [];
    for (const line of text.split('\n')) {
      if (line && !line.startsWith(LANE_LINE_PREFIX)) lines.push(JSON.parse(line) as EventLine);
    }
  } finally {
    await lineHandle.close();
  }
  let first = -1;
  let last = -1;
  for (let i = start; i < end; i++) {
    const p = index.packetOf[i]!;
    if (p < 0) continue;
    if (first < 0) first = p;
    last = p;
  }
  if (first < 0) return lines as TraceEvent[];
  const base = index.packetAt[first]!;
  const captureHandle = await open(join(folder, CAPTURE_FILE), 'r');
  let blocks: Buffer;
  try {
    blocks = await readRange(captureHandle, base, index.packetAt[last]! + index.packetLength[last]!);
  } finally {
    await captureHandle.close();
  }
  const clockNs = meta.store.clockNs !== undefined ? BigInt(meta.store.clockNs) : null;
  const loopback = capturedOnLoopback(meta);
  return lines.map((line, i): TraceEvent => {
    if (line.kind !== 'wire') return line;
    const packet = index.packetOf[start + i]!;
    const at = index.packetAt[packet]! - base;
    const linktype = index.interfaces[blocks.readUInt32LE(at + 8)] ?? 1;
    const tsNs = (BigInt(blocks.readUInt32LE(at + 12)) << 32n) | BigInt(blocks.readUInt32LE(at + 16));
    const caplen = blocks.readUInt32LE(at + 20);
    const len = blocks.readUInt32LE(at + 24);
    const data = blocks.subarray(at + 28, at + 28 + caplen);
    const t = line.t ?? (clockNs !== null ? Number(tsNs - clockNs) / 1000 : 0);
    const event: WireEvent = {
      kind: 'wire',
      seq: start + i,
      t,
      ...(line.lane !== undefined ? { lane: line.lane } : {}),
      frame: line.frame ?? packet + 1,
      tsNs: tsNs.toString(),
      caplen,
      len,
      linktype,
      data: data.toString('base64'),
      decoded: decodePacket(data, linktype, len, loopback),
    };
    return event;
  });
}
