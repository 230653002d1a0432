/**
 * Benchmark rows for recordings (needs `npm run build:server`): bytes on disk per captured byte,
 * importing a 100k-packet capture against `tcpdump -nr` printing the same file, the longest the
 * event loop was blocked during an import and during a save, and the resident size after.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';

const dist = new URL('../../dist/server/recordings/', import.meta.url);
const { RecordingStore } = await import(new URL('store.js', dist).href);
const { importCapture } = await import(new URL('import.js', dist).href);
const { syntheticPcap, syntheticCapturedBytes } = await import(new URL('../pcap/synthetic-capture.js', dist).href);

const MiB = 1024 * 1024;

/**
 * Runs `work` and reports the longest the event loop went without a turn: by the wall clock
 * (`blockMs`, which on a busy machine includes time the process was not scheduled at all) and
 * by this process's own CPU time between two turns (`busyMs`: the work that held the loop).
 */
async function maxBlock(work) {
  let lastWall = performance.now();
  let lastCpu = process.cpuUsage();
  let blockMs = 0;
  let busyMs = 0;
  const tick = setInterval(() => {
    const wall = performance.now();
    const cpu = process.cpuUsage(lastCpu);
    blockMs = Math.max(blockMs, wall - lastWall);
    busyMs = Math.max(busyMs, Math.min(wall - lastWall, (cpu.user + cpu.system) / 1000));
    lastWall = wall;
    lastCpu = process.cpuUsage();
  }, 2);
  const started = performance.now();
  const result = await work();
  const ms = performance.now() - started;
  clearInterval(tick);
  return { result, ms, blockMs, busyMs };
}

function tcpdumpMs(file) {
  const started = performance.now();
  const out = spawnSync('tcpdump', ['-nr', file], { stdio: ['ignore', 'ignore', 'ignore'] });
  const ms = performance.now() - started;
  return out.status === 0 ? ms : null;
}

export default async function ({ smoke, tmp }) {
  const packets = smoke ? 2_000 : 100_000;
  // Loopback TCP with 10-byte payloads every other packet: mostly bare ACK-sized frames (54–64 B),
  // the hardest case for a per-packet overhead.
  const file = join(tmp, `synthetic-${packets}.pcap`);
  await pipeline(Readable.from(syntheticPcap(packets, 10)), createWriteStream(file));
  const captured = syntheticCapturedBytes(packets, 10);

  global.gc?.();
  const idleRss = process.memoryUsage().rss;
  const idleHeap = process.memoryUsage().heapUsed;
  const store = new RecordingStore(join(tmp, 'data'));
  await store.init();

  const { createReadStream } = await import('node:fs');
  const imported = await maxBlock(() => importCapture(store, createReadStream(file, { highWaterMark: 64 * 1024 }), 'bench'));
  const folder = join(store.dir, imported.result.id);
  const onDisk = (await stat(join(folder, 'capture.pcapng'))).size + (await stat(join(folder, 'events.ndjson'))).size + (await stat(join(folder, 'meta.json'))).size;
  const pcapSize = (await stat(file)).size;
  const tcpdump = tcpdumpMs(file);
  global.gc?.();
  const importRss = process.memoryUsage().rss;

  // A save of a whole trace (a JSON import, a run that could not be written as it went). The
  // decoded layers are never stored, so they are left out here to keep the bench's own memory small.
  const events = [];
  for (let from = 0; from < packets; from += 1000) {
    for (const e of (await store.events(imported.result.id, from, 1000)).events) events.push(e.kind === 'wire' ? { ...e, decoded: null } : e);
  }
  const { eventCount: _n, ...meta } = store.meta(imported.result.id);
  const saved = await maxBlock(() => store.save({ ...meta, id: `${meta.id}-copy`, events }));
  events.length = 0;

  // Reading the last window, as the page does when it opens the recording.
  const opened = await maxBlock(() => store.events(imported.result.id, packets - 500, 500));

  global.gc?.();
  await new Promise((r) => setTimeout(r, 200));
  global.gc?.();
  const afterRss = process.memoryUsage().rss;
  const afterHeap = process.memoryUsage().heapUsed;

  const round = (n, d = 2) => Math.round(n * 10 ** d) / 10 ** d;
  return [
    {
      row: `recording on disk per captured byte (${packets} packets)`,
      value: round(onDisk / captured),
      unit: '×',
      peer: 'pcap file of the same packets',
      peerValue: round(pcapSize / captured),
      ratio: round(onDisk / pcapSize),
      target: '≤ 3× the captured bytes',
    },
    {
      row: `import ${packets} packets (pcap)`,
      value: round(imported.ms, 0),
      unit: 'ms',
      peer: 'tcpdump -nr (same file)',
      peerValue: tcpdump === null ? null : round(tcpdump, 0),
      ratio: tcpdump === null ? null : round(imported.ms / tcpdump),
      target: '≤ 3× tcpdump -nr',
    },
    {
      row: `event loop: longest block during the import (CPU held; wall clock as peer)`,
      value: round(imported.busyMs, 1),
      unit: 'ms',
      peer: 'wall clock, incl. time not scheduled',
      peerValue: round(imported.blockMs, 1),
      ratio: round(imported.busyMs / Math.max(imported.blockMs, 0.01)),
      target: '≤ 50 ms',
    },
    {
      row: `event loop: longest block during a save of ${packets} events (CPU held; wall clock as peer)`,
      value: round(saved.busyMs, 1),
      unit: 'ms',
      peer: 'wall clock, incl. time not scheduled',
      peerValue: round(saved.blockMs, 1),
      ratio: round(saved.busyMs / Math.max(saved.blockMs, 0.01)),
      target: '≤ 50 ms',
    },
    {
      row: `open at the last step: 500 events around it`,
      value: round(opened.ms, 0),
      unit: 'ms',
      peer: null,
      peerValue: null,
      ratio: null,
      target: 'the page never loads a whole big recording',
    },
    memoryRow('resident size after the import', importRss, idleRss, 'back near idle'),
    // What the lab still holds (the store's index of both recordings): the rest of the resident
    // growth is heap and allocator pages kept for reuse, not objects.
    memoryRow('heap in use after import and save', afterHeap, idleHeap, null),
    memoryRow(`resident size after import and save (the save held ${packets} events)`, afterRss, idleRss, 'back near idle'),
  ];
}

/** A memory row: the size itself (a difference can be negative), with idle as the peer. */
function memoryRow(what, bytes, idle, target) {
  const round = (n) => Math.round(n * 10) / 10;
  return { row: `${what} (idle as peer)`, value: round(bytes / MiB), unit: 'MiB', peer: 'idle', peerValue: round(idle / MiB), ratio: Math.round((bytes / idle) * 100) / 100, target };
}
