import { test, expect, type Page } from '@playwright/test';
import { openLesson, runAndWait } from './support.js';

/** The text of the line lit in a program's code view (the line the selected step comes from). */
async function litLine(page: Page, file: string): Promise<string> {
  return (await page.locator(`[data-program="${file}"] .cm-step-line`).textContent()) ?? '';
}

/** Steps forward (at most `limit` times) until the lit line of `file` contains `text`. */
async function stepUntil(page: Page, file: string, text: string, limit = 40): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if ((await page.locator(`[data-program="${file}"] .cm-step-line`).count()) > 0 && (await litLine(page, file)).includes(text)) return;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`${file} never reached "${text}"`);
}

interface AppEvent {
  kind: string;
  actor?: string;
  op?: string;
  data?: string;
}

async function clientWrites(page: Page): Promise<string[]> {
  const rec = new URL(page.url()).searchParams.get('rec');
  const trace = (await (await page.request.get(`/api/recordings/${rec}`)).json()) as { events: AppEvent[] };
  return trace.events
    .filter((e) => e.kind === 'app' && e.actor === 'client' && e.op === 'write')
    .map((e) => Buffer.from(e.data ?? '', 'base64').toString());
}

/** Runs, and waits until the URL names the new run's recording (during a run it names none). */
async function runNewRecording(page: Page): Promise<void> {
  const before = new URL(page.url()).searchParams.get('rec');
  await runAndWait(page);
  await expect
    .poll(() => {
      const rec = new URL(page.url()).searchParams.get('rec');
      return rec !== null && rec !== before;
    }, { timeout: 30_000 })
    .toBe(true);
}

test('the Python programs step with the run: connect, sendall, recv; the kernel sends the SYN-ACK', async ({ page }) => {
  await openLesson(page, 'en');
  const pane = page.locator('section.programs');
  await expect(pane.getByRole('combobox', { name: 'Programs in' })).toHaveValue('python');
  await expect(pane.locator('[data-program="client.py"] .cm-content')).toContainText('sk.connect((HOST, PORT))');
  await runAndWait(page);

  await page.locator('svg.ladder [data-flags="SYN"]').first().click();
  await expect(pane.locator('.here')).toHaveText('Sent because of client.py, line 15');
  expect(await litLine(page, 'client.py')).toContain('sk.connect((HOST, PORT))');

  await page.locator('svg.ladder [data-flags="SYN, ACK"]').first().click();
  await expect(pane.locator('.here')).toHaveText(/The kernel sent this packet on its own/);
  await expect(pane.locator('.cm-step-line')).toHaveCount(0);

  await page.locator('svg.ladder [data-flags="PSH, ACK"]').first().click();
  expect(await litLine(page, 'client.py')).toContain('sk.sendall(MESSAGE.encode())');
  await stepUntil(page, 'server.py', 'conn.recv(1024)');
  // What the programs printed so far is under each one.
  await page.keyboard.press('End');
  await expect(pane.locator('[data-program="client.py"] .output')).toContainText("reply: b'HELLO'");
  // The ladder names the calls as Python does.
  const ops = page.locator('svg.ladder .marker-socket .marker-text, svg.ladder .marker-app .marker-text');
  await expect(ops.filter({ hasText: 'shutdown(SHUT_WR)' }).first()).toBeVisible();
  await expect(ops.filter({ hasText: 'sendall() ' }).first()).toBeVisible();
  await expect(ops.filter({ hasText: 'end()' })).toHaveCount(0);
});

test('an edited client runs as edited, stays after a reload, and resets to the lesson\'s version', async ({ page }) => {
  await openLesson(page, 'en');
  const client = page.locator('[data-program="client.py"]');
  await client.getByRole('button', { name: 'Edit' }).click();
  await client.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(
    ["import socket", "HOST = '127.0.0.1'", 'PORT = 9000', 'sk = socket.create_connection((HOST, PORT))', "sk.sendall(b'one')", "sk.sendall(b'two')", 'sk.close()', ''].join('\n'),
  );
  await client.getByRole('button', { name: 'Done' }).click();
  await runAndWait(page);
  expect(await clientWrites(page)).toEqual(['one', 'two']);
  await expect(client.locator('.badge')).toHaveText('edited');
  await expect(client.locator('.cm-content')).toContainText("sk.sendall(b'two')");

  await page.reload();
  await expect(client.getByRole('button', { name: /Reset to the lesson/ })).toBeVisible();
  await client.getByRole('button', { name: /Reset to the lesson/ }).click();
  await expect(client.getByRole('button', { name: /Reset to the lesson/ })).toHaveCount(0);
  await runNewRecording(page);
  expect(await clientWrites(page)).toEqual(['hello']);
});

test('the Node.js programs: switch, run, step from createConnection to write to the data listener; edit, run, reset', async ({ page }) => {
  await openLesson(page, 'en');
  const pane = page.locator('section.programs');
  await pane.getByRole('combobox', { name: 'Programs in' }).selectOption('node');
  const client = page.locator('[data-program="client.js"]');
  await expect(client.locator('.cm-content')).toContainText('net.createConnection({ host: HOST, port: PORT, allowHalfOpen: true })');
  await runAndWait(page);

  await page.locator('svg.ladder [data-flags="SYN"]').first().click();
  await expect(pane.locator('.here')).toHaveText('Sent because of client.js, line 12');
  expect(await litLine(page, 'client.js')).toContain('net.createConnection(');
  await page.locator('svg.ladder [data-flags="PSH, ACK"]').first().click();
  expect(await litLine(page, 'client.js')).toContain('sk.write(MESSAGE);');
  await stepUntil(page, 'server.js', "conn.once('data'");
  await page.keyboard.press('End');
  await expect(client.locator('.output')).toContainText('reply: HELLO');
  const ops = page.locator('svg.ladder .marker-socket .marker-text, svg.ladder .marker-app .marker-text');
  await expect(ops.filter({ hasText: 'end()' }).first()).toBeVisible();
  await expect(ops.filter({ hasText: 'write() ' }).first()).toBeVisible();
  await expect(ops.filter({ hasText: 'shutdown(' })).toHaveCount(0);

  // Edited: two writes, kept after a reload, then reset (and the language stays Node.js).
  await client.getByRole('button', { name: 'Edit' }).click();
  await client.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.insertText(
    ["const net = require('node:net');", "const HOST = '127.0.0.1';", 'const PORT = 9000;', 'const sk = net.createConnection({ host: HOST, port: PORT }, () => {', "  sk.write('one');", "  setTimeout(() => sk.end('two'), 50);", '});', ''].join('\n'),
  );
  await client.getByRole('button', { name: 'Done' }).click();
  await runNewRecording(page);
  expect(await clientWrites(page)).toEqual(['one', 'two']);
  await page.reload();
  await expect(pane.getByRole('combobox', { name: 'Programs in' })).toHaveValue('node');
  await client.getByRole('button', { name: /Reset to the lesson/ }).click();
  await expect(client.getByRole('button', { name: /Reset to the lesson/ })).toHaveCount(0);
  await runNewRecording(page);
  expect(await clientWrites(page)).toEqual(['hello']);
  await expect(client.locator('.cm-content')).toContainText('sk.write(MESSAGE);');
});
