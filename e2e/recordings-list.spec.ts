import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
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
