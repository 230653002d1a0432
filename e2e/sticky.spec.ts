import { test, expect, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const LESSON = '/lessons/04-sticky-packets';

async function openSticky(page: Page): Promise<void> {
  await page.goto(LESSON);
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('en');
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
}

/** Presses a preset, then Run, and waits for the finished recording's byte stream. */
async function runPreset(page: Page, label: string): Promise<void> {
  await page.getByRole('group', { name: 'Try:' }).getByRole('button', { name: label }).click();
  const before = new URL(page.url()).searchParams.get('rec');
  await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).first().click();
  await expect(async () => {
    const rec = new URL(page.url()).searchParams.get('rec');
    expect(rec !== null && rec !== before).toBe(true);
  }).toPass({ timeout: 30_000 });
  await expect(page.locator('.stream .verdict')).toBeVisible();
}

/** The line (from 1) of the experiment's program file that holds `code`. */
function lineOf(file: string, code: string): number {
  return readFileSync(`server/experiments/sticky/programs/${file}`, 'utf8').split('\n').findIndex((l) => l.includes(code)) + 1;
}

/** The message numbers coloured in a row's bar, in order. */
async function messagesOf(page: Page, lane: string, n: number): Promise<string[]> {
  const row = page.locator(`.stream .row[data-lane="${lane}"]`).nth(n);
  return row.locator('.piece').evaluateAll((els) => els.map((el) => el.getAttribute('data-message') ?? ''));
}

test('a preset shows the bytes coloured by message in four lanes, with the verdict', async ({ page }) => {
  await openSticky(page);
  await runPreset(page, 'The server reads late → one read holds all');
  await expect(page.locator('.stream .verdict')).toContainText('sent 5 messages in 5 writes');
  await expect(page.locator('.stream .verdict')).toContainText('1 read: boundaries lost');
  await expect(page.locator('.stream .row[data-lane="writes"]')).toHaveCount(5);
  await expect(page.locator('.stream .row[data-lane="reads"]')).toHaveCount(1);
  // Each write is one message's colour; the one read holds all five, marked as merged.
  for (let i = 0; i < 5; i++) expect(await messagesOf(page, 'writes', i)).toEqual([String(i + 1)]);
  expect(await messagesOf(page, 'reads', 0)).toEqual(['1', '2', '3', '4', '5']);
  await expect(page.locator('.stream .row[data-lane="reads"]')).toHaveAttribute('data-merged', 'yes');
  const colours = await page
    .locator('.stream .row[data-lane="reads"] .piece')
    .evaluateAll((els) => els.map((el) => getComputedStyle(el).backgroundColor));
  expect(new Set(colours).size).toBe(5);
  // Selecting the read outlines its bytes in every write.
  await page.locator('.stream .row[data-lane="reads"]').click();
  await expect(page.locator('.stream .row.linked[data-lane="writes"]')).toHaveCount(5);
  // The program pane lights the line behind the selected row: sendall for a write, recv for a read.
  const pane = page.locator('section.programs');
  await page.locator('.stream .row[data-lane="writes"]').nth(1).click();
  await expect(pane.getByRole('status')).toHaveText(`Line ${lineOf('client.py', 'sk.sendall(frame(message))')} of client.py made this call.`);
  await page.locator('.stream .row[data-lane="reads"]').click();
  await expect(pane.getByRole('status')).toHaveText(`Line ${lineOf('server.py', 'data = conn.recv(RECV_SIZE)')} of server.py made this call.`);
  // A segment opens the packet inspector.
  await page.locator('.stream .row[data-lane="wire"]').first().click();
  await expect(page.getByRole('heading', { name: /Packet|packet/ }).first()).toBeVisible();
});

test('with a length prefix the server rebuilds 5 of 5 messages', async ({ page }) => {
  await openSticky(page);
  await runPreset(page, 'A length prefix fixes it');
  await expect(page.locator('.stream .verdict')).toContainText('5 of 5 messages rebuilt exactly');
  await expect(page.locator('.stream .row[data-lane="messages"][data-exact="yes"]')).toHaveCount(5);
  // The length prefix is hatched framing, in the message's own colour.
  await expect(page.locator('.stream .row[data-lane="writes"]').first().locator('.piece.framing')).toHaveCount(1);
});

