/**
 * The sticky-packet experiment on real sockets (the Python programs): each preset's effect as
 * the kernel produced it, every framing rebuilding the exact messages under each way of reading,
 * and a saved recording giving the same lanes as the live run.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../../capture/probe.js';
import { analyseStream } from '../../contract/byte-stream.js';
import type { CaptureInfo, ProgramLang, Trace, TraceEvent } from '../../contract/trace.js';
import { labCatalog } from '../registry.js';
import { RecordingStore } from '../../recordings/store.js';
import { runExperiment } from '../../runner/run.js';
import { ensureRunnerBuilt } from '../../runner/vitest-global-setup.js';
import { presets } from './params.js';
import type { LabError } from '../../errors.js';

let capture: CaptureInfo;
let captured = false;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
  captured = capture.available && capture.method !== 'none';
}, 180_000);

async function run(params: Record<string, unknown>, lang: ProgramLang = 'python'): Promise<{ trace: Trace; live: TraceEvent[] }> {
  const live: TraceEvent[] = [];
  const trace = await runExperiment({ experiment: 'sticky', params, capture, lang, onEvent: (e) => live.push(e) });
  expect(trace.outcome).toEqual({ ok: true });
  return { trace, live };
}

function stream(trace: Trace) {
  const analysis = analyseStream(trace.events, trace.lanes, captured);
  expect(analysis).not.toBeNull();
  return analysis!;
}

/** What the server's program printed. */
function serverOutput(trace: Trace): string {
  return trace.events.map((e) => (e.kind === 'program' && e.actor === 'server' && e.op === 'output' ? (e.text ?? '') : '')).join('');
}

const MESSAGES = ['hello', 'world', 'how', 'are', 'you'];

