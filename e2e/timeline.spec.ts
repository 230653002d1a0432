import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLesson, runAndWait } from './support.js';

/** The timeline's rows (options of its listbox). */
const rows = (page: Page) => page.getByRole('listbox', { name: /Timeline of the run|运行的时间线/ }).getByRole('option');

async function axeViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('the handshake shows its views as tabs; the timeline by program follows the selected step', async ({ page }) => {
  await openLesson(page, 'en');
  await runAndWait(page);

  const tabs = page.getByRole('tab');
  await expect(tabs).toHaveText(['Ladder', 'Timeline by program']);
  await expect(tabs.first()).toHaveAttribute('aria-selected', 'true');
  await page.getByRole('tab', { name: 'Timeline by program' }).click();
  await expect(page.locator('svg.ladder')).toHaveCount(0);

  // Lanes: the client, the wire, the server.
  await expect(page.locator('.tl-head .lane-title')).toHaveText(['Client', 'On the wire', 'Server']);
  const rec = new URL(page.url()).searchParams.get('rec');
  const trace = await (await page.request.get(`/api/recordings/${rec}`)).json();
  const count = trace.events.length as number;
  await expect(page.getByRole('listbox', { name: /Timeline of the run/ })).toHaveAttribute('aria-label', new RegExp(`${count} steps`));
  // Every drawn row says how many there are in all: the list is virtual, not cut.
  await expect(rows(page).first()).toHaveAttribute('aria-setsize', String(count));

  // Clicking the SYN selects its step: the URL, the inspector and the row agree.
  // The first packet row, pinned by its step (a virtual list may redraw its rows on a click).
  const step = (trace.events as { kind: string }[]).findIndex((e) => e.kind === 'wire') + 1;
  const synRow = page.locator(`[role="option"][data-step="${step}"]`);
  // From the first step, the SYN's row is drawn (the list draws the rows near what is in view).
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  await synRow.click();
  await expect(page).toHaveURL(new RegExp(`[?&]step=${step}(&|$)`));
  await expect(synRow).toHaveAttribute('aria-selected', 'true');
  await expect(synRow).toHaveAccessibleName(new RegExp(`^Step ${step}, .*SYN from Client to Server`));
  await expect(page.locator('[data-field="tcp.flags.syn"] .value')).toHaveText('set');

  // ↓ with focus in the timeline moves one step and keeps focus on the selected row.
  await page.keyboard.press('ArrowDown');
  await expect(page).toHaveURL(new RegExp(`[?&]step=${step + 1}(&|$)`));
  await expect(page.locator(`[role="option"][data-step="${step + 1}"]`)).toBeFocused();
  // → (the page's step key) works there too.
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(new RegExp(`[?&]step=${step + 2}(&|$)`));
  // End selects the last step and brings it into view.
  await page.keyboard.press('End');
  const last = page.locator(`[role="option"][data-step="${count}"]`);
  await expect(last).toHaveAttribute('aria-selected', 'true');
  await expect(last).toBeInViewport();

  // The choice of view is remembered for the experiment.
  await page.reload();
  await expect(page.getByRole('tab', { name: 'Timeline by program' })).toHaveAttribute('aria-selected', 'true');
  await expect(rows(page).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Ladder' }).click();
  await expect(page.locator('svg.ladder [data-flags]').first()).toBeVisible();
});

test('tabs move with the arrow keys, not the steps', async ({ page }) => {
  await openLesson(page, 'en');
  await runAndWait(page);
  const before = new URL(page.url()).searchParams.get('step');
  await page.getByRole('tab', { name: 'Ladder' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Timeline by program' })).toBeFocused();
  await expect(page.getByRole('tab', { name: 'Timeline by program' })).toHaveAttribute('aria-selected', 'true');
  expect(new URL(page.url()).searchParams.get('step')).toBe(before);
});

for (const lang of ['en', 'zh-CN'] as const) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`the timeline has no accessibility violations (${lang}, ${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await openLesson(page, lang);
      await runAndWait(page);
      await page.getByRole('tab').nth(1).click();
      await page.locator('[role="option"][data-kind="packet"]').first().click();
      expect(await axeViolations(page)).toEqual([]);
    });
  }
}

test('at 390 px the timeline scrolls inside its box, not the page', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await openLesson(page, 'en');
  await runAndWait(page);
  await page.getByRole('tab', { name: 'Timeline by program' }).click();
  await expect(rows(page).first()).toBeVisible();
  // The box stays within the screen; what is wider scrolls inside it.
  const box = await page.locator('.tl-box').boundingBox();
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  const inner = await page.locator('.tl-box').evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
  expect(inner.scroll).toBeGreaterThanOrEqual(inner.client);
  // The three lane headings are all reachable (squeezed or scrolled sideways as a whole).
  await expect(page.locator('.tl-head .lane-title')).toHaveCount(3);
  expect(await axeViolations(page)).toEqual([]);
});

test('an imported capture gets the ladder and the timeline by connection', async ({ page }) => {
  await page.goto('/recordings');
  await page.getByLabel('Choose a file to import').setInputFiles('server/decode/fixtures/udp-ipv4.pcap');
  await page.getByRole('link', { name: /Open it|打开/ }).click();
  await expect(page.getByRole('tab')).toHaveText(['Ladder', 'Timeline by connection']);
  await page.getByRole('tab', { name: 'Timeline by connection' }).click();
  await expect(page.locator('.tl-head .lane-title')).toHaveCount(1);
  await expect(page.locator('.tl-head .lane-title')).toHaveText(/^UDP /);
  await expect(page.locator('[role="option"][data-protocol="udp"]')).toHaveCount(2);
  expect(await axeViolations(page)).toEqual([]);
});
