import { defineConfig } from '@playwright/test';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The e2e server: the built app, a throw-away data folder, a known token. */
const PORT = Number(process.env.E2E_PORT ?? 17357);
export const E2E_TOKEN = 'e2e-token-0123456789abcdef';
const dataDir = process.env.E2E_DATA ?? mkdtempSync(join(tmpdir(), 'socket-lab-e2e-'));
process.env.E2E_DATA = dataDir;
/** A second server with capture turned off, as on a machine without tcpdump. */
export const NO_CAPTURE_PORT = PORT + 1;
/** A third server with the test-only experiments and lessons (server/test-experiments/). */
export const TOY_PORT = PORT + 2;

export default defineConfig({
  testDir: 'e2e',
  timeout: 60_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    },
    viewport: { width: 1280, height: 900 },
    trace: 'off',
  },
  webServer: [
    {
      command: 'node dist/server/main.js',
      url: `http://127.0.0.1:${PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { PORT: String(PORT), HOST: '127.0.0.1', SOCKET_LAB_TOKEN: E2E_TOKEN, SOCKET_LAB_DATA: dataDir },
    },
    {
      command: 'node dist/server/main.js',
      url: `http://127.0.0.1:${NO_CAPTURE_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(NO_CAPTURE_PORT),
        HOST: '127.0.0.1',
        SOCKET_LAB_TOKEN: E2E_TOKEN,
        SOCKET_LAB_DATA: join(dataDir, 'no-capture'),
        SOCKET_LAB_CAPTURE: 'none',
      },
    },
    {
      command: 'node dist/server/main.js',
      url: `http://127.0.0.1:${TOY_PORT}/api/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: {
        PORT: String(TOY_PORT),
        HOST: '127.0.0.1',
        SOCKET_LAB_TOKEN: E2E_TOKEN,
        SOCKET_LAB_DATA: join(dataDir, 'toy'),
        SOCKET_LAB_EXPERIMENTS: 'dist/server/test-experiments',
        SOCKET_LAB_LESSONS: 'server/test-experiments/lessons',
      },
    },
  ],
});
