/**
 * The trace JSON export streams at every size the store keeps: a recording bigger than a trace
 * JSON import takes (MAX_JSON_EVENTS) is served whole, read here as it arrives over a real
 * socket, event by event, without holding the body.
 */
import { JSONParser } from '@streamparser/json';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.js';
import { importCapture, MAX_JSON_EVENTS } from '../../recordings/import.js';
import { seqOf, syntheticPcap } from '../../pcap/synthetic-capture.js';

const TOKEN = 'test-token-0123456789';
const PACKETS = MAX_JSON_EVENTS + 2_000;

let app: FastifyInstance;
let dataDir: string;
let port: number;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-export-'));
  app = await buildApp({ token: TOKEN, host: '127.0.0.1', port: 0, dataDir, capture: { available: false, method: 'none', reason: 'off for this test' } });
  await app.listen({ host: '127.0.0.1', port: 0 });
  port = (app.server.address() as { port: number }).port;
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

/** GET `path` on the app; the body is handed to `onChunk` as it arrives. */
function stream(path: string, onChunk: (chunk: Buffer) => void): Promise<{ status: number; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}` } }, (res) => {
      res.on('data', onChunk);
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the trace JSON export', () => {
  it(`serves a recording of ${PACKETS.toLocaleString('en')} events whole, as a stream`, { timeout: 180_000 }, async () => {
    const meta = await importCapture(app.recordings, syntheticPcap(PACKETS), 'big');
    expect(meta.eventCount).toBe(PACKETS);

    const parser = new JSONParser({ paths: ['$.id', '$.events.*'], keepStack: false });
    let id: unknown;
    let events = 0;
    let inOrder = true;
    parser.onValue = ({ value, key }) => {
      if (key === 'id') id = value;
      else {
        const e = value as { seq: number; decoded: { summary: { seq: number } } };
        if (e.seq !== events || e.decoded.summary.seq !== seqOf(events)) inOrder = false;
        events++;
      }
    };
    let bytes = 0;
    const reply = await stream(`/api/recordings/${meta.id}`, (chunk) => {
      bytes += chunk.length;
      parser.write(chunk);
    });
    expect(reply.status).toBe(200);
    expect(reply.type).toMatch(/^application\/json/);
    expect(id).toBe(meta.id);
    expect(events).toBe(PACKETS);
    expect(inOrder).toBe(true);
    expect(bytes).toBeGreaterThan(PACKETS * 100);
  });
});
