import { test, expect } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { arrowFlags, LESSON, openLesson, runAndWait } from './support.js';
import { readCaptureFile } from '../server/pcap/read-capture.js';
import { decodeFrame } from '../server/decode/index.js';

for (const lang of ['en', 'zh-CN'] as const) {
  test(`the handshake lesson runs for real in ${lang}`, async ({ page }) => {
    await openLesson(page, lang);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(lang === 'en' ? /handshake/i : /握手/);
    await runAndWait(page);

    // What the page shows comes from the saved recording: one arrow per captured packet.
    const rec = new URL(page.url()).searchParams.get('rec');
    const trace = await (await page.request.get(`/api/recordings/${rec}`)).json();
    const wire = trace.events.filter((e: { kind: string }) => e.kind === 'wire');
    await expect.poll(async () => (await arrowFlags(page)).length).toBe(wire.length);

    // The first three arrows are the real handshake, captured from the kernel.
    const flags = await arrowFlags(page);
    expect(flags.slice(0, 3)).toEqual(['SYN', 'SYN, ACK', 'ACK']);
    expect(flags).toContain('FIN, ACK');

    // The inspector names each field as a textbook does, in the page's language.
    await page.locator('svg.ladder [data-flags="SYN"]').first().click();
    await expect(page.locator('[data-field="tcp.seq"]')).toHaveAccessibleName(lang === 'en' ? 'Sequence number' : '序号');
    await expect(page.locator('[data-field="tcp.flags.syn"] .value')).toHaveText(lang === 'en' ? 'set' : '置 1');
  });
}

test('keyboard steps, URL per step, SYN flags bytes highlighted', async ({ page }) => {
  await openLesson(page, 'en');
  await runAndWait(page);

  // Home goes to the first step; → and ← move one step and the URL follows.
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  await expect(page).toHaveURL(/[?&]step=1(&|$)/);
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(/[?&]step=2(&|$)/);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowLeft');
  await expect(page).toHaveURL(/[?&]step=2(&|$)/);

  // The step URL is addressable: loading it shows that step.
  const stepUrl = page.url();
  const syn = page.locator('svg.ladder [data-flags="SYN"]').first();
  await syn.click();
  const synStep = await syn.getAttribute('data-step');
  await expect(page).toHaveURL(new RegExp(`[?&]step=${synStep}(&|$)`));

  // Inspector: the TCP flags field, its bytes in the hex pane.
  const flagsField = page.locator('[data-field="tcp.flags"]');
  await expect(flagsField).toHaveAccessibleName('Flags');
  await flagsField.click();
  const hex = page.getByRole('grid', { name: 'Packet bytes' });
  const lit = hex.locator('.byte[data-highlighted="true"]');
  await expect(lit.first()).toBeVisible();
  const offsets = await lit.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-byte'))));
  // Ethernet 14 + IPv4 20 + 13: the flags byte of the TCP header (the field may include the byte before it).
  expect(offsets).toContain(47);
  const bytes = await lit.evaluateAll((els) => els.map((el) => el.textContent?.trim()));
  expect(bytes.at(-1)).toBe('02'); // SYN alone

  // Clicking a byte finds its field.
  await hex.locator('.byte[data-byte="38"]').click(); // inside the sequence number
  await expect(page.locator('[data-field="tcp.seq"]')).toHaveAttribute('data-highlighted', 'true');

  await page.goto(stepUrl);
  await expect(page.getByText(/Step 2 \//)).toBeVisible();

  // ? opens the help, Escape closes it.
  await page.keyboard.press('?');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('the exported pcapng is the capture, and tshark reads it', async ({ page }) => {
  await page.goto(LESSON);
  await runAndWait(page);
  const rec = new URL(page.url()).searchParams.get('rec');
  await page.goto('/recordings');
  const link = page.getByRole('link', { name: new RegExp(`pcapng`, 'i') }).first();
  await expect(link).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`a[href^="/api/recordings/${rec}/pcapng"]`).click()]);
  const path = await download.path();
  const file = readCaptureFile(new Uint8Array(readFileSync(path)));
  expect(file.format).toBe('pcapng');
  const flags = file.records.slice(0, 3).map((r) => decodeFrame(r.data, r.linktype ?? file.linktype, r.len).summary.flags?.join(','));
  expect(flags).toEqual(['SYN', 'ACK,SYN', 'ACK']);
  if (existsSync('/usr/bin/tshark')) {
    const out = execFileSync('tshark', ['-r', path, '-T', 'fields', '-e', 'tcp.flags.str'], { encoding: 'utf8' });
    expect(out.trim().split('\n').length).toBe(file.records.length);
    expect(out.split('\n')[0]).toContain('S');
  }
});

test('a question about another run is not graded by this one; it offers to run its preset', async ({ page }) => {
  await openLesson(page, 'en');
  const question = page.locator('.predict').filter({ hasText: 'What will the client\'s connect report?' });
  await expect(question).toContainText('About the run: Connect to a closed port.');
  await runAndWait(page);
  await expect(question).toContainText('This question is about another run (Connect to a closed port)');
  await expect(page.locator('.prose').filter({ hasText: 'server.py listens on loopback at' })).toHaveCount(1);
  await expect(page.locator('.prose').filter({ hasText: 'this run connected to a listening server' })).toHaveCount(1);
  await expect(page.locator('.prose').filter({ hasText: 'only client.py runs' })).toHaveCount(0);
  await expect(question).not.toContainText('Not this time.');
  // Not answered by this run, so still open: pick now, then run its own run.
  await question.getByRole('radio', { name: /ECONNREFUSED/ }).check();
  await question.getByRole('button', { name: 'Run: Connect to a closed port' }).click();
  await expect(page.getByLabel('Connect to')).toHaveValue('closed-port');
  await expect(question).toContainText('You were right.', { timeout: 30_000 });
  await expect(question).toContainText('This run says: ECONNREFUSED, at once.');

  // The text about the run follows the run: no server listened in this one.
  const prose = page.locator('.prose');
  await expect(prose.filter({ hasText: 'only client.py runs' })).toHaveCount(1);
  await expect(prose.filter({ hasText: 'server.py listens on loopback at' })).toHaveCount(0);
  await expect(prose.filter({ hasText: 'Closed port (this run: preset Connect to a closed port)' })).toHaveCount(1);
  await expect(prose.filter({ hasText: 'this run connected to a listening server' })).toHaveCount(0);
});
