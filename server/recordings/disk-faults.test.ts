/**
 * Disk faults with a real read-only bind mount and a real tiny tmpfs (as root); skipped with the
 * reason otherwise. A run the disk will not take is kept in memory, listed and downloadable,
 * and saved once the disk takes it; a failed delete keeps the recording listed.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { isLabError } from '../errors.js';
import { RecordingStore } from './store.js';
import { mixedTrace } from './test-trace.js';

const HOST = '127.0.0.1:7357';
const TOKEN = 'disk-fault-token-0123456789';
const auth = { host: HOST, authorization: `Bearer ${TOKEN}` };
const noCapture = { available: false, method: 'none' as const, reason: 'not needed here' };

function canMount(): string | null {
  if (process.getuid?.() !== 0) return 'needs root to mount a read-only bind mount and a tmpfs';
  const probe = join(tmpdir(), `socket-lab-mount-probe-${process.pid}`);
  try {
    execFileSync('mkdir', ['-p', probe]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', probe], { stdio: 'ignore' });
    execFileSync('umount', [probe]);
    return null;
  } catch {
    return 'mount is not permitted here (no CAP_SYS_ADMIN)';
  } finally {
    execFileSync('rm', ['-rf', probe]);
  }
}
const skipReason = canMount();
if (skipReason) console.warn(`disk-faults.test: skipped — ${skipReason}`);

const mounts: string[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const m of mounts.reverse()) execFileSync('umount', ['-l', m], { stdio: 'ignore' });
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function tempDir(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `socket-lab-${name}-`));
  dirs.push(dir);
  return dir;
}

/** `source` bind-mounted read-only at a new folder; `remount(true)` makes it writable again. */
async function readOnlyView(source: string): Promise<{ path: string; remount: (writable: boolean) => void }> {
  const path = await tempDir('ro');
  execFileSync('mount', ['--bind', source, path]);
  mounts.push(path);
  const remount = (writable: boolean) => execFileSync('mount', ['-o', `remount,bind,${writable ? 'rw' : 'ro'}`, path]);
  remount(false);
  return { path, remount };
}

async function app(dataDir: string): Promise<FastifyInstance> {
  const built = await buildApp({ token: TOKEN, host: '127.0.0.1', port: 7357, dataDir, capture: noCapture });
  await built.ready();
  return built;
}

describe.skipIf(skipReason !== null)('disk faults', () => {
  it('a read-only data folder: said at start, runs kept in memory and served, deletes refused and kept, saved once writable', async () => {
    const source = await tempDir('data');
    const before = new RecordingStore(source);
    await before.init();
    const old = mixedTrace('20250101-000000-before');
    await before.save(old);
    const { path, remount } = await readOnlyView(source);
    const lab = await app(path);
    try {
      const recordingsDir = join(path, 'recordings');
      expect(lab.recordings.unwritable?.code).toBe('DISK_READ_ONLY');
      expect(lab.recordings.unwritable?.message).toContain(recordingsDir);
      expect(lab.recordings.unwritable?.message).toContain('EROFS');

      const { trace, meta } = await lab.runLab({ experiment: 'handshake', params: {} });
      expect(meta.incomplete).toMatchObject({ code: 'DISK_READ_ONLY' });
      expect(meta.incomplete!.message).toContain(recordingsDir);
      expect(meta.incomplete!.message).toContain('EROFS');
      expect(trace.events.length).toBeGreaterThan(3);

      const listed = await lab.inject({ url: '/api/recordings', headers: { host: HOST } });
      expect(listed.statusCode, listed.body).toBe(200);
      const list = listed.json();
      expect(list.map((m: { id: string }) => m.id).sort()).toEqual([old.id, trace.id].sort());
      const json = await lab.inject({ url: `/api/recordings/${trace.id}`, headers: { host: HOST } });
      expect(json.statusCode).toBe(200);
      expect(json.json().events).toEqual(trace.events);
      const window = (await lab.inject({ url: `/api/recordings/${trace.id}/events?from=1&count=2`, headers: { host: HOST } })).json();
      expect(window.events).toEqual(trace.events.slice(1, 3));
      expect((await lab.inject({ url: `/api/recordings/${trace.id}/pcapng`, headers: { host: HOST } })).statusCode).toBe(200);

      const pcap = await lab.inject({
        method: 'POST',
        url: '/api/recordings',
        headers: { ...auth, 'content-type': 'application/vnd.tcpdump.pcap' },
        payload: await import('node:fs').then((fs) => fs.readFileSync(join(import.meta.dirname, '../decode/fixtures/handshake-ipv4.pcap'))),
      });
      expect(pcap.statusCode).toBe(503);
      expect(pcap.json().error.code).toBe('DISK_READ_ONLY');
      expect(pcap.json().error.message).toContain(recordingsDir);

      const del = await lab.inject({ method: 'DELETE', url: `/api/recordings/${old.id}`, headers: auth });
      expect(del.statusCode).toBe(503);
      expect(del.json().error).toMatchObject({ code: 'DISK_READ_ONLY' });
      expect(del.json().error.message).toContain('EROFS');
      expect(lab.recordings.has(old.id)).toBe(true);

      remount(true);
      await lab.recordings.retryUnsaved();
      expect(lab.recordings.meta(trace.id).incomplete).toBeUndefined();
      expect(existsSync(join(recordingsDir, trace.id, 'capture.pcapng'))).toBe(true);
    } finally {
      await lab.close();
    }
    const after = new RecordingStore(source);
    await after.init();
    expect(after.list().map((m) => m.id).length).toBe(2);
  });

  it('starting on a read-only data folder without a recordings folder says so, naming the folder and EROFS', async () => {
    const source = await tempDir('empty');
    const { path } = await readOnlyView(source);
    const failure = await app(path).then(
      (lab) => lab.close().then(() => null),
      (err: unknown) => err,
    );
    expect(isLabError(failure) && failure.code).toBe('DISK_READ_ONLY');
    expect((failure as Error).message).toContain(join(path, 'recordings'));
    expect((failure as Error).message).toContain('EROFS');
  });

  it('a full disk: the run is kept in memory (DISK_FULL, ENOSPC, the folder named) and nothing half-written is left', async () => {
    const dataDir = await tempDir('full');
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', dataDir]);
    mounts.push(dataDir);
    const lab = await app(dataDir);
    try {
      // Fill the disk to the last block.
      await mkdir(join(dataDir, 'filler'));
      try {
        for (let i = 0; ; i++) await writeFile(join(dataDir, 'filler', String(i)), Buffer.alloc(16 * 1024));
      } catch (err) {
        expect((err as { code?: string }).code).toBe('ENOSPC');
      }
      const { meta } = await lab.runLab({ experiment: 'handshake', params: {} });
      expect(meta.incomplete).toMatchObject({ code: 'DISK_FULL' });
      expect(meta.incomplete!.message).toContain(join(dataDir, 'recordings'));
      expect(meta.incomplete!.message).toContain('ENOSPC');
      expect((await readdir(join(dataDir, 'recordings'))).filter((n) => !n.endsWith('.tmp'))).toEqual([]);
      await rm(join(dataDir, 'filler'), { recursive: true });
      await lab.recordings.retryUnsaved();
      expect(lab.recordings.meta(meta.id).incomplete).toBeUndefined();
    } finally {
      await lab.close();
    }
  });
});
