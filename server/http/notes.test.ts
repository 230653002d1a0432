import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';

const TOKEN = 'notes-token-0123456789';
const PORT = 7357;
let app: FastifyInstance;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'socket-lab-notes-'));
  app = await buildApp({
    token: TOKEN,
    host: '0.0.0.0',
    port: PORT,
    dataDir,
    lanAddresses: ['192.168.1.20'],
    capture: { available: false, method: 'none', reason: 'off for this test' },
  });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('speaker notes', () => {
  it("go to the instructor's page only (the control token), in each language, never in the lesson's text", async () => {
    for (const lang of ['en', 'zh-CN']) {
      const url = `/api/lessons/02-tcp-handshake?lang=${lang}`;
      const student = await app.inject({ url, headers: { host: '192.168.1.20:7357', origin: 'http://192.168.1.20:7357' } });
      expect(student.statusCode).toBe(200);
      expect(student.json().instructorNotes).toBeUndefined();
      expect(student.body).not.toContain('instructor');
      const teacher = await app.inject({ url, headers: { host: '127.0.0.1:7357', authorization: `Bearer ${TOKEN}` } });
      const notes = teacher.json().instructorNotes as string;
      expect(notes.length).toBeGreaterThan(100);
      expect(notes).toMatch(lang === 'en' ? /Speaker notes/ : /讲者备注/);
      const wrong = await app.inject({ url, headers: { host: '127.0.0.1:7357', authorization: 'Bearer not-the-token' } });
      expect(wrong.json().instructorNotes).toBeUndefined();
    }
  });

  it('the LAN address is an allowed Host and Origin; another address is not', async () => {
    const ok = await app.inject({ url: '/api/health', headers: { host: '192.168.1.20:7357', origin: 'http://192.168.1.20:7357' } });
    expect(ok.statusCode).toBe(200);
    const other = await app.inject({ url: '/api/health', headers: { host: '192.168.1.99:7357' } });
    expect(other.statusCode).toBe(403);
  });
});
