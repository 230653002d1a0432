/**
 * What a hostile or careless client may try over HTTP and the WebSocket, on a real listening
 * server: types that would be converted, two Host headers, absolute URIs, upgrades on other
 * paths, framing, the raw page template, timestamps past pcapng's range, a run refused as busy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import WebSocket from 'ws';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { experimentsDir } from '../experiments/registry.js';
import { testExperimentsDir } from '../test-experiments/catalog.js';
import { importCapture } from '../recordings/import.js';
import { IMMUTABLE, REVALIDATE } from './web.js';
import { activeRunCount, MAX_CONCURRENT_RUNS } from '../runner/run.js';

const TOKEN = 'hardening-token-0123456789';
let app: FastifyInstance;
let dir: string;
let port: number;
let host: string;

const ASSET = 'assets/index-Abc123.js';
const ASSET_TEXT = `export const text = ${JSON.stringify('socket '.repeat(400))};\n`;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-lab-hardening-'));
  const web = join(dir, 'web');
  await mkdir(join(web, 'assets'), { recursive: true });
  await writeFile(join(web, 'index.html'), '<meta name="socket-lab-token" content="__SOCKET_LAB_TOKEN__"><div id="app"></div>');
  // As the build leaves them: each asset beside its brotli and gzip copies.
  await writeFile(join(web, ASSET), ASSET_TEXT);
  await writeFile(join(web, `${ASSET}.br`), brotliCompressSync(ASSET_TEXT));
  await writeFile(join(web, `${ASSET}.gz`), gzipSync(ASSET_TEXT));
  await writeFile(join(web, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  await writeFile(join(web, 'index.html.gz'), gzipSync('__SOCKET_LAB_TOKEN__'));
  app = await buildApp({
    token: TOKEN,
    host: '127.0.0.1',
    port: 0,
    dataDir: join(dir, 'data'),
    webDir: web,
    experimentsDirs: [experimentsDir, testExperimentsDir],
    capture: { available: false, method: 'none', reason: 'off for this test' },
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  port = typeof address === 'object' && address ? address.port : 0;
  host = `127.0.0.1:${port}`;
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

/** Sends raw request bytes and returns the status line's code (0 when the server only closed). */
function rawStatus(request: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      text += chunk;
      const match = /^HTTP\/1\.1 (\d{3})/.exec(text);
      if (match) {
        socket.destroy();
        resolve(Number(match[1]));
      }
    });
    socket.on('close', () => resolve(0));
    socket.on('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error(`no answer to ${JSON.stringify(request)}`)));
  });
}

type Message = { type: string; [key: string]: unknown };

/** A WebSocket client that said hello with the token; `next` waits for a message of a type. */
async function client(): Promise<{ ws: WebSocket; next: (type: string) => Promise<Message>; all: Message[] }> {
  const ws = new WebSocket(`ws://${host}/ws`);
  const all: Message[] = [];
  const waiting: { type: string; resolve: (m: Message) => void }[] = [];
  let read = 0;
  const pump = () => {
    while (read < all.length) {
      const m = all[read]!;
      const i = waiting.findIndex((w) => w.type === m.type);
      if (i < 0) return;
      read++;
      waiting.splice(i, 1)[0]!.resolve(m);
    }
  };
  ws.on('message', (data) => {
    all.push(JSON.parse(data.toString()) as Message);
    pump();
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const next = (type: string) =>
    new Promise<Message>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${type}; got ${JSON.stringify(all)}`)), 15_000);
      waiting.push({ type, resolve: (m) => (clearTimeout(timer), resolve(m)) });
      pump();
    });
  ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
  await next('welcome');
  return { ws, next, all };
}

const recordingCount = async () => ((await app.inject({ url: '/api/recordings', headers: { host } })).json() as unknown[]).length;

describe('bodies are as strict over HTTP as over the WebSocket', () => {
  const wrongTypes = [
    { experiment: ['handshake'] },
    { experiment: 'handshake', params: { pauseMs: [1] } },
    { experiment: 'handshake', params: { close: null } },
  ];

  it('refuses a value of the wrong type with REQUEST_INVALID on both, and starts nothing', async () => {
    const before = await recordingCount();
    const { ws, next, all } = await client();
    for (const body of wrongTypes) {
      const res = await app.inject({ method: 'POST', url: '/api/runs', headers: { host, authorization: `Bearer ${TOKEN}` }, payload: body });
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code, JSON.stringify(body)).toBe('REQUEST_INVALID');
      ws.send(JSON.stringify({ type: 'run', requestId: 'r', params: {}, ...body }));
      expect(await next('error'), JSON.stringify(body)).toMatchObject({ code: 'REQUEST_INVALID' });
    }
    ws.close();
    expect(all.some((m) => m.type === 'run-started')).toBe(false);
    expect(await recordingCount()).toBe(before);
  });
});

describe('the host a request names', () => {
  it('refuses two Host headers with 400, even when both are ours', async () => {
    expect(await rawStatus(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).toBe(200);
    expect(await rawStatus(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nHost: ${host}\r\nConnection: close\r\n\r\n`)).toBe(400);
    expect(await rawStatus(`GET /api/health HTTP/1.1\r\nHost: ${host}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`)).toBe(400);
  });

  it('judges an absolute-URI request line by the URI, not the Host header', async () => {
    const evil = `GET http://evil.example:${port}/api/health HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`;
    expect(await rawStatus(evil)).toBe(403);
    const ours = `GET http://${host}/api/health HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`;
    expect(await rawStatus(ours)).not.toBe(403);
  });
});

