import { test, expect } from '@playwright/test';
import { NO_CAPTURE_PORT } from '../playwright.config.js';
import { LESSON } from './support.js';

test.use({ baseURL: `http://127.0.0.1:${NO_CAPTURE_PORT}` });

test('without capture the page says so, names the fix, and still shows the socket events', async ({ page }) => {
  const health = await (await page.request.get('/api/health')).json();
  expect(health.capture).toMatchObject({ available: false, method: 'none' });
  await page.goto(LESSON);
  const banner = page.getByRole('region', { name: /capture|抓包/i });
  await expect(banner).toBeVisible();
  if (health.capture.fix) await expect(banner).toContainText(health.capture.fix);

  await page.getByRole('button', { name: /^(▶\s*)?(Run|运行)$/ }).click();
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
  // No packets, but the programs' own calls are there: connect, the write of "hello", the read.
  await expect(page.locator('svg.ladder [data-flags]')).toHaveCount(0);
  await expect(page.locator('svg.ladder [data-op="write"]').first()).toBeVisible();
  await expect(page.locator('svg.ladder [data-op="read"]').first()).toBeVisible();
});
