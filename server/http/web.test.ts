import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import { allowedHostsFor } from './security.js';
import { isLoopbackAddress } from './web.js';
import { readSettings } from '../config.js';

const TOKEN = 'web-token-$&-0123456789';
let app: FastifyInstance;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'socket-lab-web-'));
  await writeFile(join(dir, 'index.html'), '<meta name="socket-lab-token" content="__SOCKET_LAB_TOKEN__"><div id="app"></div>');
  app = await buildApp({
    token: TOKEN,
    host: '0.0.0.0',
    port: 7357,
    dataDir: join(dir, 'data'),
    webDir: dir,
    capture: { available: false, method: 'none' },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the page', () => {
  it('carries the token, exactly, only to a browser on this machine', async () => {
    const local = await app.inject({ url: '/lessons/02-tcp-handshake', headers: { host: '127.0.0.1:7357' }, remoteAddress: '127.0.0.1' });
    expect(local.statusCode).toBe(200);
    // Escaped for the attribute: the browser reads back exactly the token.
    expect(local.body).toContain(`content="${TOKEN.replace('&', '&amp;')}"`);
    const remote = await app.inject({ url: '/', headers: { host: '127.0.0.1:7357' }, remoteAddress: '192.0.2.7' });
    expect(remote.statusCode).toBe(200);
    expect(remote.body).toContain('content=""');
    expect(remote.body).not.toContain(TOKEN);
  });

  it('serves files a rebuild added after start, and nothing outside the page folder', async () => {
    await writeFile(join(dir, 'late.js'), 'export {};');
    const late = await app.inject({ url: '/late.js', headers: { host: '127.0.0.1:7357' } });
    expect(late.statusCode).toBe(200);
    const outside = await app.inject({ url: '/..%2fpackage.json', headers: { host: '127.0.0.1:7357' } });
    expect(outside.statusCode).toBe(404);
  });

  it('answers a browser asking for a path that is no page with the page (404), and anything else with JSON', async () => {
    const host = { host: '127.0.0.1:7357' };
    const browser = await app.inject({ url: '/foo/bar', headers: { ...host, accept: 'text/html,application/xhtml+xml' }, remoteAddress: '127.0.0.1' });
    expect(browser.statusCode).toBe(404);
    expect(browser.headers['content-type']).toMatch(/^text\/html/);
    expect(browser.body).toContain('<div id="app">');
    const script = await app.inject({ url: '/foo/bar', headers: { ...host, accept: 'application/json' } });
    expect(script.statusCode).toBe(404);
    expect(script.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const api = await app.inject({ url: '/api/nothing', headers: { ...host, accept: 'text/html' } });
    expect(api.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('gives the token to no one when told to trust no one as local (behind a reverse proxy)', async () => {
    const guarded = await buildApp({
      token: TOKEN,
      host: '127.0.0.1',
      port: 7357,
      dataDir: join(dir, 'data-guarded'),
      webDir: dir,
      capture: { available: false, method: 'none' },
      trustLocal: readSettings([], { SOCKET_LAB_TRUST_LOCAL: 'no' }).trustLocal,
    });
    try {
      for (const url of ['/', '/index.html', '/lessons/02-tcp-handshake']) {
        const local = await guarded.inject({ url, headers: { host: '127.0.0.1:7357' }, remoteAddress: '127.0.0.1' });
        expect(local.statusCode, url).toBe(200);
        expect(local.body, url).toContain('content=""');
        expect(local.body, url).not.toContain(TOKEN);
      }
    } finally {
      await guarded.close();
    }
    expect(readSettings([], {}).trustLocal).toBe(true);
    expect(() => readSettings([], { SOCKET_LAB_TRUST_LOCAL: 'maybe' })).toThrow(/SOCKET_LAB_TRUST_LOCAL/);
  });

  it('knows loopback addresses', () => {
    for (const a of ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1']) expect(isLoopbackAddress(a), a).toBe(true);
    for (const a of ['192.0.2.7', '::ffff:10.0.0.1', 'fe80::1', '', undefined]) expect(isLoopbackAddress(a), String(a)).toBe(false);
  });

  it('accepts the Host a browser sends on port 80, which leaves the port out', () => {
    expect(allowedHostsFor('127.0.0.1', 80).has('localhost')).toBe(true);
    expect(allowedHostsFor('127.0.0.1', 7357).has('localhost')).toBe(false);
  });
});
