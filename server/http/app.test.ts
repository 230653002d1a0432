import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';

const TOKEN = 'test-token-0123456789';
const PORT = 7357;
const HOST = `127.0.0.1:${PORT}`;
const auth = { authorization: `Bearer ${TOKEN}` };

let app: FastifyInstance;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-api-'));
  app = await buildApp({ token: TOKEN, host: '127.0.0.1', port: PORT, dataDir, capture: { available: false, method: 'none', reason: 'off for this test' } });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('Host and Origin guards', () => {
  it('answers requests for our own host names', async () => {
    for (const host of [HOST, `localhost:${PORT}`, `[::1]:${PORT}`]) {
      const res = await app.inject({ url: '/api/health', headers: { host } });
      expect(res.statusCode, host).toBe(200);
    }
  });

  it('refuses any other Host with 403 (DNS rebinding)', async () => {
    for (const host of ['evil.example:7357', `127.0.0.1:${PORT + 1}`, '127.0.0.1', 'localhost', '']) {
      const res = await app.inject({ url: '/api/health', headers: { host } });
      expect(res.statusCode, host).toBe(403);
      expect(res.json().error.code).toBe('HOST_FORBIDDEN');
    }
  });

  it('refuses a foreign Origin with 403, and never sends CORS headers', async () => {
    for (const origin of ['http://evil.example', `https://127.0.0.1:${PORT}`, 'null', `http://127.0.0.1:${PORT}.evil.example`]) {
      const res = await app.inject({ url: '/api/health', headers: { host: HOST, origin } });
      expect(res.statusCode, origin).toBe(403);
      expect(res.json().error.code).toBe('ORIGIN_FORBIDDEN');
    }
    const ok = await app.inject({ url: '/api/health', headers: { host: HOST, origin: `http://${HOST}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('control token', () => {
  it('is required to run, import or delete', async () => {
    const calls = [
      { method: 'POST' as const, url: '/api/runs', payload: { experiment: 'handshake' } },
      { method: 'POST' as const, url: '/api/recordings', payload: { any: 1 } },
      { method: 'DELETE' as const, url: '/api/recordings/abc' },
    ];
    for (const call of calls) {
      for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, 'Bearer ']) {
        const res = await app.inject({ ...call, headers: { host: HOST, ...(authorization ? { authorization } : {}) } });
        expect(res.statusCode, `${call.method} ${call.url} ${authorization}`).toBe(401);
        expect(res.json().error.code).toBe('TOKEN_REQUIRED');
      }
    }
  });
});

describe('token before body', () => {
  it('refuses a request without the token before reading its body', async () => {
    const big = Buffer.alloc(40 * 1024 * 1024); // over the import limit: 413 if it were read first
    const res = await app.inject({
      method: 'POST',
      url: '/api/recordings',
      headers: { host: HOST, 'content-type': 'application/octet-stream' },
      payload: big,
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('bad input gets a clear error', () => {
  it('validates run requests', async () => {
    const cases: [unknown, number, string][] = [
      [{}, 400, 'REQUEST_INVALID'],
      [{ experiment: 'handshake', extra: true }, 400, 'REQUEST_INVALID'],
      [{ experiment: 'no-such-thing' }, 404, 'EXPERIMENT_UNKNOWN'],
      [{ experiment: 'handshake', params: { bogus: 1 } }, 400, 'PARAMS_INVALID'],
      [{ experiment: 'handshake', params: { ipVersion: 5 } }, 400, 'PARAMS_INVALID'],
      [{ experiment: 'handshake', params: { pauseMs: 999999 } }, 400, 'PARAMS_INVALID'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await app.inject({ method: 'POST', url: '/api/runs', headers: { host: HOST, ...auth }, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(status);
      expect(res.json().error.code, JSON.stringify(payload)).toBe(code);
    }
    const notJson = await app.inject({
      method: 'POST',
      url: '/api/runs',
      headers: { host: HOST, ...auth, 'content-type': 'application/json' },
      payload: '{"experiment": ',
    });
    expect(notJson.statusCode).toBe(400);
  });

  it('refuses malformed imports with 400 and keeps nothing', async () => {
    const before = (await app.inject({ url: '/api/recordings', headers: { host: HOST } })).json().length;
    const bodies: { type: string; body: Buffer | string }[] = [
      { type: 'application/octet-stream', body: randomBytes(300) },
      { type: 'application/octet-stream', body: Buffer.alloc(3) },
      { type: 'application/vnd.tcpdump.pcap', body: Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000ffffffff', 'hex') },
      { type: 'application/json', body: '{"format":"socket-lab-trace","version":1}' },
      { type: 'application/json', body: '[1,2,3]' },
    ];
    for (const { type, body } of bodies) {
      const res = await app.inject({ method: 'POST', url: '/api/recordings', headers: { host: HOST, ...auth, 'content-type': type }, payload: body });
      expect(res.statusCode, `${type} ${body.length}`).toBe(400);
      expect(res.json().error.message.length).toBeGreaterThan(10);
    }
    const after = (await app.inject({ url: '/api/recordings', headers: { host: HOST } })).json().length;
    expect(after).toBe(before);
  });

  it('answers unknown recordings with 404', async () => {
    const res = await app.inject({ url: '/api/recordings/does-not-exist', headers: { host: HOST } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('RECORDING_NOT_FOUND');
    const bad = await app.inject({ url: '/api/recordings/..%2f..%2fetc', headers: { host: HOST } });
    expect(bad.statusCode).toBe(400);
  });
});

describe('imports and exports', () => {
  it('imports a real pcap, exports it as pcapng, re-imports it, and deletes it', async () => {
    const fixture = await readFile(join(import.meta.dirname, '../decode/fixtures/handshake-ipv4.pcap'));
    const imported = await app.inject({
      method: 'POST',
      url: '/api/recordings',
      headers: { host: HOST, ...auth, 'content-type': 'application/vnd.tcpdump.pcap' },
      payload: fixture,
    });
    expect(imported.statusCode).toBe(201);
    const { recordingId, trace } = imported.json();
    expect(trace.counters.packets).toBeGreaterThanOrEqual(7);
    expect(trace.lanes).toHaveLength(1);

    const full = (await app.inject({ url: `/api/recordings/${recordingId}`, headers: { host: HOST } })).json();
    const flags = full.events.slice(0, 3).map((e: { decoded: { summary: { flags: string[] } } }) => e.decoded.summary.flags.join(','));
    expect(flags).toEqual(['SYN', 'ACK,SYN', 'ACK']);

    const pcapng = await app.inject({ url: `/api/recordings/${recordingId}/pcapng`, headers: { host: HOST } });
    expect(pcapng.statusCode).toBe(200);
    expect(pcapng.headers['content-disposition']).toContain(`${recordingId}.pcapng`);
    expect(pcapng.rawPayload.readUInt32LE(0)).toBe(0x0a0d0d0a);

    const again = await app.inject({
      method: 'POST',
      url: '/api/recordings',
      headers: { host: HOST, ...auth, 'content-type': 'application/octet-stream' },
      payload: pcapng.rawPayload,
    });
    expect(again.statusCode).toBe(201);
    const second = (await app.inject({ url: `/api/recordings/${again.json().recordingId}`, headers: { host: HOST } })).json();
    expect(second.events.map((e: { data: string }) => e.data)).toEqual(full.events.map((e: { data: string }) => e.data));

    const asJson = await app.inject({ method: 'POST', url: '/api/recordings', headers: { host: HOST, ...auth }, payload: full });
    expect(asJson.statusCode).toBe(201);

    const del = await app.inject({ method: 'DELETE', url: `/api/recordings/${recordingId}`, headers: { host: HOST, ...auth } });
    expect(del.statusCode).toBe(204);
    const gone = await app.inject({ url: `/api/recordings/${recordingId}`, headers: { host: HOST } });
    expect(gone.statusCode).toBe(404);
  });
});
