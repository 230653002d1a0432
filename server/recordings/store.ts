/**
 * Recordings on disk, one folder each under `<data>/recordings/<id>/` (format.ts).
 *
 * - A run is written as it goes (`begin`): its folder exists from the start, marked incomplete
 *   until `finish` replaces the meta; after a crash it opens as what was written, incomplete.
 * - An import or a whole trace (`save`) is written into a `.tmp-` folder and renamed into place
 *   when complete: a crash leaves the previous state (and the leftover is removed at start).
 * - At start, a folder whose meta does not parse, or whose files cannot be read, is moved to
 *   `<data>/recordings/.set-aside/` and reported (`setAside`), not served. A recording of the
 *   first format (one `trace.json`) is converted once.
 * - A recording that cannot be saved (read-only or full disk) is kept in memory (`unsaved`),
 *   listed and served from there, and saved as soon as the disk takes it.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { PCAPNG_SHB } from '../pcap/pcapng-format.js';
import { createReadStream, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { Connections, NumberingAccumulator, type NumberingBase } from '../contract/relative-seq.js';
import { savedState, type Trace, type TraceEvent, type TraceMeta } from '../contract/trace.js';
import { LabError } from '../errors.js';
import { diskError } from './disk-error.js';
import { isRecordingId } from './ids.js';
import {
  CAPTURE_FILE,
  EVENTS_FILE,
  LEGACY_TRACE_FILE,
  META_FILE,
  publicMeta,
  type StoredMeta,
} from './format.js';
import { indexRecording, readEvents, type RecordingIndex } from './reader.js';
import { RecordingWriter, syncFolder, writeFileDurably } from './writer.js';
import { traceToPcapng } from './pcapng.js';
import { Turns } from './turns.js';

const TMP_PREFIX = '.tmp-';
const SET_ASIDE = '.set-aside';
/** Indexes kept for the recordings opened last (20 bytes per event each). */
const INDEX_CACHE = 3;
/** Most events one window may ask for. */
export const MAX_WINDOW = 1000;
/** Unsaved recordings kept in memory at most (the oldest goes first). */
const MAX_UNSAVED = 8;

export function metaOf(trace: Trace): TraceMeta {
  const { events, ...rest } = trace;
  return { ...rest, eventCount: events.length };
}

const INTERRUPTED = {
  code: 'RECORDING_INTERRUPTED',
  message: 'The lab stopped while this recording was being written; it holds what was written before.',
};

/** Meta of a recording that has just begun: what is known before its events. */
export type BeginMeta = Omit<TraceMeta, 'eventCount' | 'lanes' | 'counters' | 'outcome' | 'durationUs'>;

export interface SetAside {
  id: string;
  /** Where it now is. */
  path: string;
  reason: string;
}

/** A run being recorded: add its lanes and events, then `finish` with the whole trace's meta. */
export interface ActiveRecording {
  writer: RecordingWriter;
  finish(trace: Trace): Promise<TraceMeta>;
  /** Removes what was written (the run never happened). */
  discard(): Promise<void>;
}

/**
 * What can be checked of a recording without reading it through: both files are there, the
 * capture starts as a pcapng file, and a finished recording's files are not cut short (a power
 * loss can leave a renamed file empty).
 */
async function checkFiles(folder: string, meta: StoredMeta): Promise<void> {
  const capture = await stat(join(folder, CAPTURE_FILE)).catch(() => null);
  const lines = await stat(join(folder, EVENTS_FILE)).catch(() => null);
  if (!capture || !lines) throw new Error(`${!capture ? CAPTURE_FILE : EVENTS_FILE} is missing`);
  const head = Buffer.alloc(4);
  const handle = await open(join(folder, CAPTURE_FILE), 'r');
  try {
    await handle.read(head, 0, 4, 0);
  } finally {
    await handle.close();
  }
  if (head.readUInt32LE(0) !== PCAPNG_SHB) throw new Error(`${CAPTURE_FILE} does not start as a pcapng file`);
  if (!meta.incomplete && meta.eventCount > 0 && lines.size < meta.eventCount * 2) {
    throw new Error(`${EVENTS_FILE} holds ${lines.size} bytes, too few for its ${meta.eventCount} events`);
  }
}

