import { test, expect } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { NO_CAPTURE_PORT } from '../playwright.config.js';

const LESSON = '/lessons/04-sticky-packets';

test('10,000 messages: the verdict counts them all, and only the rows in view are in the page', async ({ page }) => {
  test.setTimeout(120_000);
  await page.goto(LESSON);
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('en');
  await page.getByRole('group', { name: 'Try:' }).getByRole('button', { name: '10,000 messages with a length prefix' }).click();
  await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).first().click();
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 60_000 });
  const verdict = page.locator('.stream .verdict');
  await expect(verdict).toContainText('sent 10000 messages in 10000 writes', { timeout: 30_000 });
  await expect(verdict).toContainText('10000 of 10000 messages rebuilt exactly');
  // Virtualised: a bounded number of rows, wherever the view is scrolled.
  const rows = page.locator('.stream .row');
  expect(await rows.count()).toBeLessThanOrEqual(302);
  await page.locator('.st-box').evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeLessThanOrEqual(302);
  // Stepping to the end selects the last read's row, wherever it is.
  await page.keyboard.press('End');
  await expect(page.locator('.stream .row.selected')).toHaveCount(1);
});

test('too many bytes of messages: refused before the run, in the page’s language, saying how many fit', async ({ page }) => {
  await page.goto(LESSON);
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('zh-CN');
  await page.getByLabel('生成的消息条数').fill('10000');
  await page.getByLabel('每条生成消息的大小（字节）').fill('6000');
  await page.getByRole('button', { name: /^(▶\s*)?运行$/ }).first().click();
  const alert = page.getByRole('alert').filter({ hasText: '实验参数无效' });
  await expect(alert).toContainText('一次运行最多发送 2,097,152 字节（这个大小下最多 349 条）');
  await expect(page).not.toHaveURL(/[?&]rec=/);
});

test('in Chinese, the lesson quotes the run’s verdict in Chinese words, and in English in English', async ({ page }) => {
  await page.goto(LESSON);
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('zh-CN');
  await page.getByRole('group', { name: '试试：' }).getByRole('button').first().click();
  await page.getByRole('button', { name: /^(▶\s*)?运行$/ }).first().click();
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
  const verdict = page.locator('.fact[data-fact="verdict"]');
  await expect(verdict).toHaveText('消息边界丢失');
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('en');
  await expect(verdict).toHaveText('boundaries lost');
});

test.describe('without capture', () => {
  test.use({ baseURL: `http://127.0.0.1:${NO_CAPTURE_PORT}` });

  test('the writes and reads lanes still work and the wire lane says why it is empty', async ({ page }) => {
    await page.goto(LESSON);
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('en');
    await page.getByRole('group', { name: 'Try:' }).getByRole('button', { name: 'The server reads late → one read holds all' }).click();
    await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).first().click();
    await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
    await expect(page.locator('.stream .verdict')).toContainText('sent 5 messages in 5 writes; the wire not captured; 1 read: boundaries lost');
    await expect(page.getByTestId('no-wire')).toContainText('this run captured no packets');
    await expect(page.locator('.stream .row[data-lane="writes"]')).toHaveCount(5);
    await expect(page.locator('.stream .row[data-lane="wire"]')).toHaveCount(0);
    await expect(page.locator('.stream .row[data-lane="reads"]')).toHaveCount(1);
  });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`the sticky lesson's byte stream and a comparison have no accessibility violations (${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(LESSON);
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('zh-CN');
    await page.getByRole('button', { name: /^(▶\s*)?运行$/ }).first().click();
    await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
    await page.locator('.stream .row[data-lane="reads"]').first().click();
    const violations = async () =>
      (await new AxeBuilder({ page }).analyze()).violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
    expect(await violations()).toEqual([]);
    await page.getByRole('link', { name: '不分帧与长度前缀' }).click();
    await expect(page).toHaveURL(/\/compare\?/, { timeout: 30_000 });
    await expect(page.getByTestId('differences')).toBeVisible();
    expect(await violations()).toEqual([]);
  });
}