describe('sticky packets, Python programs', () => {
  it('cork: the five writes leave as one segment and are read at once', async () => {
    const { trace } = await run(presets['cork']!);
    const s = stream(trace);
    expect(s.counts.writes).toBe(5);
    if (captured) expect(s.counts.segments).toBe(1);
    expect(s.counts.reads).toBe(1);
    expect(s.verdict).toBe('lost');
    expect(serverOutput(trace)).toContain("message 1 b'helloworldhowareyou'");
  }, 30_000);

  it('a late reader gets every message in one read', async () => {
    const { trace } = await run(presets['late-reader']!);
    const s = stream(trace);
    // Nagle off: five writes, five segments; the receive buffer still holds them as one stream.
    if (captured) expect(s.counts.segments).toBe(5);
    expect(s.reads.map((r) => r.end - r.start)).toEqual([19]);
    expect(s.rebuilt.map((m) => new TextDecoder().decode(m.bytes))).toEqual(['helloworldhowareyou']);
    const facts = (await labCatalog()).facts(trace);
    expect(facts.values).toMatchObject({ messages: 5, writes: 5, reads: 1, verdict: 'lost', readSizes: '19' });
  }, 30_000);

  it('recv(1024) splits a 3000-byte message into 1024 + 1024 + 952', async () => {
    const { trace } = await run(presets['recv-split']!);
    const s = stream(trace);
    expect(s.writes.map((w) => w.end - w.start)).toEqual([3000]);
    expect(s.readSizes).toBe('1024+1024+952');
    expect(s.verdict).toBe('lost');
  }, 30_000);

  describe.each(['length', 'delimiter', 'fixed'] as const)('framing %s', (framing) => {
    it.each([
      ['as data arrives', { reader: 'as-arrives' }],
      ['late', { reader: 'late', lateMs: 100 }],
      ['3 bytes per recv()', { reader: 'as-arrives', recvSize: 3 }],
    ])('rebuilds the exact messages when the server reads %s', async (_how, reading) => {
      const { trace } = await run({ framing, nagle: false, ...reading });
      const s = stream(trace);
      expect(s.verdict).toBe('rebuilt');
      expect(s.rebuilt.map((m) => new TextDecoder().decode(m.bytes))).toEqual(MESSAGES);
      // The server's program rebuilt the same five, by the same rule.
      const out = serverOutput(trace);
      expect(out).toContain('5 messages\n');
      MESSAGES.forEach((m, i) => expect(out).toContain(`message ${i + 1} b'${m}'`));
    }, 30_000);
  });

  it('an empty write puts nothing on the wire; with a length prefix the empty message arrives', async () => {
    const plain = stream((await run(presets['empty-message']!)).trace);
    const empty = plain.writes[1]!;
    expect(empty.end - empty.start).toBe(0);
    if (captured) expect(plain.counts.segments).toBe(2);
    const framed = await run({ ...presets['empty-message'], framing: 'length' });
    const s = stream(framed.trace);
    expect(s.rebuilt.map((m) => new TextDecoder().decode(m.bytes))).toEqual(['hello', '', 'world']);
    expect(s.verdict).toBe('rebuilt');
  }, 30_000);

  it('a sender that fails part-way is judged unsent, not as boundaries lost', async () => {
    const catalog = await labCatalog();
    const original = (await catalog.programFiles('sticky', 'python')).files.find((f) => f.name === 'client.py')!.source;
    const send = '        sk.sendall(frame(message))';
    expect(original).toContain(send);
    const failing = original.replace(send, `${send}\n        if i == 1:\n            raise RuntimeError('stopped on purpose')`);
    const live: TraceEvent[] = [];
    const trace = await runExperiment({ experiment: 'sticky', params: { nagle: false }, capture, lang: 'python', programs: { 'client.py': failing }, onEvent: (e) => live.push(e) });
    const s = stream(trace);
    expect(s.counts.writes).toBe(2);
    expect([s.sentBytes, s.plannedBytes]).toEqual([10, 19]);
    expect(s.verdict).toBe('unsent');
    expect(catalog.summary(trace)).toMatch(/^the sender wrote 10 of its 19 bytes and stopped/);
  }, 30_000);

  it('refuses more message bytes than a run sends, saying how many messages fit', async () => {
    const catalog = await labCatalog();
    expect(() => catalog.resolveParams('sticky', { count: 10_000, size: 6000 })).toThrow(
      /10,000 messages of 6,000 bytes make 60,000,000 bytes; a run sends at most 2,097,152 \(at this size, at most 349 messages\)/,
    );
    try {
      catalog.resolveParams('sticky', { count: 500, size: 65_536 });
      expect.unreachable('500 × 64 KiB is refused');
    } catch (err) {
      expect((err as LabError).messages?.['zh-CN']).toBe('500 条 65,536 字节的消息共 32,768,000 字节；一次运行最多发送 2,097,152 字节（这个大小下最多 32 条）。');
    }
    expect(catalog.resolveParams('sticky', { count: 10_000, size: 209 })['size']).toBe(209);
    expect(() => catalog.resolveParams('sticky', { count: 10_000, size: 210 })).toThrow(/PARAMS_INVALID|at most/);
  });

  it('a saved recording gives the same lanes as the live run', async () => {
    const { trace, live } = await run(presets['length-prefix']!);
    const dir = await mkdtemp(join(tmpdir(), 'sticky-store-'));
    try {
      const store = new RecordingStore(dir);
      await store.init();
      await store.save(trace);
      const saved = await store.trace(trace.id);
      const lanes = (events: readonly TraceEvent[], t: Trace) => {
        const s = analyseStream(events, t.lanes, captured)!;
        return { writes: s.writes, segments: s.segments, reads: s.reads, rebuilt: s.rebuilt.map((m) => [m.span, m.exact]), verdict: s.verdict };
      };
      expect(lanes(saved.events, saved)).toEqual(lanes(live, trace));
      expect(lanes(saved.events, saved).verdict).toBe('rebuilt');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('sticky packets, Node.js programs', () => {
  it('cork: the five writes leave as one segment and are read at once', async () => {
    const { trace } = await run(presets['cork']!, 'node');
    expect(trace.programs?.map((p) => p.name).sort()).toEqual(['client.js', 'server.js']);
    const s = stream(trace);
    expect(s.counts.writes).toBe(5);
    if (captured) expect(s.counts.segments).toBe(1);
    expect(s.readSizes).toBe('19');
  }, 30_000);

  it('a late reader (paused on connect) gets every message in one read', async () => {
    const s = stream((await run(presets['late-reader']!, 'node')).trace);
    if (captured) expect(s.counts.segments).toBe(5);
    expect(s.readSizes).toBe('19');
    expect(s.verdict).toBe('lost');
  }, 30_000);

  it('has no recv(1024): Node reads the 3000-byte message at once', async () => {
    const s = stream((await run(presets['recv-split']!, 'node')).trace);
    expect(s.readSizes).toBe('3000');
  }, 30_000);

  describe.each(['length', 'delimiter', 'fixed'] as const)('framing %s', (framing) => {
    it.each([
      ['as data arrives', { reader: 'as-arrives' }],
      ['late', { reader: 'late', lateMs: 100 }],
      ['with warm-up and Nagle', { reader: 'as-arrives', warmup: 2, nagle: true }],
    ])('rebuilds the exact messages when the server reads %s', async (_how, reading) => {
      const { trace } = await run({ framing, nagle: false, ...reading }, 'node');
      const s = stream(trace);
      expect(s.verdict).toBe('rebuilt');
      expect(s.rebuilt.map((m) => new TextDecoder().decode(m.bytes))).toEqual(MESSAGES);
      const out = serverOutput(trace);
      expect(out).toContain('5 messages\n');
      MESSAGES.forEach((m, i) => expect(out).toContain(`message ${i + 1} "${m}"`));
    }, 30_000);
  });
});
