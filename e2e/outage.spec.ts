import { test, expect } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { E2E_TOKEN } from '../playwright.config.js';

/** A lab server of this test's own, so it can be stopped and started again on the same port. */
class OwnServer {
  #child: ChildProcess | null = null;
  constructor(
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, ['dist/server/main.js'], {
      env: { ...process.env, PORT: String(this.port), HOST: '127.0.0.1', SOCKET_LAB_TOKEN: E2E_TOKEN, SOCKET_LAB_DATA: this.dataDir },
      stdio: 'ignore',
    });
    this.#child = child;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error('the lab server did not start');
  }

  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const { port } = probe.address() as { port: number };
  await new Promise((r) => probe.close(r));
  return port;
}

let server: OwnServer;

test.beforeAll(async () => {
  server = new OwnServer(await freePort(), mkdtempSync(join(tmpdir(), 'socket-lab-outage-')));
  await server.start();
});

test.afterAll(async () => {
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
});

for (const lang of ['en', 'zh-CN'] as const) {
  test(`the server stops and comes back: the page says so, keeps its run, and recovers by itself (${lang})`, async ({ page }) => {
    const down = lang === 'en' ? /not answering/ : /没有响应/;
    await page.goto(`${server.url}/lessons/02-tcp-handshake`);
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption(lang);
    await page.getByRole('button', { name: /^(▶\s*)?(Run|运行)$/ }).click();
    await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
    const syn = page.locator('svg.ladder [data-flags="SYN"]').first();
    await syn.click();
    const shownUrl = page.url();
    const arrows = await page.locator('svg.ladder [data-flags]').count();

    // Stopped: an idle page shows it within seconds, in its language, without the browser's words.
    await server.stop();
    const banner = page.locator('[data-connection="down"]');
    await expect(banner).toBeVisible({ timeout: 10_000 });
    await expect(banner).toHaveText(down);

    // Run while it is down: nothing on screen is lost, the form says why.
    await page.getByRole('button', { name: /Run again|再运行一次/ }).click();
    await expect(page.locator('.experiment, form').getByText(lang === 'en' ? /could not be reached/ : /无法连接/).first()).toBeVisible();
    expect(page.url()).toBe(shownUrl);
    await expect(page.locator('svg.ladder [data-flags]')).toHaveCount(arrows);
    await expect(syn).toHaveAttribute('aria-pressed', 'true');

    // Off to the lessons list while down: it cannot load...
    await page.getByRole('navigation').getByRole('link', { name: /Lessons|课程/ }).click();
    await expect(page.locator('.cards')).toHaveCount(0);
    await expect(page.getByText(/Failed to fetch/)).toHaveCount(0);

    // ...and loads by itself once the server is back; the banner says so, then goes.
    await server.start();
    await expect(page.locator('[data-connection="back"]')).toBeVisible({ timeout: 10_000 });
    await expect(banner).toHaveCount(0);
    await expect(page.locator('.cards li').first()).toBeVisible();

    // Back to the lesson: the run is still there, and Run works again.
    await page.goBack();
    await expect(page).toHaveURL(shownUrl);
    await expect(page.locator('svg.ladder [data-flags]').first()).toBeVisible();
    const before = new URL(page.url()).searchParams.get('rec');
    await page.getByRole('button', { name: /^(▶\s*)?(Run|运行)$/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('rec'), { timeout: 30_000 }).not.toBe(before);
    await expect.poll(() => new URL(page.url()).searchParams.get('rec'), { timeout: 30_000 }).not.toBeNull();
  });
}
