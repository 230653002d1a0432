/**
 * Serves the built page from `dist/web`. `index.html` gets the control token embedded (the
 * page reads it from `<meta name="socket-lab-token">`) and is the answer to any page route
 * (`/`, `/index.html`, `/lessons/02-tcp-handshake`, `/recordings/…`, `/compare`), so every step has a URL;
 * the template itself is never served. Assets go out as their brotli or gzip copy (made at
 * build) when the browser accepts it; those under `assets/` have a content hash in their name
 * and are cached for good, anything else is checked again each time.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';

const TOKEN_PLACEHOLDER = '__SOCKET_LAB_TOKEN__';

/** Cache-Control of the files Vite names by content hash. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Cache-Control of every other file: kept, but checked again before use. */
export const REVALIDATE = 'no-cache';

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.toLowerCase().replace(/^::ffff:/, '');
  return plain === '::1' || /^127\.\d+\.\d+\.\d+$/.test(plain);
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export interface WebOptions {
  webDir: string;
  token: string;
  /** false: no browser gets the token in the page, not even one on this machine. */
  trustLocal: boolean;
}

/** Sends the page (the built `index.html`, with the token for a browser on this machine). */
export type PageSender = (request: FastifyRequest, reply: FastifyReply) => FastifyReply;

/** The page's sender; null when the page is not built. */
export function pageSender(opts: WebOptions): PageSender | null {
  const indexPath = join(opts.webDir, 'index.html');
  if (!existsSync(indexPath)) return null;
  // Read again when a new build replaced it, so a rebuilt page never points at stale assets.
  let cached = { mtimeMs: -1, withToken: '', readOnly: '' };
  const indexHtml = (withToken: boolean) => {
    const { mtimeMs } = statSync(indexPath);
    if (mtimeMs !== cached.mtimeMs) {
      const html = readFileSync(indexPath, 'utf8');
      cached = {
        mtimeMs,
        withToken: html.replace(TOKEN_PLACEHOLDER, () => escapeAttribute(opts.token)),
        readOnly: html.replace(TOKEN_PLACEHOLDER, ''),
      };
    }
    return withToken ? cached.withToken : cached.readOnly;
  };
  // Only a browser on this machine gets the token (unless trustLocal is off); one reaching a
  // shared lab over the network sees everything but cannot start runs or change recordings.
  // The page is never stored: it holds the token, and a new start makes a new one.
  return (request: FastifyRequest, reply: FastifyReply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'no-store')
      .send(indexHtml(opts.trustLocal && isLoopbackAddress(request.socket.remoteAddress)));
}

export default async function webRoutes(app: FastifyInstance, opts: WebOptions & { page?: PageSender | null }): Promise<void> {
  const sendIndex = opts.page === undefined ? pageSender(opts) : opts.page;
  if (!sendIndex) {
    app.get('/', async (_request, reply) =>
      reply.code(503).type('text/plain; charset=utf-8').send('The page is not built yet: run `npm run build`.'),
    );
    return;
  }

  // Files are looked up when asked for, so a rebuilt page is served without a restart.
  await app.register(fastifyStatic, {
    root: opts.webDir,
    index: false,
    wildcard: true,
    preCompressed: true,
    cacheControl: false,
    // The template (and any copy of it) only ever leaves through `sendIndex`.
    allowedPath: (path) => !path.startsWith('/index.html'),
    setHeaders: (reply, path) => {
      const hashed = path.startsWith(join(opts.webDir, 'assets') + '/');
      reply.header('cache-control', hashed ? IMMUTABLE : REVALIDATE);
    },
  });
  for (const path of ['/', '/index.html', '/lessons/*', '/recordings', '/recordings/*', '/compare', '/join', '/join/*']) {
    app.get(path, async (request, reply) => sendIndex(request, reply));
  }
}
