import { test, expect, type Page } from '@playwright/test';
import { DATA_BYTES, syntheticCapture } from './synthetic-capture.js';

/** The ladder's drawn rows (arrows and markers). */
const drawnRows = (page: Page) => page.locator('svg.ladder [data-step]');
const row = (page: Page, step: number) => page.locator(`svg.ladder [data-step="${step}"]`);
/** The run's panel at the top of the window, as a student working with it has it. */
async function runToTop(page: Page): Promise<void> {
  // A click on the page (not on a control) so the step keys go to it; then the run at the top.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.locator('.run-view').evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

test('a 3,000-packet capture steps through the ladder: each step drawn, in view, with its own numbers', async ({ page }) => {
  const exchanges = 1497;
  const total = 3 + 2 * exchanges + 3;
  await page.goto('/recordings');
  await page.getByLabel('Choose a file to import').setInputFiles({
    name: 'long-conversation.pcap',
    mimeType: 'application/vnd.tcpdump.pcap',
    buffer: Buffer.from(syntheticCapture(exchanges)),
  });
  await page.getByRole('link', { name: /Open it|打开/ }).click();
  await expect(drawnRows(page).first()).toBeVisible();
  await runToTop(page);
  await page.keyboard.press('Home');
  await expect(row(page, 1)).toBeInViewport();
  await expect(row(page, 1)).toHaveAttribute('data-flags', 'SYN');
  await expect(row(page, 2)).toHaveAttribute('data-flags', 'SYN, ACK');

  // Only the rows near the view are in the page.
  expect(await drawnRows(page).count()).toBeLessThanOrEqual(300);

  // End: the last step, drawn and in view.
  await page.keyboard.press('End');
  await expect(page).toHaveURL(new RegExp(`[?&]step=${total}(&|$)`));
  await expect(row(page, total)).toBeInViewport();
  await expect(row(page, total)).toHaveAttribute('aria-pressed', 'true');
  await expect(row(page, 1)).toHaveCount(0);
  expect(await drawnRows(page).count()).toBeLessThanOrEqual(300);

  // A step in the middle by its URL: the server's ACK of exchange 748, numbers relative to the ISNs.
  const url = new URL(page.url());
  url.searchParams.set('step', '1501');
  await page.goto(url.toString());
  await expect(drawnRows(page).first()).toBeVisible();
  await runToTop(page);
  const middle = row(page, 1501);
  await expect(middle).toBeInViewport();
  await expect(middle).toHaveAttribute('aria-pressed', 'true');
  await expect(middle).toHaveAccessibleName(new RegExp(`seq 1, ack ${1 + DATA_BYTES * 749}, len 0`));
  await expect(page.locator('[data-field="tcp.ack"] .value')).toContainText(`${1 + DATA_BYTES * 749}`);

  // → five times: each step follows, drawn and in view; the client's data segment has its own seq.
  for (let i = 1; i <= 5; i++) {
    await page.keyboard.press('ArrowRight');
    await expect(page).toHaveURL(new RegExp(`[?&]step=${1501 + i}(&|$)`));
    await expect(row(page, 1501 + i)).toBeInViewport();
  }
  await expect(row(page, 1506)).toHaveAccessibleName(new RegExp(`seq ${1 + DATA_BYTES * 751}, ack 1, len ${DATA_BYTES}`));

  // Scrolling the ladder's box to the top draws the handshake again; a click selects a row there.
  await page.locator('.ladder-box').evaluate((el) => (el.scrollTop = 0));
  await expect(row(page, 3)).toBeInViewport();
  await row(page, 3).click();
  await expect(page).toHaveURL(/[?&]step=3(&|$)/);
  await expect(row(page, 3)).toHaveAttribute('aria-pressed', 'true');
  expect(await drawnRows(page).count()).toBeLessThanOrEqual(300);

  // Home from far away.
  await page.keyboard.press('End');
  await expect(row(page, total)).toBeInViewport();
  await page.keyboard.press('Home');
  await expect(row(page, 1)).toBeInViewport();
});
