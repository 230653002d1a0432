import { test } from '@playwright/test';
import { openLesson, runAndWait } from './support.js';

/**
 * The README's screenshot, taken from a real run. Only when asked for:
 * `SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts`.
 */
test('README screenshot of the handshake view', async ({ page }) => {
  test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh the README screenshot');
  await page.setViewportSize({ width: 1400, height: 1000 });
  await openLesson(page, 'en');
  await runAndWait(page);
  await page.locator('svg.ladder [data-flags="SYN, ACK"]').first().click();
  await page.locator('[data-field="tcp.flags"]').click();
  await page.locator('.run-view').scrollIntoViewIfNeeded();
  await page.screenshot({ path: 'e2e/screenshots/handshake.png' });
});
