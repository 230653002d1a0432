/**
 * Presenter mode, for a projector: at 1920×1080 and at 150% zoom (the same screen with the
 * browser zoomed: 1280×720 CSS pixels at a device scale of 1.5). Only the run's timeline and
 * the inspector, side by side, the full width; type large enough to read from the back of a
 * room. The screenshots are kept in e2e/screenshots/ to be looked at.
 */
import { test, expect, type Page } from '@playwright/test';
import { openLesson, runAndWait } from './support.js';

async function present(page: Page): Promise<void> {
  await openLesson(page, 'en');
  await runAndWait(page);
  await page.getByRole('button', { name: 'Start a room' }).click();
  await page.getByRole('button', { name: 'Code and QR' }).click();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  const syn = page.locator('.tl-box [data-kind="packet"]').first();
  await page.getByRole('button', { name: 'Presenter mode' }).click();
  await expect(page.locator('html')).toHaveClass(/presenting/);
  await syn.click();
  await page.locator('[data-field="tcp.seq"]').click();
}

for (const { name, viewport, deviceScaleFactor } of [
  { name: 'presenter-1920x1080', viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 },
  { name: 'presenter-150pct', viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1.5 },
]) {
  test(`presenter mode: ${name}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport, deviceScaleFactor });
    const page = await context.newPage();
    await present(page);
    // Only the run: no lesson text, no settings form, no header.
    await expect(page.locator('.lesson-text')).toBeHidden();
    await expect(page.locator('.experiment')).toBeHidden();
    await expect(page.locator('.site-header')).toBeHidden();
    // The timeline and the inspector side by side, together the full width.
    const timeline = (await page.locator('.run-view').boundingBox())!;
    const inspector = (await page.locator('.inspector-box').boundingBox())!;
    expect(inspector.x).toBeGreaterThan(timeline.x + timeline.width - 1);
    expect(inspector.x + inspector.width - timeline.x).toBeGreaterThan(viewport.width * 0.9);
    // Large type: the run's smallest text at least 16 screen pixels (11–12 outside presenter mode).
    const smallest = await page.locator('.run-grid').evaluate((root) => {
      let min = Infinity;
      for (const el of root.querySelectorAll<HTMLElement>('*')) {
        if (![...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim())) continue;
        if (el.getClientRects().length === 0) continue;
        const zoom = (el as HTMLElement & { currentCSSZoom?: number }).currentCSSZoom ?? 1;
        min = Math.min(min, parseFloat(getComputedStyle(el).fontSize) * zoom * devicePixelRatio);
      }
      return min;
    });
    expect(smallest).toBeGreaterThanOrEqual(16);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: `e2e/screenshots/${name}.png` });
    await context.close();
  });
}
