/**
 * Writes a recording as it goes (see format.ts): packets appended to `capture.pcapng`, event
 * lines to `events.ndjson`, in batches written in the background (a run's events arrive from a
 * callback that cannot wait). At most ~256 KiB and 100 ms of events wait in memory, so a crash
 * loses little and leaves a readable prefix. `finish` syncs both files and then replaces
 * `meta.json` (written, synced, renamed), so a finished recording is on disk before it is listed.
 * Past a stated limit the writer records nothing more and says why in `limit`.
 */
import { open, rename, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NumberingAccumulator } from '../contract/relative-seq.js';
import type { ErrorInfo, Lane, PacketSummary, TraceEvent } from '../contract/trace.js';
import type { PcapRecord } from '../pcap/pcap-format.js';
import { enhancedPacketSize, interfaceDescription, sectionHeader, writeEnhancedPacket } from '../pcap/write-pcapng.js';
import {
  CAPTURE_FILE,
  EVENTS_FILE,
  laneLine,
  lineOf,
  MAX_RECORDING_BYTES,
  MAX_RECORDING_EVENTS,
  MAX_RECORDING_PACKETS,
  META_FILE,
  packetSummary,
  type StoredMeta,
  type WireLine,
} from './format.js';

const FLUSH_BYTES = 256 * 1024;
const FLUSH_MS = 100;
/** The capture's bytes of one batch are gathered in a buffer of this size (a bigger block gets its own). */
const STAGE_BYTES = FLUSH_BYTES + 64 * 1024;

