import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLesson } from './support.js';

/** The sizes the page is made for: a phone, a tablet, a laptop, a desktop. */
const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'tablet', width: 768, height: 1024 },
  { name: 'laptop', width: 1366, height: 900 },
  { name: 'desktop', width: 1920, height: 1080 },
] as const;

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Whether the element lies within the screen's width (not cut at its right edge). */
async function withinWidth(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.left >= 0 && r.right <= window.innerWidth + 0.5;
  });
}

for (const size of SIZES) {
  for (const lang of ['en', 'zh-CN'] as const) {
    test(`${size.name} ${size.width}×${size.height} (${lang}): Run in reach, the SYN in view after Run, the diagram whole`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      // English in the light theme, Chinese in the dark one: both themes at every size.
      await page.emulateMedia({ colorScheme: lang === 'en' ? 'light' : 'dark' });
      await openLesson(page, lang);
      // Nothing wider than the screen: no sideways scrolling of the page.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
      // Header buttons keep their words on one line.
      for (const button of await page.locator('header .tools .btn').all()) {
        const lines = await button.evaluate((el) => Math.round(el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight || '20')));
        expect(lines).toBeLessThanOrEqual(2);
        expect(await button.evaluate((el) => getComputedStyle(el).whiteSpace)).toBe('nowrap');
      }

      const runButton = page.getByRole('button', { name: /^(▶\s*)?(Run|运行)$/ });
      if (!(await runButton.evaluate((el) => el.getBoundingClientRect().top < window.innerHeight))) {
        // One column: one tap on the bar that stays at the bottom brings the Run form up.
        await page.getByRole('navigation', { name: /Jump to|跳转到/ }).getByRole('button', { name: /Go to Run|去运行/ }).click();
      }
      await expect(runButton).toBeInViewport();
      expect(await axeViolations(page)).toEqual([]);

      await runButton.click();
      await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
      // After Run: replayed from step 1, the SYN on screen.
      const syn = page.locator('svg.ladder [data-flags="SYN"]').first();
      await expect(syn).toBeInViewport();
      await expect(page.getByRole('button', { name: /Skip to the end|跳到最后/ })).toBeVisible();
      // Both lanes' headings and the server's side of the diagram fit the screen.
      expect(await withinWidth(page, '.ladder-box')).toBe(true);
      const box = await page.locator('.ladder-box').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(box.scroll).toBeLessThanOrEqual(box.client + 1);
      expect(await withinWidth(page, '.lane-heads h3:last-child')).toBe(true);
      await page.screenshot({ path: test.info().outputPath(`${size.name}-${lang}.png`) });

      // A run is always a tap away: "Run again" at the top of the run.
      await expect(page.getByRole('button', { name: /Run again|再运行一次/ })).toBeInViewport();
      await syn.click();
      expect(await axeViolations(page)).toEqual([]);
    });
  }
}

for (const size of SIZES) {
  test(`${size.name} ${size.width}×${size.height}: every other page fits and passes the accessibility scan, light and dark`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await page.goto('/recordings');
    await page.getByLabel('Choose a file to import').setInputFiles('server/decode/fixtures/handshake-ipv6.pcap');
    await page.getByRole('link', { name: 'Open it' }).click();
    await expect(page.locator('svg.ladder [data-flags="SYN"]').first()).toBeVisible();
    const recording = page.url();
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      for (const path of ['/', '/recordings', new URL(recording).pathname, '/foo/bar']) {
        await page.goto(path);
        await expect(page.locator('h1')).toBeVisible();
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(size.width);
        expect(await axeViolations(page), `${path} (${scheme})`).toEqual([]);
      }
    }
    await page.goto('/foo/bar');
    await expect(page.locator('h1')).toHaveText('Page not found');
  });
}
