/**
 * Three guards every request passes:
 * - Host must be one of ours (`127.0.0.1:PORT`, `localhost:PORT`, `[::1]:PORT`, the configured
 *   host, extras) — a page on another site cannot reach us through DNS rebinding.
 * - Origin, when a browser sends one, must be exactly one of ours — no cross-site WebSocket
 *   hijacking and no cross-site writes. Browsers always send Origin on WebSocket upgrades;
 *   clients that send none (scripts, the CLI) are checked by the token alone.
 * - Anything that starts sockets or writes data needs the control token (`requireToken`).
 * No CORS headers are ever sent, so other origins cannot read responses.
 *
 * The host a request is judged by is its one Host header (two or more: 400, RFC 9112 §3.2), or
 * the URI's own host when the request line carries an absolute URI (RFC 9112 §3.2.2). A
 * WebSocket upgrade is answered only on the lab's WebSocket path (`WS_PATH`).
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

export interface SecurityOptions {
  token: string;
  /** The configured listen host and port (port 0 means: whatever the server got). */
  host: string;
  port: number;
  extraHosts?: string[];
  extraOrigins?: string[];
  /** The lab's classroom-network addresses: allowed with the lab's (bound) port. */
  lanAddresses?: string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Hook that answers 401 unless the request carries the control token. Use it as the route's
     * `onRequest`, so a request without the token is refused before its body is read. */
    requireToken: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
    /** True when `candidate` is the control token (constant time). */
    checkToken: (candidate: string | undefined) => boolean;
    /** True when an Origin header value is allowed (absent counts as allowed). */
    originAllowed: (origin: string | undefined) => boolean;
  }
}

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** The one path that answers a WebSocket upgrade. */
export const WS_PATH = '/ws';

/**
 * The host a request names, lowercased: the absolute URI's `host[:port]` when the request line
 * has one, else the Host header. `null` when it names none unambiguously (no Host, several Host
 * headers, or an absolute URI that is not http).
 */
export function requestHost(rawUrl: string, rawHeaders: readonly string[]): string | null {
  let hosts = 0;
  let header = '';
  for (let i = 0; i < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'host') {
      hosts++;
      header = rawHeaders[i + 1] ?? '';
    }
  }
  if (hosts > 1) return null;
  if (rawUrl.startsWith('/') || rawUrl === '*') return hosts === 1 ? header.toLowerCase() : null;
  let uri: URL;
  try {
    uri = new URL(rawUrl);
  } catch {
    return null;
  }
  if (uri.protocol !== 'http:') return null;
  // URL drops the port when it is the scheme's default, as a browser's Host header does.
  return uri.host.toLowerCase();
}

function pathOf(rawUrl: string): string {
  const path = rawUrl.startsWith('/') ? rawUrl : URL.canParse(rawUrl) ? new URL(rawUrl).pathname : rawUrl;
  const query = path.indexOf('?');
  return query < 0 ? path : path.slice(0, query);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function allowedHostsFor(host: string, port: number, extra: string[] = [], lan: readonly string[] = []): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  if (!WILDCARD_HOSTS.has(host)) names.push(host.includes(':') ? `[${host}]` : host);
  for (const address of lan) names.push(address.includes(':') ? `[${address}]` : address);
  const hosts = new Set(names.map((name) => `${name}:${port}`.toLowerCase()));
  // Browsers leave the default port out of Host and Origin.
  if (port === 80) for (const name of names) hosts.add(name.toLowerCase());
  for (const h of extra) hosts.add(h.toLowerCase());
  return hosts;
}

export default fp(
  async function security(app: FastifyInstance, opts: SecurityOptions) {
    const expected = digest(opts.token);
    const boundPort = () => {
      const address = app.server.address();
      return typeof address === 'object' && address && opts.port === 0 ? address.port : opts.port;
    };
    let cache: { port: number; hosts: Set<string>; origins: Set<string> } | undefined;
    const allowed = () => {
      const port = boundPort();
      if (!cache || cache.port !== port) {
        const hosts = allowedHostsFor(opts.host, port, opts.extraHosts, opts.lanAddresses);
        const origins = new Set([...hosts].map((h) => `http://${h}`));
        for (const o of opts.extraOrigins ?? []) origins.add(o.toLowerCase());
        cache = { port, hosts, origins };
      }
      return cache;
    };

    app.decorate('checkToken', (candidate: string | undefined) => {
      if (!candidate) return false;
      return timingSafeEqual(digest(candidate), expected);
    });
    app.decorate('originAllowed', (origin: string | undefined) => {
      return origin === undefined || allowed().origins.has(origin.toLowerCase());
    });
    app.decorate('requireToken', async (request: FastifyRequest, reply: FastifyReply) => {
      const header = request.headers.authorization ?? '';
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!app.checkToken(match?.[1])) {
        await reply.code(401).send({
          error: { code: 'TOKEN_REQUIRED', message: 'This needs the control token: send "Authorization: Bearer <token>" (printed when the lab starts).' },
        });
      }
    });

    app.addHook('onRequest', async (request, reply) => {
      const host = requestHost(request.raw.url ?? '/', request.raw.rawHeaders);
      if (host === null) {
        return reply.code(400).send({
          error: { code: 'HOST_INVALID', message: 'A request names exactly one host: one Host header, or an absolute http URI.' },
        });
      }
      if (!allowed().hosts.has(host)) {
        return reply.code(403).send({ error: { code: 'HOST_FORBIDDEN', message: `Host "${host}" is not allowed.` } });
      }
      const origin = request.headers.origin;
      if (!app.originAllowed(origin)) {
        return reply.code(403).send({ error: { code: 'ORIGIN_FORBIDDEN', message: `Origin "${origin}" is not allowed.` } });
      }
      if (request.headers.upgrade && pathOf(request.raw.url ?? '/') !== WS_PATH) {
        return reply.code(404).send({ error: { code: 'NOT_FOUND', message: `Only ${WS_PATH} answers a WebSocket upgrade.` } });
      }
    });

    // A refused WebSocket upgrade has no HTTP parser behind it to close the connection: do it here.
    app.addHook('onResponse', async (request) => {
      if (request.headers.upgrade) request.raw.socket.destroy();
    });
  },
  { name: 'security' },
);
