import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { E2E_TOKEN } from '../playwright.config';
import { openLesson, runAndWait } from './support.js';

test('the recordings list: an import at the top, a re-import noticed, a filter, a way back to the lesson', async ({ page }) => {
  await openLesson(page, 'zh-CN');
  await runAndWait(page);
  const run = new URL(page.url()).searchParams.get('rec')!;
  const experiments: { id: string; title: Record<string, string> }[] = await (await page.request.get('/api/experiments')).json();
  const handshake = experiments.find((e) => e.id === 'handshake')!.title['zh-CN']!;

  await page.goto('/recordings');
  // A capture made long ago, imported now: at the top.
  await page.getByLabel(/Choose a file to import|选择要导入的文件/).setInputFiles('server/decode/fixtures/handshake-ipv6.pcap');
  await expect(page.getByRole('link', { name: /Open it|打开/ })).toBeVisible();
  const rows = page.locator('.table-wrap tbody tr');
  await expect(rows.first()).toContainText('handshake-ipv6.pcap');

  // The run's own trace, exported and imported again: the same run, and the page says so.
  const exported = await (await page.request.get(`/api/recordings/${run}`)).body();
  await page.getByLabel(/Choose a file to import|选择要导入的文件/).setInputFiles({ name: 'again.json', mimeType: 'application/json', buffer: exported });
  await expect(page.getByText(/同一次运行/)).toBeVisible();
  await expect(rows.first()).toContainText('与此记录相同');
  await expect(rows.first().locator('small a')).toHaveAttribute('href', `/recordings/${run}`);
  // Its title is the experiment's, in the page's language.
  await expect(page.locator(`tr[data-id="${run}"] td`).first()).toHaveText(new RegExp(`^${handshake}`));

  // Only the handshake's runs.
  const before = await rows.count();
  await page.getByLabel('实验').selectOption('handshake');
  await expect(rows).not.toHaveCount(before);
  for (const row of await rows.all()) await expect(row.locator('td').nth(1)).toHaveText(handshake);
  expect((await new AxeBuilder({ page }).analyze()).violations.map((v) => v.id)).toEqual([]);

  // Back to the lesson that made it, showing that run.
  await page.locator(`tr[data-id="${run}"]`).locator('a[href^="/lessons/"]').click();
  await expect(page).toHaveURL(new RegExp(`/lessons/02-tcp-handshake\\?rec=${run}`));
  await expect(page.locator('svg.ladder [data-flags="SYN"]').first()).toBeVisible();
});

test('a recording that holds less than its run says so in the list and on its page, in both languages', async ({ page }) => {
  const auth = { authorization: `Bearer ${E2E_TOKEN}` };
  const ran = await page.request.post('/api/runs', { headers: auth, data: { experiment: 'handshake' } });
  const { trace } = await ran.json();
  const cut = { ...trace, events: trace.events.slice(0, 8), incomplete: { code: 'RECORDING_INTERRUPTED', message: 'The lab stopped while this recording was being written.' } };
  const imported = await page.request.post('/api/recordings', { headers: auth, data: cut });
  expect(imported.status()).toBe(201);
  const { recordingId } = await imported.json();

  await openLesson(page, 'en');
  await page.goto('/recordings');
  const row = page.locator(`tr[data-id="${recordingId}"]`);
  await expect(row.locator('[data-saved="incomplete"]')).toContainText('incomplete');
  await expect(row.locator('[data-saved="incomplete"]')).toContainText('The lab stopped while this recording was being written');
  await expect(page.locator(`tr[data-id="${trace.id}"] [data-saved]`)).toHaveCount(0);

  await row.getByRole('link', { name: /handshake/i }).first().click();
  await expect(page.getByRole('status').filter({ hasText: 'Incomplete: The lab stopped while this recording was being written' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('status').filter({ hasText: '不完整：写入这条运行记录时实验室停止了' })).toBeVisible();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
});
