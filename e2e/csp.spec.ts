import { expect, test } from '@playwright/test';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LESSON, openLesson, runAndWait } from './support';

/**
 * The page works whole under its Content-Security-Policy (nothing it needs is refused), and no
 * other page can frame it.
 */
test('the page runs a lesson with nothing refused by its Content-Security-Policy', async ({ page }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const refused: string[] = [];
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) refused.push(message.text());
  });
  await openLesson(page, 'zh-CN');
  await runAndWait(page);
  await page.locator('svg.ladder [data-flags]').first().click();
  await page.keyboard.press('ArrowRight');
  await page.goto('/recordings');
  await expect(page.locator('#app')).not.toBeEmpty();
  const violations = await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  expect(violations).toEqual([]);
  expect(refused).toEqual([]);
});

test('another page cannot frame the lab', async ({ page, baseURL }) => {
  const lab = `${baseURL}${LESSON}`;
  // A page of another origin on this machine tries to frame it.
  const hostile = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.end(`<iframe src="${lab}" width="800" height="600"></iframe>`);
  });
  await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(`http://127.0.0.1:${(hostile.address() as AddressInfo).port}/`);
    const frame = await (await page.locator('iframe').elementHandle())?.contentFrame();
    expect(frame).toBeTruthy();
    await frame!.waitForLoadState('load');
    // Refused: the frame holds the browser's error page, not the lab.
    expect(frame!.url()).not.toBe(lab);
    expect(await frame!.locator('#app').count()).toBe(0);
  } finally {
    hostile.close();
  }
});
