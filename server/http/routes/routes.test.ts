/**
 * The HTTP routes on a real listening server: a run over `POST /api/runs` that succeeds, one
 * refused with 429 while the lab's run slots are full, one stopped because its client hung up;
 * and the lessons and experiments lists with the shapes the contract gives them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Value } from 'typebox/value';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.js';
import { DecodeReply, ExperimentList, LessonList, LessonReply, RunReply } from '../../contract/api.js';
import type { DecodedPacket } from '../../contract/trace.js';
import { decodeFrame } from '../../decode/index.js';
import { loadFixture } from '../../decode/fixtures/load.js';
import { experimentsDir } from '../../experiments/registry.js';
import { testExperimentsDir } from '../../test-experiments/catalog.js';
import { activeRunCount, MAX_CONCURRENT_RUNS } from '../../runner/run.js';
import { waitFor } from '../../runner/test-processes.js';

const TOKEN = 'routes-token-0123456789';
let app: FastifyInstance;
let dir: string;
let base: string;
const auth = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-lab-routes-'));
  app = await buildApp({
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, 'data'),
    experimentsDirs: [experimentsDir, testExperimentsDir],
    capture: { available: false, method: 'none', reason: 'off for this test' },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

const post = (body: unknown) => fetch(`${base}/api/runs`, { method: 'POST', headers: auth, body: JSON.stringify(body) });

describe('POST /api/runs', () => {
  it('runs an experiment and answers with its saved recording, in the contract’s shape', async () => {
    const res = await post({ experiment: 'hold', params: { message: 'hello' } });
    expect(res.status).toBe(200);
    const reply = (await res.json()) as RunReply;
    expect(Value.Check(RunReply, reply)).toBe(true);
    expect(reply.trace.outcome).toEqual({ ok: true });
    expect(reply.trace.experiment).toBe('hold');
    const saved = await fetch(`${base}/api/recordings/${reply.recordingId}/meta`);
    expect(saved.status).toBe(200);
  });

  it('answers 429 RUN_BUSY while the lab’s run slots are full, and runs again once one is free', async () => {
    const holding = Array.from({ length: MAX_CONCURRENT_RUNS }, () => post({ experiment: 'hold', params: { holdMs: 1500 } }));
    expect(await waitFor(() => activeRunCount() === MAX_CONCURRENT_RUNS, 15_000)).toBe(true);
    const busy = await post({ experiment: 'hold', params: {} });
    expect(busy.status).toBe(429);
    expect(((await busy.json()) as { error: { code: string } }).error.code).toBe('RUN_BUSY');
    for (const res of await Promise.all(holding)) expect(res.status).toBe(200);
    expect((await post({ experiment: 'hold', params: {} })).status).toBe(200);
  });

  it('stops the run when its client hangs up, and keeps what it recorded as aborted', async () => {
    const before = new Set(((await (await fetch(`${base}/api/recordings`)).json()) as { id: string }[]).map((m) => m.id));
    const body = JSON.stringify({ experiment: 'hold', params: { holdMs: 20_000 } });
    const req = request(`${base}/api/runs`, { method: 'POST', headers: { ...auth, 'content-length': Buffer.byteLength(body) } });
    req.on('error', () => {});
    req.end(body);
    expect(await waitFor(() => activeRunCount() === 1, 15_000)).toBe(true);
    const hungUpAt = Date.now();
    req.destroy();
    expect(await waitFor(() => activeRunCount() === 0, 15_000)).toBe(true);
    // Stopped well before its 20 s hold would have ended.
    expect(Date.now() - hungUpAt).toBeLessThan(15_000);
    // Saved once the run has stopped: wait (bounded) for it to be listed.
    type Meta = { id: string; outcome: { ok: boolean; error?: { code: string } } };
    let aborted: Meta[] = [];
    for (let i = 0; i < 200 && aborted.length === 0; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 25));
      aborted = ((await (await fetch(`${base}/api/recordings`)).json()) as Meta[]).filter((m) => !before.has(m.id));
    }
    expect(aborted).toHaveLength(1);
    expect(aborted[0]!.outcome).toMatchObject({ ok: false, error: { code: 'RUN_ABORTED' } });
  });
});

describe('lessons and experiments', () => {
  it('lists the lessons, each in the contract’s shape, in English and Chinese', async () => {
    for (const lang of ['en', 'zh-CN']) {
      const res = await fetch(`${base}/api/lessons?lang=${lang}`);
      expect(res.status).toBe(200);
      const list = (await res.json()) as LessonList;
      expect(Value.Check(LessonList, list)).toBe(true);
      expect(list.length).toBeGreaterThan(0);
    }
  });

  it('gives one lesson whole, and 404 LESSON_NOT_FOUND for an unknown one', async () => {
    const [first] = (await (await fetch(`${base}/api/lessons`)).json()) as LessonList;
    const res = await fetch(`${base}/api/lessons/${first!.id}?lang=zh-CN`);
    expect(res.status).toBe(200);
    const lesson = (await res.json()) as LessonReply;
    expect(Value.Check(LessonReply, lesson)).toBe(true);
    expect(lesson.id).toBe(first!.id);
    expect(lesson.blocks.length).toBeGreaterThan(0);
    const missing = await fetch(`${base}/api/lessons/no-such-lesson`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('LESSON_NOT_FOUND');
  });

  it('lists the experiments with their parameters, facts and marks', async () => {
    const res = await fetch(`${base}/api/experiments`);
    expect(res.status).toBe(200);
    const list = (await res.json()) as ExperimentList;
    expect(Value.Check(ExperimentList, list)).toBe(true);
    const handshake = list.find((e) => e.id === 'handshake');
    expect(handshake?.facts).toContain('data.clientBytes');
    expect(handshake?.marks).toContain('reply');
    expect(list.map((e) => e.id)).toContain('hold');
  });
});

describe('POST /api/decode', () => {
  const post = (body: unknown) =>
    fetch(`${base}/api/decode`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  it('decodes one packet whole, as the recording would, without the token', async () => {
    for (const record of loadFixture('handshake-ipv6').slice(0, 4)) {
      const data = Buffer.from(record.data).toString('base64');
      const res = await post({ data, linktype: record.linktype ?? 1, len: record.len, loopback: true });
      expect(res.status).toBe(200);
      const reply = (await res.json()) as DecodedPacket;
      expect(Value.Check(DecodeReply, reply)).toBe(true);
      expect(reply).toEqual(JSON.parse(JSON.stringify(decodeFrame(record.data, record.linktype ?? 1, record.len, { loopback: true }))));
    }
  });

  it('refuses what is not one packet’s bytes: not base64, too long, unknown fields', async () => {
    for (const body of [
      { data: 'not base64!', linktype: 1, len: 8 },
      { data: 'A'.repeat(349_532), linktype: 1, len: 8 },
      { data: 'AAAA', linktype: 1, len: 3, extra: true },
      { data: 'AAAA', linktype: -1, len: 3 },
    ]) {
      const res = await post(body);
      expect(res.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('REQUEST_INVALID');
    }
  });
});
