import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, OwnServer } from './own-server.js';

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