describe('WebSocket upgrades', () => {
  it('are answered only on /ws', async () => {
    for (const path of ['/', '/api/health', '/ws/', '/wsx', '/lessons/x']) {
      const ws = new WebSocket(`ws://${host}${path}`);
      const status = await new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => resolve(0));
      });
      ws.terminate();
      expect(status, path).not.toBe(101);
      expect(status, path).toBe(404);
    }
    const { ws } = await client();
    ws.close();
  });
});

describe('the page', () => {
  it('cannot be framed, and runs only its own scripts', async () => {
    for (const url of ['/', '/lessons/02-tcp-handshake', `/${ASSET}`, '/api/health']) {
      const res = await app.inject({ url, headers: { host } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['x-frame-options'], url).toBe('DENY');
      const csp = String(res.headers['content-security-policy']);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe/);
      expect(csp, url).not.toContain('upgrade-insecure-requests');
    }
  });

  it('is never the raw template: /index.html carries the token like /', async () => {
    const index = await app.inject({ url: '/index.html', headers: { host }, remoteAddress: '127.0.0.1' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain(`content="${TOKEN}"`);
    expect(index.body).not.toContain('__SOCKET_LAB_TOKEN__');
    for (const url of ['/index.html', '/index.html.gz', '/%69ndex.html']) {
      const res = await app.inject({ url, headers: { host, 'accept-encoding': 'gzip' }, remoteAddress: '192.0.2.7' });
      const body = res.headers['content-encoding'] === 'gzip' ? 'compressed template' : res.body;
      expect(body, url).not.toContain('__SOCKET_LAB_TOKEN__');
      expect(body, url).not.toBe('compressed template');
    }
  });

  it('serves assets compressed when accepted, cached for good when hashed, and the page never stored', async () => {
    const br = await app.inject({ url: `/${ASSET}`, headers: { host, 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe(IMMUTABLE);
    expect(br.rawPayload.length).toBeLessThan(ASSET_TEXT.length / 4);
    const gz = await app.inject({ url: `/${ASSET}`, headers: { host, 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    const plain = await app.inject({ url: `/${ASSET}`, headers: { host } });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(ASSET_TEXT);
    const icon = await app.inject({ url: '/favicon.svg', headers: { host } });
    expect(icon.headers['cache-control']).toBe(REVALIDATE);
    const page = await app.inject({ url: '/', headers: { host } });
    expect(page.headers['cache-control']).toBe('no-store');
  });
});

describe('imported traces', () => {
  it('refuse a packet timestamp past what pcapng can hold', async () => {
    const bytes = new Uint8Array(await readFile(join(import.meta.dirname, '../decode/fixtures/handshake-ipv4.pcap')));
    const trace = importCapture(bytes);
    const post = (body: unknown) =>
      app.inject({ method: 'POST', url: '/api/recordings', headers: { host, authorization: `Bearer ${TOKEN}` }, payload: body as object });
    const wire = trace.events.findIndex((e) => e.kind === 'wire');
    const withTs = (tsNs: string) => ({ ...trace, events: trace.events.map((e, i) => (i === wire ? { ...e, tsNs } : e)) });
    const ok = await post(withTs('9999999999999999999'));
    expect(ok.statusCode).toBe(201);
    const tooLate = await post(withTs((2n ** 64n).toString()));
    expect(tooLate.statusCode).toBe(400);
    expect(tooLate.json().error.code).toBe('IMPORT_INVALID_TRACE');
  });
});

describe('a run refused as busy', () => {
  it('gets RUN_BUSY and never a run-started', async () => {
    // Two runs going elsewhere fill the lab's run slots.
    const holding = [1, 2].map(() =>
      app.inject({
        method: 'POST',
        url: '/api/runs',
        headers: { host, authorization: `Bearer ${TOKEN}` },
        payload: { experiment: 'hold', params: { holdMs: 2500 } },
      }),
    );
    for (let i = 0; i < 200 && activeRunCount() < MAX_CONCURRENT_RUNS; i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(activeRunCount()).toBe(MAX_CONCURRENT_RUNS);
    const { ws, next, all } = await client();
    ws.send(JSON.stringify({ type: 'run', requestId: 'third', experiment: 'hold', params: {} }));
    expect(await next('error')).toMatchObject({ code: 'RUN_BUSY', requestId: 'third' });
    // Anything sent about it would have come before the error.
    expect(all.filter((m) => m.requestId === 'third').map((m) => m.type)).toEqual(['error']);
    ws.close();
    for (const res of await Promise.all(holding)) expect(res.statusCode).toBe(200);
  });
});
