import { test, expect } from '@playwright/test';
import { LESSON, openLesson, runAndWait } from './support.js';

test('a step the run does not have is said, not silently replaced; a link carries its language and step', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLesson(page, 'en');
  await runAndWait(page);
  const rec = new URL(page.url()).searchParams.get('rec');
  const total = (await (await page.request.get(`/api/recordings/${rec}`)).json()).events.length as number;

  await page.goto(`${LESSON}?rec=${rec}&step=9999`);
  await expect(page.getByRole('status').filter({ hasText: `This run has no step 9999: it has steps 1 to ${total}. Showing step ${total}.` })).toBeVisible();
  await page.goto(`${LESSON}?rec=${rec}&step=0`);
  await expect(page.getByText(`This run has no step 0: it has steps 1 to ${total}. Showing step 1.`)).toBeVisible();
  await expect(page.getByText(`Step 1 / ${total}`)).toBeVisible();

  // "Copy link": this step, in this language.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await page.getByRole('button', { name: 'Copy link to this step' }).click();
  await expect(page.getByText('Link copied.')).toBeVisible();
  const link = new URL(await page.evaluate(() => navigator.clipboard.readText()));
  expect(link.searchParams.get('step')).toBe('2');
  expect(link.searchParams.get('lang')).toBe('en');

  // A link naming Chinese opens in Chinese, whatever this browser chose before.
  link.searchParams.set('lang', 'zh-CN');
  await page.goto(link.toString());
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByText(`第 2 步 / 共 ${total} 步`)).toBeVisible();
});

test('answers survive a reload; a step link before any run says so where it can be seen', async ({ page }) => {
  await openLesson(page, 'en');
  // A step link before any run: the message is on screen.
  await page.locator('a.step-link').first().click();
  const message = page.locator('.step-message');
  await expect(message).toHaveText(/Run/);
  await expect(message).toBeInViewport();

  const question = page.locator('.predict').first();
  const choice = question.getByRole('radio').nth(1);
  await choice.check();
  await page.reload();
  await expect(page.locator('.predict').first().getByRole('radio').nth(1)).toBeChecked();
});

test('a parameter that does not apply is disabled and says when it would, in both languages', async ({ page }) => {
  await openLesson(page, 'en');
  const pause = page.getByLabel('Pause before the peer closes (ms)');
  await expect(pause).toBeDisabled();
  await expect(page.locator('#param-pauseMs-help')).toHaveText(
    'Applies only when “How it closes” is “Graceful; the peer waits, then closes”.',
  );
  await page.getByLabel('How it closes').selectOption('end-after-pause');
  await expect(pause).toBeEnabled();
  await expect(page.locator('#param-pauseMs-help')).toContainText('When the peer waits');

  // A closed port: nothing to send or close, so those fields wait for a listening server.
  await page.getByLabel('Connect to').selectOption('closed-port');
  await expect(page.getByLabel('Message the client sends')).toBeDisabled();
  await expect(pause).toBeDisabled();
  await expect(page.locator('#param-pauseMs-help')).toHaveText('Applies only when “Connect to” is “A listening server”.');

  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.locator('#param-message-help')).toHaveText('仅当“连接目标”为“正在监听的服务器”时适用。');
});

test('a packet of a run still going shows its fields: the live stream sends it without them, the page asks for them', async ({ page }) => {
  await openLesson(page, 'en');
  await page.getByLabel('How it closes').selectOption('end-after-pause');
  await page.getByLabel('Pause before the peer closes (ms)').fill('2000');
  const decoded = page.waitForResponse((r) => r.url().endsWith('/api/decode') && r.status() === 200);
  await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).first().click();
  const syn = page.locator('[data-flags="SYN"]').first();
  await expect(syn).toBeVisible({ timeout: 15_000 });
  // Still live: no recording named yet.
  expect(new URL(page.url()).searchParams.get('rec')).toBeNull();
  await syn.click();
  await decoded;
  await expect(page.locator('[data-field="tcp.seq"]')).toBeVisible();
  await expect(page.locator('[data-field="tcp.options.mss"]').first()).toBeVisible();
  expect(new URL(page.url()).searchParams.get('rec')).toBeNull();
  await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
});