test('a recording opened from the list replays the same lanes', async ({ page }) => {
  await openSticky(page);
  await runPreset(page, 'recv(1024) on a 3000-byte message');
  const rec = new URL(page.url()).searchParams.get('rec')!;
  const reads = await page.locator('.stream .row[data-lane="reads"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-bytes')));
  expect(reads).toEqual(['1024', '1024', '952']);
  await page.goto('/recordings');
  await page.locator(`a[href="/recordings/${rec}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/recordings/${rec}`));
  await expect(page.getByRole('tab', { name: 'Bytes by message' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.stream .verdict')).toContainText('sent 1 message in 1 write');
  const replayed = await page.locator('.stream .row[data-lane="reads"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-bytes')));
  expect(replayed).toEqual(reads);
  // Stepping through the replay selects each row in turn.
  await page.keyboard.press('End');
  await expect(page.locator('.stream .row.selected')).toHaveCount(1);
});

test('a ready comparison from the lesson runs both sides and states the differences', async ({ page }) => {
  await openSticky(page);
  await page.getByRole('link', { name: 'no framing vs length prefix' }).click();
  await expect(page).toHaveURL(/\/compare\?a=[\w-]+&b=[\w-]+/, { timeout: 30_000 });
  await expect(page.getByRole('heading', { name: 'Two runs compared' })).toBeVisible();
  await expect(page.getByTestId('differences')).toContainText('verdict: boundaries lost vs all rebuilt');
  await expect(page.getByTestId('differences')).toContainText('rebuilt exactly: 0 vs 5');
  await expect(page.locator('[data-side="a"] .stream .verdict')).toContainText('boundaries lost');
  await expect(page.locator('[data-side="b"] .stream .verdict')).toContainText('5 of 5 messages rebuilt exactly');
});

test('two runs chosen in the recordings list open side by side', async ({ page }) => {
  await openSticky(page);
  await runPreset(page, 'recv(1024) on a 3000-byte message');
  const a = new URL(page.url()).searchParams.get('rec')!;
  await runPreset(page, 'Cork the writes → one segment');
  const b = new URL(page.url()).searchParams.get('rec')!;
  await page.goto('/recordings');
  const row = (id: string) => page.locator(`tr[data-id="${id}"]`);
  await row(a).getByRole('checkbox', { name: /^Compare / }).check();
  await expect(page.locator('.compare-bar')).toContainText('Choose one more.');
  await row(b).getByRole('checkbox', { name: /^Compare / }).check();
  await page.getByTestId('compare-chosen').click();
  await expect(page).toHaveURL(new RegExp(`/compare\\?a=${a}&b=${b}`));
  await expect(page.locator('[data-side="a"] .stream .verdict')).toContainText('sent 1 message in 1 write');
  await expect(page.locator('[data-side="b"] .stream .verdict')).toBeVisible();
  await expect(page.getByTestId('differences')).toContainText('reads: 3 vs 1');
});

test('the pcapng exported from a Chinese page says what each packet is, in Chinese', async ({ page }) => {
  await openSticky(page);
  await runPreset(page, 'Cork the writes → one segment');
  const rec = new URL(page.url()).searchParams.get('rec')!;
  await page.goto(`/recordings/${rec}`);
  await page.getByRole('combobox', { name: /Language|语言/ }).selectOption('zh-CN');
  const link = page.locator(`a[href="/api/recordings/${rec}/pcapng?lang=zh-CN"]`);
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const path = await download.path();
  const bytes = readFileSync(path);
  expect(bytes.includes(Buffer.from('客户端字节流的第 1 个报文段：第 1–19 字节（共 19 字节）；消息 1–5 粘在同一个报文段里'))).toBe(true);
  expect(bytes.includes(Buffer.from('SYN：客户端请求建立连接'))).toBe(true);
  if (existsSync('/usr/bin/tshark')) {
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8' });
    expect(out).toContain('消息 1–5 粘在同一个报文段里');
  }
});
