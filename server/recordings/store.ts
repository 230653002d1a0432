/**
 * Recordings on disk: one folder per recording under `<data>/recordings/<id>/` holding
 * `trace.json`, `meta.json` (the trace without events, for the list) and `capture.pcapng`.
 * A recording is written into a temporary folder and renamed into place, so a crash never
 * leaves half a recording behind.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createReadStream, type ReadStream } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Trace, TraceMeta } from '../contract/trace.js';
import { LabError } from '../errors.js';
import { isRecordingId } from './ids.js';
import { traceToPcapng } from './pcapng.js';

const TMP_PREFIX = '.tmp-';

export function metaOf(trace: Trace): TraceMeta {
  const { events, ...rest } = trace;
  return { ...rest, eventCount: events.length };
}

export class RecordingStore {
  readonly dir: string;
  #metas = new Map<string, TraceMeta>();

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'recordings');
  }

  /** Creates the folder, removes leftovers of interrupted writes and loads the list. */
  async init(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    for (const entry of await readdir(this.dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      if (entry.name.startsWith(TMP_PREFIX)) {
        await rm(join(this.dir, entry.name), { recursive: true, force: true });
        continue;
      }
      try {
        const meta = JSON.parse(await readFile(join(this.dir, entry.name, 'meta.json'), 'utf8')) as TraceMeta;
        if (meta.id === entry.name) this.#metas.set(meta.id, meta);
      } catch {
        // An unreadable folder is not ours to judge; it is left alone and not listed.
      }
    }
  }

  /** Newest first. */
  list(): TraceMeta[] {
    return [...this.#metas.values()].sort((a, b) => b.startedAtUs - a.startedAtUs || (a.id < b.id ? 1 : -1));
  }

  has(id: string): boolean {
    return this.#metas.has(id);
  }

  async save(trace: Trace): Promise<TraceMeta> {
    if (!isRecordingId(trace.id)) throw new LabError('RECORDING_ID_INVALID', `Bad recording id "${trace.id}"`);
    const meta = metaOf(trace);
    const tmp = join(this.dir, `${TMP_PREFIX}${trace.id}-${randomBytes(4).toString('hex')}`);
    await mkdir(tmp);
    try {
      await writeFile(join(tmp, 'trace.json'), JSON.stringify(trace));
      await writeFile(join(tmp, 'meta.json'), JSON.stringify(meta));
      await writeFile(join(tmp, 'capture.pcapng'), traceToPcapng(trace));
      await rm(join(this.dir, trace.id), { recursive: true, force: true });
      await rename(tmp, join(this.dir, trace.id));
    } catch (err) {
      await rm(tmp, { recursive: true, force: true });
      throw err;
    }
    this.#metas.set(trace.id, meta);
    return meta;
  }

  #folder(id: string): string {
    if (!isRecordingId(id) || !this.#metas.has(id)) {
      throw new LabError('RECORDING_NOT_FOUND', `No recording "${id}"`, 404);
    }
    return join(this.dir, id);
  }

  /** The trace file as it is on disk, to send without parsing it. */
  traceStream(id: string): ReadStream {
    return createReadStream(join(this.#folder(id), 'trace.json'));
  }

  /** The whole trace, parsed (for computing its facts). */
  async trace(id: string): Promise<Trace> {
    return JSON.parse(await readFile(join(this.#folder(id), 'trace.json'), 'utf8')) as Trace;
  }

  async pcapng(id: string): Promise<Buffer> {
    return readFile(join(this.#folder(id), 'capture.pcapng'));
  }

  async remove(id: string): Promise<void> {
    const folder = this.#folder(id);
    this.#metas.delete(id);
    await rm(folder, { recursive: true, force: true });
  }
}