export class RecordingStore {
  readonly dir: string;
  readonly setAside: SetAside[] = [];
  /** Set at start when the folder does not take new files (read-only, full): why. */
  unwritable: LabError | null = null;
  #metas = new Map<string, StoredMeta>();
  #indexes = new Map<string, Promise<RecordingIndex>>();
  #unsaved = new Map<string, { trace: Trace; error: LabError }>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'recordings');
  }

  /** Creates the folder, removes leftovers of interrupted writes, sets aside what is unreadable. */
  async init(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true });
    } catch (err) {
      // A recursive mkdir can say ENOENT where the cause is a read-only parent: ask again plainly.
      const plain = await mkdir(this.dir).then(() => null, (again: unknown) => again);
      if (plain !== null) throw diskError((plain as { code?: string }).code === 'ENOENT' ? err : plain, this.dir, 'create the recordings folder');
    }
    this.unwritable = await this.#probeWrite();
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory() || entry.name === SET_ASIDE) continue;
      const folder = join(this.dir, entry.name);
      if (entry.name.startsWith(TMP_PREFIX)) {
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
        continue;
      }
      try {
        await this.#load(entry.name, folder);
      } catch (err) {
        await this.#setAside(entry.name, folder, err instanceof Error ? err.message : String(err));
      }
    }
  }

  /** Whether a file can be made in the folder now: null when it can, else why not. */
  async #probeWrite(): Promise<LabError | null> {
    const probe = join(this.dir, `${TMP_PREFIX}probe-${randomBytes(4).toString('hex')}`);
    try {
      await writeFileDurably(probe, '');
      await rm(probe, { force: true });
      return null;
    } catch (err) {
      const said = diskError(err, this.dir, 'save recordings');
      return said instanceof LabError ? said : new LabError('DISK_ERROR', `Could not save recordings in ${this.dir}: ${String(err)}`, 503);
    }
  }

  async #load(id: string, folder: string): Promise<void> {
    if (!isRecordingId(id)) throw new Error(`"${id}" is not a recording id`);
    const meta = JSON.parse(await readFile(join(folder, META_FILE), 'utf8')) as StoredMeta;
    if (meta.id !== id) throw new Error(`its meta names another recording ("${String(meta.id)}")`);
    if (!meta.store) {
      await this.#convertLegacy(id, folder);
      return;
    }
    await checkFiles(folder, meta);
    if (meta.incomplete?.code === INTERRUPTED.code && meta.eventCount === 0) {
      // Written until a crash: count what is there, once.
      const index = await indexRecording(folder);
      const counted: StoredMeta = {
        ...meta,
        eventCount: index.count,
        lanes: index.lanes,
        counters: { ...meta.counters, packets: index.packets },
      };
      await this.#writeMeta(folder, counted);
      this.#metas.set(id, counted);
      return;
    }
    this.#metas.set(id, meta);
  }

  async #writeMeta(folder: string, meta: StoredMeta): Promise<void> {
    await writeFileDurably(join(folder, META_FILE), JSON.stringify(meta));
  }

  /** A `trace.json` recording: parsed, written in the current format beside it, swapped in. */
  async #convertLegacy(id: string, folder: string): Promise<void> {
    const text = await readFile(join(folder, LEGACY_TRACE_FILE), 'utf8');
    if (text.trim() === '') throw new Error(`${LEGACY_TRACE_FILE} is empty`);
    const trace = JSON.parse(text) as Trace;
    if (trace.id !== id || !Array.isArray(trace.events)) throw new Error(`${LEGACY_TRACE_FILE} is not this recording's trace`);
    await this.save(trace);
  }

  async #setAside(id: string, folder: string, reason: string): Promise<void> {
    const target = join(this.dir, SET_ASIDE, `${id}-${Date.now()}`);
    try {
      await mkdir(join(this.dir, SET_ASIDE), { recursive: true });
      await rename(folder, target);
      this.setAside.push({ id, path: target, reason });
    } catch {
      // Cannot even move it (read-only): it stays where it is, not served.
      this.setAside.push({ id, path: folder, reason });
    }
  }

  /** Newest first; recordings not yet saved (disk trouble) too, marked incomplete. */
  list(): TraceMeta[] {
    const saved = [...this.#metas.values()].map(publicMeta);
    const unsaved = [...this.#unsaved.values()].map(({ trace, error }) => ({ ...metaOf(trace), incomplete: { code: error.code, message: error.message } }));
    return [...unsaved, ...saved].sort((a, b) => b.startedAtUs - a.startedAtUs || (a.id < b.id ? 1 : -1));
  }

  has(id: string): boolean {
    return this.#metas.has(id) || this.#unsaved.has(id);
  }

  meta(id: string): TraceMeta {
    const unsaved = this.#unsaved.get(id);
    if (unsaved) return { ...metaOf(unsaved.trace), incomplete: { code: unsaved.error.code, message: unsaved.error.message } };
    return publicMeta(this.#stored(id));
  }

  #stored(id: string): StoredMeta {
    const meta = isRecordingId(id) ? this.#metas.get(id) : undefined;
    if (!meta) throw new LabError('RECORDING_NOT_FOUND', `No recording "${id}"`, 404);
    return meta;
  }

  #index(id: string): Promise<RecordingIndex> {
    let index = this.#indexes.get(id);
    if (index) {
      // most recently used last
      this.#indexes.delete(id);
    } else {
      index = indexRecording(join(this.dir, id));
      index.catch(() => this.#indexes.delete(id));
    }
    this.#indexes.set(id, index);
    while (this.#indexes.size > INDEX_CACHE) this.#indexes.delete(this.#indexes.keys().next().value!);
    return index;
  }

  /** Events `from` … `from + count - 1` of a recording, whole (wire events decoded from their bytes). */
  async events(id: string, from: number, count: number): Promise<{ total: number; events: TraceEvent[] }> {
    if (count > MAX_WINDOW) throw new LabError('WINDOW_TOO_LARGE', `Ask for at most ${MAX_WINDOW} events at a time.`);
    const unsaved = this.#unsaved.get(id);
    if (unsaved) return { total: unsaved.trace.events.length, events: unsaved.trace.events.slice(from, from + count) };
    const meta = this.#stored(id);
    const folder = join(this.dir, id);
    try {
      const index = await this.#index(id);
      return { total: index.count, events: await readEvents(folder, meta, index, from, count) };
    } catch (err) {
      throw diskError(err, folder, 'read the recording');
    }
  }

  /**
   * What numbering `events` (a window of recording `id`) as the whole run takes: the base of each
   * connection they are on, and the time of the run's first packet.
   */
  numberingOf(id: string, events: readonly TraceEvent[]): { numbering?: NumberingBase; firstPacketT?: number } {
    const unsaved = this.#unsaved.get(id);
    let all: NumberingBase | undefined;
    let firstPacketT: number | undefined;
    if (unsaved) {
      const whole = new NumberingAccumulator(unsaved.trace.lanes);
      for (const e of unsaved.trace.events) {
        if (e.kind !== 'wire') continue;
        firstPacketT ??= e.t;
        whole.add(e.decoded.summary);
      }
      all = whole.base();
    } else {
      const { store, lanes } = this.#stored(id);
      all = store.numbering;
      firstPacketT = store.firstPacketT;
      if (all) {
        const connections = new Connections(lanes, Object.keys(all));
        const some: NumberingBase = {};
        for (const e of events) {
          const at = e.kind === 'wire' ? connections.of(e.decoded.summary) : null;
          if (at && all[at.key]) some[at.key] = all[at.key]!;
        }
        all = some;
      }
    }
    return { ...(all && Object.keys(all).length > 0 ? { numbering: all } : {}), ...(firstPacketT ? { firstPacketT } : {}) };
  }

  /** The trace JSON, made as it is sent (bounded memory): meta fields, then events a window at a time. */
  traceStream(id: string): Readable {
    const meta = this.meta(id);
    const unsaved = this.#unsaved.get(id);
    const { eventCount: _count, ...head } = meta;
    const store = this;
    return Readable.from(
      (async function* () {
        const text = JSON.stringify(head);
        yield `${text.slice(0, -1)},"events":[`;
        const chunk = 200;
        if (unsaved) {
          const { events } = unsaved.trace;
          for (let from = 0; from < events.length; from += chunk) {
            yield (from > 0 ? ',' : '') + events.slice(from, from + chunk).map((e) => JSON.stringify(e)).join(',');
          }
        } else {
          for (let from = 0; ; from += chunk) {
            const { total, events } = await store.events(id, from, chunk);
            if (events.length === 0) break;
            yield (from > 0 ? ',' : '') + events.map((e) => JSON.stringify(e)).join(',');
            if (from + chunk >= total) break;
          }
        }
        yield ']}';
      })(),
      { objectMode: false },
    );
  }

  /** The whole trace in memory: only for small recordings (facts, tests). */
  async trace(id: string, maxEvents = 50_000): Promise<Trace> {
    const unsaved = this.#unsaved.get(id);
    if (unsaved) return unsaved.trace;
    const meta = this.meta(id);
    if (meta.eventCount > maxEvents) {
      throw new LabError('RECORDING_TOO_LARGE', `This recording has ${meta.eventCount} events; at most ${maxEvents} are read whole.`, 413);
    }
    const events: TraceEvent[] = [];
    for (let from = 0; from < meta.eventCount; from += MAX_WINDOW) events.push(...(await this.events(id, from, MAX_WINDOW)).events);
    const { eventCount: _count, ...rest } = meta;
    return { ...rest, events };
  }

  /** The captured packets as pcapng (the recording's own capture file, as it is). */
  pcapng(id: string): ReadStream | Buffer {
    const unsaved = this.#unsaved.get(id);
    if (unsaved) return Buffer.from(traceToPcapng(unsaved.trace));
    this.#stored(id);
    return createReadStream(join(this.dir, id, CAPTURE_FILE));
  }

  /** Starts recording a run as it goes; its folder is its final place. */
  async begin(meta: BeginMeta): Promise<ActiveRecording> {
    if (!isRecordingId(meta.id)) throw new LabError('RECORDING_ID_INVALID', `Bad recording id "${meta.id}"`);
    const folder = join(this.dir, meta.id);
    let writer: RecordingWriter;
    try {
      await mkdir(folder);
      writer = await RecordingWriter.create(folder, this.#provisional(meta), {
        snaplen: meta.env.snaplen,
        comment: `${meta.title} (${meta.experiment}, ${meta.startedAt})`,
      });
    } catch (err) {
      await rm(folder, { recursive: true, force: true }).catch(() => undefined);
      throw diskError(err, this.dir, 'save the recording');
    }
    return {
      writer,
      finish: async (trace) => {
        const stored = this.#finalMeta(trace, writer);
        try {
          await writer.finish(stored);
        } catch (err) {
          await writer.close();
          throw diskError(err, this.dir, 'save the recording');
        }
        this.#metas.set(trace.id, stored);
        this.#indexes.delete(trace.id);
        return publicMeta(stored);
      },
      discard: async () => {
        await writer.close();
        await rm(folder, { recursive: true, force: true }).catch(() => undefined);
      },
    };
  }

  #provisional(begin: BeginMeta | Trace, extra: Partial<StoredMeta['store']> = {}): StoredMeta {
    const { format, version, id, title, experiment, params, startedAt, startedAtUs, env } = begin;
    return {
      format,
      version,
      id,
      title,
      experiment,
      params,
      startedAt,
      startedAtUs,
      env,
      durationUs: 0,
      lanes: [],
      eventCount: 0,
      counters: { packets: 0, truncated: 0 },
      outcome: { ok: false },
      incomplete: INTERRUPTED,
      store: { format: 2, ...extra },
    };
  }

  /**
   * The meta of a recording now written whole. A trace that held less than its run (an import of
   * one) still does; one marked not saved (a disk error) is saved now.
   */
  #finalMeta(trace: Omit<Trace, 'events'>, writer: RecordingWriter, extra: Partial<StoredMeta['store']> = {}): StoredMeta {
    const { incomplete: was, ...rest } = trace;
    delete (rest as Partial<Trace>).events;
    const meta: StoredMeta = {
      ...rest,
      eventCount: writer.events,
      counters: { ...trace.counters, packets: writer.packets, truncated: writer.truncated },
      store: {
        format: 2,
        ...extra,
        ...(writer.numbering.size > 0 ? { numbering: writer.numbering.base() } : {}),
        ...(writer.firstPacketT ? { firstPacketT: writer.firstPacketT } : {}),
      },
    };
    if (writer.limit) meta.incomplete = writer.limit;
    else if (was && savedState(trace) === 'incomplete') meta.incomplete = was;
    return meta;
  }

  /**
   * Saves a whole trace (an import of a trace JSON, the CLI, a run that could not be written as
   * it went): into a temporary folder, renamed into place when complete.
   */
  async save(trace: Trace): Promise<TraceMeta> {
    if (!isRecordingId(trace.id)) throw new LabError('RECORDING_ID_INVALID', `Bad recording id "${trace.id}"`);
    return this.#intoPlace(trace.id, async (tmp) => {
      const writer = await RecordingWriter.create(tmp, this.#provisional(trace), {
        snaplen: trace.env.snaplen,
        comment: `${trace.title} (${trace.experiment}, ${trace.startedAt})`,
      });
      try {
        for (const lane of trace.lanes) writer.addLane(lane);
        const turns = new Turns();
        for (const event of trace.events) {
          writer.addEvent(event);
          if (writer.pendingBytes > 1024 * 1024) await writer.drain();
          await turns.maybe();
        }
        if (writer.limit) throw new LabError('IMPORT_TOO_LARGE', writer.limit.message, 413);
        const meta = this.#finalMeta(trace, writer);
        await writer.finish(meta);
        return meta;
      } finally {
        await writer.close();
      }
    });
  }

  /**
   * Writes a recording in a temporary folder with `write` (which returns its meta), then renames
   * it into place. Nothing is left behind when it fails.
   */
  async #intoPlace(id: string, write: (tmp: string) => Promise<StoredMeta>): Promise<TraceMeta> {
    const tmp = join(this.dir, `${TMP_PREFIX}${id}-${randomBytes(4).toString('hex')}`);
    const final = join(this.dir, id);
    let meta: StoredMeta;
    try {
      await mkdir(tmp);
      meta = await write(tmp);
      // What was there (a recording being converted) goes only once the new one is whole.
      const old = `${final}.old`;
      const existed = await stat(final).then(() => true, () => false);
      if (existed) await rename(final, old);
      await rename(tmp, final);
      await syncFolder(this.dir);
      if (existed) await rm(old, { recursive: true, force: true });
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw diskError(err, this.dir, 'save the recording');
    }
    this.#metas.set(id, meta);
    this.#indexes.delete(id);
    this.#unsaved.delete(id);
    return publicMeta(meta);
  }

  /** Writes a recording through `write` into a temporary folder (imports). */
  async create(id: string, write: (tmp: string, provisional: (meta: BeginMeta, clockNs?: string) => StoredMeta) => Promise<StoredMeta>): Promise<TraceMeta> {
    return this.#intoPlace(id, (tmp) => write(tmp, (meta, clockNs) => this.#provisional(meta, clockNs ? { clockNs } : {})));
  }

  /** Final meta for a writer's recording (imports). */
  finalMeta(trace: Omit<Trace, 'events'>, writer: RecordingWriter, clockNs?: string): StoredMeta {
    return this.#finalMeta(trace, writer, clockNs ? { clockNs } : {});
  }

  /**
   * Keeps a trace the disk would not take: listed and served from memory until saved, marked
   * `incomplete` with a disk error's code (`DISK_…`: what `savedState` reads as not saved).
   */
  keepUnsaved(trace: Trace, error: LabError): TraceMeta {
    const said = error.code.startsWith('DISK_') ? error : new LabError('DISK_ERROR', `The recording could not be saved: ${error.message}`, 503);
    this.#unsaved.set(trace.id, { trace, error: said });
    while (this.#unsaved.size > MAX_UNSAVED) this.#unsaved.delete(this.#unsaved.keys().next().value!);
    return this.meta(trace.id);
  }

  /** Tries again to save what the disk would not take; what is saved leaves memory. */
  async retryUnsaved(): Promise<void> {
    for (const [id, { trace }] of [...this.#unsaved]) {
      try {
        await this.save(trace);
        this.#unsaved.delete(id);
      } catch {
        return;
      }
    }
  }

  async remove(id: string): Promise<void> {
    if (this.#unsaved.delete(id)) return;
    this.#stored(id);
    const folder = join(this.dir, id);
    try {
      // Moved out of the way first: a folder that cannot be moved is not half deleted.
      const doomed = join(this.dir, `${TMP_PREFIX}${id}-deleted`);
      await rename(folder, doomed);
      this.#metas.delete(id);
      this.#indexes.delete(id);
      await rm(doomed, { recursive: true, force: true });
    } catch (err) {
      throw diskError(err, this.dir, `delete the recording ${id}`);
    }
  }
}