/** Writes `data` to `path` durably: a temporary file, synced, renamed over, the folder synced. */
export async function writeFileDurably(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp`;
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, path);
  await syncFolder(dirname(path));
}

export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export interface WriterOptions {
  snaplen: number;
  /** The capture file's comment (title, experiment, start). */
  comment: string;
}

export class RecordingWriter {
  readonly folder: string;
  /** Counts of what was recorded. */
  events = 0;
  packets = 0;
  truncated = 0;
  bytes = 0;
  /** The latest event time seen (µs), for the duration. */
  lastT = 0;
  /** Set once a limit was reached: nothing after it was recorded. */
  limit: ErrorInfo | null = null;
  /** Each connection's ISNs and window scales, so any window of the recording numbers as the whole. */
  readonly numbering = new NumberingAccumulator();
  /** The time of the first packet recorded (µs), when one carried its time. */
  firstPacketT: number | null = null;
  #capture: FileHandle;
  #lines: FileHandle;
  #interfaces = new Map<number, number>();
  #snaplen: number;
  /** The batch's capture bytes: `#stage` filled up to `#staged`. */
  #stage: Buffer | null = null;
  #staged = 0;
  #lineParts: string[] = [];
  #pending = 0;
  #chain: Promise<void> = Promise.resolve();
  #error: unknown = null;
  #timer: NodeJS.Timeout | null = null;
  #closed = false;

  private constructor(folder: string, capture: FileHandle, lines: FileHandle, opts: WriterOptions) {
    this.folder = folder;
    this.#capture = capture;
    this.#lines = lines;
    this.#snaplen = opts.snaplen;
    this.#bytes(sectionHeader({ comment: opts.comment }));
  }

  /** Creates the files in `folder` (which exists) and writes `meta` marked incomplete. */
  static async create(folder: string, meta: StoredMeta, opts: WriterOptions): Promise<RecordingWriter> {
    await writeFileDurably(join(folder, META_FILE), JSON.stringify(meta));
    const capture = await open(join(folder, CAPTURE_FILE), 'wx');
    let lines: FileHandle;
    try {
      lines = await open(join(folder, EVENTS_FILE), 'wx');
    } catch (err) {
      await capture.close();
      throw err;
    }
    return new RecordingWriter(folder, capture, lines, opts);
  }

  /** A write failed in the background: the first failure. */
  get failure(): unknown {
    return this.#error;
  }

  /** Bytes waiting to be written. */
  get pendingBytes(): number {
    return this.#pending;
  }

  addLane(lane: Lane): void {
    if (this.limit) return;
    this.numbering.addLane(lane);
    this.#line(laneLine(lane));
  }

  /** A trace event as the runner makes it (a wire event with its bytes in base64). */
  addEvent(event: TraceEvent): void {
    if (event.kind !== 'wire') {
      if (!this.#room(0, 0)) return;
      this.events++;
      this.lastT = Math.max(this.lastT, event.t);
      this.#line(lineOf(event));
      return;
    }
    const data = Buffer.from(event.data, 'base64');
    this.addPacket(
      { kind: 'wire', seq: event.seq, t: event.t, frame: event.frame, ...(event.lane ? { lane: event.lane } : {}) },
      { tsNs: BigInt(event.tsNs), caplen: data.length, len: event.len, data },
      event.linktype,
      // A trace read without its decoded layers (they are derived from the bytes) is summarised here.
      (event.decoded as typeof event.decoded | null)?.summary ?? packetSummary(data, event.linktype, event.len),
    );
  }

  /**
   * A wire event from its line and its packet (an import has the bytes already) of link type
   * `linktype`, and its summary when decoded.
   */
  addPacket(line: WireLine, record: PcapRecord, linktype: number, summary?: PacketSummary): void {
    if (!this.#room(1, record.data.length)) return;
    this.events++;
    this.packets++;
    if (summary) this.numbering.add(summary);
    if (this.firstPacketT === null && line.t !== undefined) this.firstPacketT = line.t;
    if (record.caplen < record.len) this.truncated++;
    if (line.t !== undefined) this.lastT = Math.max(this.lastT, line.t);
    let id = this.#interfaces.get(linktype);
    if (id === undefined) {
      id = this.#interfaces.size;
      this.#interfaces.set(linktype, id);
      this.#bytes(interfaceDescription(linktype, this.#snaplen));
    }
    const size = enhancedPacketSize(record);
    const at = this.#place(size);
    writeEnhancedPacket(this.#stage!, at, id, record);
    this.#grew(size);
    this.#line(lineOf(line, this.packets - 1));
  }

  #room(packets: number, size: number): boolean {
    if (this.limit) return false;
    let message: string | null = null;
    if (this.packets + packets > MAX_RECORDING_PACKETS) {
      message = `The recording reached its limit of ${MAX_RECORDING_PACKETS.toLocaleString('en')} packets; later events were not recorded.`;
    } else if (this.events + 1 > MAX_RECORDING_EVENTS) {
      message = `The recording reached its limit of ${MAX_RECORDING_EVENTS.toLocaleString('en')} events; later events were not recorded.`;
    } else if (this.bytes + size + 200 > MAX_RECORDING_BYTES) {
      message = `The recording reached its limit of ${MAX_RECORDING_BYTES / 1024 / 1024} MiB on disk; later events were not recorded.`;
    }
    if (message === null) return true;
    this.limit = { code: 'RECORDING_LIMIT', message };
    return false;
  }

  #bytes(part: Uint8Array): void {
    const at = this.#place(part.length);
    this.#stage!.set(part, at);
    this.#grew(part.length);
  }

  /** Room for `size` capture bytes in this batch: where they go in `#stage` (to be filled before `#grew`). */
  #place(size: number): number {
    if (this.#stage === null || this.#staged + size > this.#stage.length) {
      if (this.#staged > 0) this.#flush();
      this.#stage = Buffer.alloc(Math.max(STAGE_BYTES, size));
    }
    const at = this.#staged;
    this.#staged += size;
    return at;
  }

  #line(text: string): void {
    this.#lineParts.push(text);
    this.#grew(text.length + 1);
  }

  #grew(n: number): void {
    this.#pending += n;
    this.bytes += n;
    if (this.#pending >= FLUSH_BYTES) this.#flush();
    else if (!this.#timer && !this.#closed) this.#timer = setTimeout(() => this.#flush(), FLUSH_MS).unref();
  }

  #flush(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (this.#pending === 0) return;
    const packets = this.#staged > 0 ? this.#stage!.subarray(0, this.#staged) : null;
    const lines = this.#lineParts.length ? `${this.#lineParts.join('\n')}\n` : null;
    this.#stage = null;
    this.#staged = 0;
    this.#lineParts = [];
    this.#pending = 0;
    // Packets before the lines that point at them: a prefix never has a line without its packet.
    this.#chain = this.#chain.then(async () => {
      if (this.#error) return;
      try {
        if (packets) await this.#capture.write(packets);
        if (lines) await this.#lines.write(lines);
      } catch (err) {
        this.#error = err;
      }
    });
  }

  /** Waits until what is written so far is on its way; throws the first write failure. */
  async drain(): Promise<void> {
    this.#flush();
    await this.#chain;
    if (this.#error) throw this.#error;
  }

  /** Writes everything, syncs, then replaces the meta (synced) with `meta`. Closes the files. */
  async finish(meta: StoredMeta): Promise<void> {
    try {
      await this.drain();
      await this.#capture.sync();
      await this.#lines.sync();
    } finally {
      await this.close();
    }
    await writeFileDurably(join(this.folder, META_FILE), JSON.stringify(meta));
  }

  /** Closes the files without finishing (what was written stays, marked incomplete). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#flush();
    this.#closed = true;
    await this.#chain;
    await Promise.allSettled([this.#capture.close(), this.#lines.close()]);
  }
}
