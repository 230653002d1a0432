import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';

test('import a real capture, replay it step by step, then delete it', async ({ page }) => {
  await page.goto('/recordings');
  await page.getByLabel('Choose a file to import').setInputFiles('server/decode/fixtures/handshake-ipv6.pcap');
  const imported = page.getByRole('link', { name: /Open it|打开/ });
  await expect(imported).toBeVisible();
  await imported.click();
  await expect(page).toHaveURL(/\/recordings\/[\w-]+/);

  // The ladder is drawn from the file's own packets: the IPv6 handshake.
  const arrows = page.locator('svg.ladder [data-flags]');
  await expect
    .poll(async () => (await arrows.evaluateAll((els) => els.map((el) => el.getAttribute('data-flags')))).slice(0, 3))
    .toEqual(['SYN', 'SYN, ACK', 'ACK']);
  await page.locator('svg.ladder [data-flags="SYN"]').first().click();
  await expect(page.locator('[data-field="ipv6.src"]')).toHaveCount(1);

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  const id = page.url().split('/recordings/')[1]!.split('?')[0]!;
  await page.goto('/recordings');
  const row = page.getByRole('row').filter({ has: page.locator(`a[href="/recordings/${id}"]`) });
  await expect(row).toContainText('handshake-ipv6.pcap');
  await row.getByRole('button', { name: /Delete/ }).click();
  await page.getByRole('dialog').getByRole('button', { name: /Delete/ }).click();
  await expect(page.locator(`a[href="/recordings/${id}"]`)).toHaveCount(0);
  expect((await page.request.get(`/api/recordings/${id}`)).status()).toBe(404);
});

test('a file that is not a capture gets a clear error and nothing is added', async ({ page }) => {
  await page.goto('/recordings');
  const before = (await (await page.request.get('/api/recordings')).json()).length;
  await page.getByLabel('Choose a file to import').setInputFiles({
    name: 'broken.pcap',
    mimeType: 'application/vnd.tcpdump.pcap',
    buffer: Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), randomBytes(200)]),
  });
  await expect(page.getByText(/Import failed/)).toBeVisible();
  expect((await (await page.request.get('/api/recordings')).json()).length).toBe(before);
});
