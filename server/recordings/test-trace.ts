/** Test support: a trace of real captured packets (a decoder fixture) with program events between them. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRACE_FORMAT, TRACE_VERSION, type Trace, type TraceEvent } from '../contract/trace.js';
import { decodeFrame } from '../decode/index.js';
import { readCaptureFile } from '../pcap/read-capture.js';
import { assignLanes } from './lanes.js';
import { projectRoot } from '../paths.js';

export function mixedTrace(id: string, fixture = 'handshake-ipv4'): Trace {
  const file = readCaptureFile(new Uint8Array(readFileSync(join(projectRoot, 'server/decode/fixtures', `${fixture}.pcap`))));
  const startedAtUs = Number(file.records[0]!.tsNs / 1000n) - 500;
  const events: TraceEvent[] = [];
  const wire = file.records.map((r, i) => ({
    kind: 'wire' as const,
    seq: 0,
    t: Number(r.tsNs) / 1000 - startedAtUs,
    frame: i + 1,
    tsNs: r.tsNs.toString(),
    caplen: r.caplen,
    len: r.len,
    linktype: r.linktype ?? 1,
    data: Buffer.from(r.data).toString('base64'),
    decoded: decodeFrame(r.data, r.linktype ?? 1, r.len),
  }));
  const lanes = assignLanes(wire);
  events.push({ kind: 'socket', seq: 0, t: 1, actor: 'server', op: 'listen', local: '127.0.0.1:8080' });
  for (const [i, w] of wire.entries()) {
    events.push(w);
    if (i === 3) events.push({ kind: 'app', seq: 0, t: w.t + 1, actor: 'client', op: 'write', data: Buffer.from('hello\n').toString('base64'), size: 6, lane: lanes[0]!.id });
    if (i === 4) events.push({ kind: 'note', seq: 0, t: w.t + 1, key: 'lesson.step', values: { n: 1 }, data: { rows: [1, 2, 3] } });
  }
  events.forEach((e, i) => (e.seq = i));
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    id,
    title: 'a test run',
    experiment: 'a-test',
    params: { close: 'end' },
    startedAt: new Date(startedAtUs / 1000).toISOString(),
    startedAtUs,
    durationUs: events.at(-1)!.t,
    env: { kernel: 'Linux test', platform: 'linux x64', node: process.version, capture: { available: true, method: 'netns' }, snaplen: 262144 },
    lanes,
    events,
    counters: { packets: wire.length, truncated: 0, received: wire.length },
    outcome: { ok: true },
  };
}
