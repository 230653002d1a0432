/**
 * The Socket Lab server as one Fastify plugin tree: security guards, shared services, the
 * HTTP API, the WebSocket and the page. `main.ts` listens; tests build the same app and use
 * `inject`.
 */
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import websocket from '@fastify/websocket';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { CaptureInfo } from './contract/trace.js';
import headers from './http/headers.js';
import security from './http/security.js';
import services from './services.js';
import rooms from './rooms/rooms.js';
import { publicUrl } from './config.js';
import { installErrorHandler } from './http/errors.js';
import infoRoutes from './http/routes/info.js';
import runRoutes from './http/routes/runs.js';
import recordingRoutes from './http/routes/recordings.js';
import wsRoute from './http/ws/route.js';
import type { ViewerLimits } from './http/ws/stream.js';
import webRoutes, { pageSender } from './http/web.js';
import { lessonsDir, webDistDir } from './paths.js';

export interface AppOptions {
  token: string;
  host: string;
  port: number;
  dataDir: string;
  extraHosts?: string[];
  extraOrigins?: string[];
  /**
   * The lab's addresses on the classroom network (`--lan`): allowed as Host and Origin with the
   * lab's port, and the addresses a room's join link and QR code name. Empty: loopback only.
   */
  lanAddresses?: string[];
  lessonsDir?: string;
  /** Folders of experiments (default: the lab's own). */
  experimentsDirs?: readonly string[];
  webDir?: string;
  capture?: CaptureInfo;
  logger?: FastifyServerOptions['logger'];
  /** Whether a browser on this machine gets the token in the page (default true). */
  trustLocal?: boolean;
  /**
   * How far a page watching its live run may fall behind before it is sent a `gap` and cut off
   * (the run goes on and is saved whole). Default VIEWER_LIMITS (`http/ws/stream.ts`).
   */
  viewerLimits?: ViewerLimits;
}

/** Largest WebSocket message a client may send. */
export const WS_MAX_PAYLOAD = 64 * 1024;
/** When the lab stops, how long a WebSocket client has to answer the close before it is cut off. */
export const WS_CLOSE_GRACE_MS = 1000;

/**
 * Closes every WebSocket client (1001, going away) and cuts off those that have not answered
 * within WS_CLOSE_GRACE_MS — a client that stopped reading never answers, and would otherwise
 * hold the server open for the `ws` library's 30 s close timeout.
 */
async function closeWebSockets(this: FastifyInstance): Promise<void> {
  const clients = [...this.websocketServer.clients];
  const closed = clients.map((client) => new Promise((resolve) => client.once('close', resolve)));
  for (const client of clients) client.close(1001, 'The lab is stopping.');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, WS_CLOSE_GRACE_MS)))]);
  clearTimeout(timer);
  for (const client of clients) client.terminate();
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger ?? false,
    // Requests must name one of our hosts; trustProxy stays off.
    bodyLimit: 1024 * 1024,
    // On close, runs are saved and answered first (services' preClose); then any connection
    // still open (a download to a client that stopped reading) is cut, so stopping never hangs.
    forceCloseConnections: true,
    // Unknown fields are refused, not silently dropped; a value of the wrong type is refused,
    // not converted (`["text"]` is not the string "text"), as over the WebSocket.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  const web = { webDir: opts.webDir ?? webDistDir, token: opts.token, trustLocal: opts.trustLocal ?? true };
  const page = pageSender(web);
  installErrorHandler(app, page);
  await app.register(headers);
  await app.register(security, {
    token: opts.token,
    host: opts.host,
    port: opts.port,
    extraHosts: opts.extraHosts ?? [],
    extraOrigins: opts.extraOrigins ?? [],
    lanAddresses: opts.lanAddresses ?? [],
  });
  await app.register(services, {
    dataDir: opts.dataDir,
    lessonsDir: opts.lessonsDir ?? lessonsDir,
    ...(opts.experimentsDirs ? { experimentsDirs: opts.experimentsDirs } : {}),
    ...(opts.capture ? { capture: opts.capture } : {}),
  });
  await app.register(rooms, {
    lanAddresses: opts.lanAddresses ?? [],
    localUrl: () => {
      const address = app.server.address();
      return publicUrl(opts.host, typeof address === 'object' && address ? address.port : opts.port);
    },
  });
  await app.register(websocket, {
    options: { maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false },
    preClose: function (done) {
      closeWebSockets.call(this).then(() => done(), done);
    },
  });
  await app.register(infoRoutes);
  await app.register(runRoutes);
  await app.register(recordingRoutes);
  await app.register(wsRoute, opts.viewerLimits ? { viewerLimits: opts.viewerLimits } : {});
  await app.register(webRoutes, { ...web, page });
  return app;
}
