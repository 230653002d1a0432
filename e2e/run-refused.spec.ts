import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, OwnServer } from './own-server.js';

/** The form's Run button. */
const RUN = /^(▶\s*)?(Run|运行)$/;

let server: OwnServer;

test.beforeEach(async () => {
  server = new OwnServer(await freePort(), mkdtempSync(join(tmpdir(), 'socket-lab-refused-')));
  await server.start();
});

test.afterEach(async () => {
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
});

for (const lang of ['en', 'zh-CN'] as const) {
  test(`a Run whose hello the server refuses (the lab restarted with a new token): the page says so and keeps its run (${lang})`, async ({ page }) => {
    await page.goto(`${server.url}/lessons/02-tcp-handshake`);
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption(lang);
    await page.locator('form').getByRole('button', { name: RUN }).click();
    await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
    const syn = page.locator('svg.ladder [data-flags="SYN"]').first();
    await syn.click();
    const shownUrl = page.url();
    const arrows = await page.locator('svg.ladder [data-flags]').count();
    expect(arrows).toBeGreaterThan(0);

    // The lab starts again with another token: the page still holds the old one.
    await server.stop();
    await server.start({ SOCKET_LAB_TOKEN: 'another-token-9876543210' });

    await page.locator('form').getByRole('button', { name: RUN }).click();
    const refused = lang === 'en' ? /did not accept this page’s control token/ : /服务器不接受此页面的控制令牌/;
    await expect(page.locator('form').getByText(refused)).toBeVisible();
    // Nothing shown is lost: the same recording, its arrows, the packet selected.
    expect(page.url()).toBe(shownUrl);
    await expect(page.locator('svg.ladder [data-flags]')).toHaveCount(arrows);
    await expect(syn).toHaveAttribute('aria-pressed', 'true');
    // No run started: the data folder holds only the first recording.
    const list = (await (await page.request.get(`${server.url}/api/recordings`)).json()) as unknown[];
    expect(list).toHaveLength(1);
  });
}

test('a page served without the token (SOCKET_LAB_TRUST_LOCAL=no) cannot press Run and says why, in its language', async ({ page }) => {
  await server.stop();
  await server.start({ SOCKET_LAB_TRUST_LOCAL: 'no' });
  await page.goto(`${server.url}/lessons/02-tcp-handshake`);
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('zh-CN');
  await expect(page.getByText('此页面为只读')).toBeVisible();
  // No Run to press, no parameter to change; the lesson itself is all there.
  await expect(page.locator('form').getByRole('button', { name: RUN })).toHaveCount(0);
  const fields = page.locator('form').locator('input, select');
  await expect(fields.first()).toBeVisible();
  for (const field of await fields.all()) await expect(field).toBeDisabled();
});
