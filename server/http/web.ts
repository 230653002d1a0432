/**
 * Serves the built page from `dist/web`. `index.html` gets the control token embedded (the
 * page reads it from `<meta name="socket-lab-token">`) and is the answer to any page route
 * (`/lessons/02-tcp-handshake`, `/recordings/…`), so every step has a URL.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';

const TOKEN_PLACEHOLDER = '__SOCKET_LAB_TOKEN__';

export interface WebOptions {
  webDir: string;
  token: string;
}

export default async function webRoutes(app: FastifyInstance, opts: WebOptions): Promise<void> {
  const indexPath = join(opts.webDir, 'index.html');
  if (!existsSync(indexPath)) {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet: run `npm run build`.'),
    );
    return;
  }
  // Read again when a new build replaced it, so a rebuilt page never points at stale assets.
  let cached = { mtimeMs: -1, html: '' };
  const indexHtml = () => {
    const { mtimeMs } = statSync(indexPath);
    if (mtimeMs !== cached.mtimeMs) {
      cached = { mtimeMs, html: readFileSync(indexPath, 'utf8').replace(TOKEN_PLACEHOLDER, opts.token) };
    }
    return cached.html;
  };
  const sendIndex = (reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(indexHtml());

  await app.register(fastifyStatic, { root: opts.webDir, index: false, wildcard: false, serve: true });
  app.get('/', async (_request, reply) => sendIndex(reply));
  app.get('/lessons/*', async (_request, reply) => sendIndex(reply));
  app.get('/recordings', async (_request, reply) => sendIndex(reply));
  app.get('/recordings/*', async (_request, reply) => sendIndex(reply));
}
