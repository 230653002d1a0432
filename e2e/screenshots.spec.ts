import { test } from '@playwright/test';
import { openLesson, runAndWait } from './support.js';

/**
 * The README's screenshot, taken from a real run. Only when asked for:
 * `SCREENSHOTS=1 npx playwright test e2e/screenshots.spec.ts`.
 */
test('README screenshot of the handshake view', async ({ page }) => {
  test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh the README screenshot');
  await page.setViewportSize({ width: 1440, height: 1000 });
  await openLesson(page, 'en');
  await runAndWait(page);
  await page.locator('svg.ladder [data-flags="SYN, ACK"]').first().click();
  await page.locator('[data-field="tcp.flags"]').click();
  // Show the ladder from its top: the handshake and the selected segment.
  await page.locator('.run-view').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'e2e/screenshots/handshake.png' });
  // The packet inspector with the flags field selected and its byte lit in the hex pane.
  await page.setViewportSize({ width: 1440, height: 1500 });
  await page.locator('[data-field="tcp.flags"]').scrollIntoViewIfNeeded();
  await page.locator('.inspector').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'e2e/screenshots/inspector.png', clip: { x: 585, y: 0, width: 855, height: 1250 } });
});

test('README screenshot of the programs beside the timeline', async ({ page }) => {
  test.skip(!process.env.SCREENSHOTS, 'set SCREENSHOTS=1 to refresh the README screenshot');
  await page.setViewportSize({ width: 1600, height: 1000 });
  await openLesson(page, 'en');
  await runAndWait(page);
  // The recording's own page has the width for the programs beside the run.
  const rec = new URL(page.url()).searchParams.get('rec');
  await page.goto(`/recordings/${rec}`);
  await page.getByRole('tab', { name: /Timeline/ }).click();
  // The client's first write: its sendall() lit in client.py.
  await page.locator('.tl-inner [data-kind="write"]').first().click();
  await page.locator('.run-view').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path: 'e2e/screenshots/programs.png' });
});
