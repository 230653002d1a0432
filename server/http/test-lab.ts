/**
 * A lab server for one test file: built as `main.ts` builds it, listening on 127.0.0.1 at a
 * port the system picks, with a data folder of its own that is removed after the file's tests.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type AppOptions } from '../app.js';
import { probeCapture } from '../capture/probe.js';

export interface TestLab {
  app: FastifyInstance;
  port: number;
  /** `127.0.0.1:PORT`, as a Host header or in a URL. */
  host: string;
  dataDir: string;
}

/**
 * Registers the server's start (`beforeAll`) and its end (`afterAll`); the returned object is
 * filled in when it has started. Capture is probed as the lab does unless `options` says.
 */
export function useTestLab(name: string, token: string, options: Partial<AppOptions> = {}): TestLab {
  const lab = {} as TestLab;
  beforeAll(async () => {
    lab.dataDir = await mkdtemp(join(tmpdir(), `socket-lab-${name}-`));
    lab.app = await buildApp({
      token,
      host: '127.0.0.1',
      port: 0,
      dataDir: lab.dataDir,
      capture: options.capture ?? (await probeCapture()),
      ...options,
    });
    await lab.app.listen({ host: '127.0.0.1', port: 0 });
    lab.port = (lab.app.server.address() as { port: number }).port;
    lab.host = `127.0.0.1:${lab.port}`;
  });
  afterAll(async () => {
    await lab.app?.close();
    if (lab.dataDir) await rm(lab.dataDir, { recursive: true, force: true });
  });
  return lab;
}
