/**
 * The three guards on every route the app has, read from the app itself (a route added later is
 * checked without anyone listing it): a foreign Host and a foreign Origin are refused before the
 * route runs, and every route that starts sockets or writes data refuses a request without the
 * control token. The allow-list settings (extra hosts and origins) let exactly what they name in.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, HTTPMethods } from 'fastify';
import { buildApp } from '../app.js';

const TOKEN = 'guards-token-0123456789';
const PORT = 7357;
const HOST = `127.0.0.1:${PORT}`;
const EXTRA_HOST = 'lab.example:8443';
const EXTRA_ORIGIN = 'https://lab.example:8443';

let app: FastifyInstance;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-guards-'));
  app = await buildApp({
    token: TOKEN,
    host: '127.0.0.1',
    port: PORT,
    dataDir,
    extraHosts: [EXTRA_HOST],
    extraOrigins: [EXTRA_ORIGIN],
    capture: { available: false, method: 'none', reason: 'off for this test' },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Route {
  method: HTTPMethods;
  url: string;
}

/** Every route of the app, from fastify's own tree (`printRoutes`), parameters filled in. */
function routesOf(server: FastifyInstance): Route[] {
  const routes: Route[] = [];
  const stack: string[] = [];
  for (const line of server.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)[└├]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    const parent = stack[depth - 1] ?? '';
    const path = depth === 0 ? m[2]! : parent === '/' ? `/${m[2]}` : `${parent}${m[2]}`;
    stack[depth] = path;
    stack.length = depth + 1;
    for (const method of m[3]!.split(', ')) {
      if (method !== 'HEAD') routes.push({ method: method as HTTPMethods, url: path.replace(':lang', 'python').replace(/:\w+/g, 'guard-test-id') });
    }
  }
  return routes;
}

/** Routes that start sockets or write data. */
const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Posts that start nothing and write nothing: a packet's bytes in, its fields out. */
const READS_BY_POST = new Set(['POST /api/decode']);
const writes = (method: string, url: string) => WRITES.has(method) && !READS_BY_POST.has(`${method} ${url}`);

describe('guards on every route', () => {
  it('reads the routes from the app: the API, the page and the WebSocket path', () => {
    const urls = routesOf(app).map((r) => `${r.method} ${r.url}`);
    for (const known of ['GET /', 'GET /api/health', 'GET /api/lessons', 'GET /api/lessons/guard-test-id', 'GET /api/experiments', 'POST /api/runs', 'POST /api/recordings', 'DELETE /api/recordings/guard-test-id', 'GET /api/recordings/guard-test-id/pcapng', 'GET /ws']) {
      expect(urls).toContain(known);
    }
  });

  it('refuses a foreign Host on every route with 403 HOST_FORBIDDEN, before the route runs', async () => {
    for (const { method, url } of routesOf(app)) {
      for (const host of ['evil.example', `evil.example:${PORT}`, `127.0.0.1:${PORT + 1}`, 'lab.example:8444']) {
        const res = await app.inject({ method, url, headers: { host, authorization: `Bearer ${TOKEN}` }, payload: WRITES.has(method) ? {} : undefined });
        expect(res.statusCode, `${method} ${url} Host ${host}`).toBe(403);
        expect(res.json().error.code).toBe('HOST_FORBIDDEN');
      }
    }
  });

  it('refuses a foreign Origin on every route with 403 ORIGIN_FORBIDDEN, even with the token', async () => {
    for (const { method, url } of routesOf(app)) {
      for (const origin of ['http://evil.example', 'https://lab.example:8444', `http://${HOST}.evil.example`, 'null']) {
        const res = await app.inject({ method, url, headers: { host: HOST, origin, authorization: `Bearer ${TOKEN}` }, payload: WRITES.has(method) ? {} : undefined });
        expect(res.statusCode, `${method} ${url} Origin ${origin}`).toBe(403);
        expect(res.json().error.code).toBe('ORIGIN_FORBIDDEN');
      }
    }
  });

  it('refuses every writing route without the token, or with a wrong one, with 401 TOKEN_REQUIRED; reading routes need none', async () => {
    const routes = routesOf(app);
    expect(routes.filter((r) => writes(r.method, r.url)).length).toBeGreaterThanOrEqual(3);
    expect(routes.map((r) => `${r.method} ${r.url}`)).toEqual(expect.arrayContaining([...READS_BY_POST]));
    for (const { method, url } of routes) {
      for (const authorization of [undefined, 'Bearer wrong-token-0123456789', TOKEN, `Basic ${TOKEN}`]) {
        const res = await app.inject({
          method,
          url,
          headers: { host: HOST, ...(authorization ? { authorization } : {}) },
          payload: WRITES.has(method) ? {} : undefined,
        });
        if (writes(method, url)) {
          expect(res.statusCode, `${method} ${url} ${authorization}`).toBe(401);
          expect(res.json().error.code).toBe('TOKEN_REQUIRED');
        } else {
          expect([401, 403], `${method} ${url}`).not.toContain(res.statusCode);
        }
      }
    }
  });

  it('lets in the extra host and origin the settings name, and nothing close to them', async () => {
    const ok = await app.inject({ url: '/api/health', headers: { host: EXTRA_HOST, origin: EXTRA_ORIGIN } });
    expect(ok.statusCode).toBe(200);
    const upper = await app.inject({ url: '/api/health', headers: { host: EXTRA_HOST.toUpperCase(), origin: EXTRA_ORIGIN.toUpperCase() } });
    expect(upper.statusCode).toBe(200);
    // An allowed host is an allowed http origin too (`http://lab.example:8443`); near misses are not.
    for (const origin of ['https://lab.example', 'https://lab.example:8443/', 'https://lab.example:8443.evil.example', 'http://lab.example']) {
      const res = await app.inject({ url: '/api/health', headers: { host: EXTRA_HOST, origin } });
      expect(res.statusCode, origin).toBe(403);
    }
    expect((await app.inject({ url: '/api/health', headers: { host: 'lab.example' } })).statusCode).toBe(403);
  });

  it('a writing route with the token and a foreign-free request gets past the guards to its own checks', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/runs', headers: { host: HOST, authorization: `Bearer ${TOKEN}` }, payload: { experiment: 'handshake', params: { ipVersion: 5 } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('PARAMS_INVALID');
  });
});
