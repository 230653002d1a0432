import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { execFileSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LESSON = '/lessons/05-client-auth';

interface NoteEvent {
  kind: string;
  key?: string;
  values?: Record<string, unknown>;
  data?: Record<string, unknown>;
}

/** Presses Run and waits until the finished recording is shown in the notes view. */
async function runAndWait(page: Page): Promise<NoteEvent[]> {
  const before = new URL(page.url()).searchParams.get('rec');
  await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).click();
  // The URL names no recording while the run goes on: wait for a name, and a new one.
  let rec: string | null = null;
  await expect(async () => {
    rec = new URL(page.url()).searchParams.get('rec');
    expect(rec !== null && rec !== before).toBe(true);
  }).toPass({ timeout: 30_000 });
  await expect(page.locator('ol.notes')).toBeVisible();
  const trace = (await (await page.request.get(`/api/recordings/${rec}`)).json()) as { events: NoteEvent[] };
  return trace.events.filter((e) => e.kind === 'note');
}

/** Steps forward with → (at most `limit` times) until the current note contains `text`. */
async function stepUntil(page: Page, text: string | RegExp, limit = 120): Promise<void> {
  const current = page.locator('ol.notes li[aria-current="step"]');
  for (let i = 0; i < limit; i++) {
    const shown = (await current.count()) > 0 ? ((await current.textContent()) ?? '') : '';
    if (typeof text === 'string' ? shown.includes(text) : text.test(shown)) return;
    await page.keyboard.press('ArrowRight');
  }
  throw new Error(`no step reached "${String(text)}"`);
}

test('stepping through an HMAC-MD5 login shows the inner and the outer hash of this run, as node:crypto computes them', async ({ page }) => {
  await page.goto(LESSON);
  await expect(page.getByRole('heading', { level: 1 })).toContainText(/HMAC/);
  const notes = await runAndWait(page);

  const challenge = Buffer.from(String(notes.find((n) => n.key === 'auth.challenge')!.data!.challenge), 'hex');
  expect(challenge).toHaveLength(32);
  const ipad = Buffer.alloc(64, 0x36);
  const opad = Buffer.alloc(64, 0x5c);
  Buffer.from('egg').forEach((b, i) => {
    ipad[i] = b ^ 0x36;
    opad[i] = b ^ 0x5c;
  });
  const innerHex = createHash('md5').update(ipad).update(challenge).digest('hex');
  const outerHex = createHmac('md5', 'egg').update(challenge).digest('hex');

  // The lesson's link to the packet that carried the challenge: its 32 payload bytes lit in the hex pane.
  await page.getByRole('link', { name: 'the packet that carried it' }).click();
  const lit = page.getByRole('grid', { name: 'Packet bytes' }).locator('.byte[data-highlighted="true"]');
  await expect(lit).toHaveCount(32);
  expect((await lit.allTextContents()).map((b) => b.trim()).join('').toLowerCase()).toBe(challenge.toString('hex'));

  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('Home');
  await stepUntil(page, 'the server sends a challenge of 32 random bytes');
  await stepUntil(page, `inner hash = H(key ⊕ ipad ‖ challenge) = ${innerHex}`);
  // The current step's data is open: the bytes hashed, ending with the challenge.
  const current = page.locator('ol.notes li[aria-current="step"]');
  await expect(current).toContainText(ipad.toString('hex') + challenge.toString('hex'));
  await stepUntil(page, `outer hash = H(key ⊕ opad ‖ inner hash) = ${outerHex}`);
  await expect(current).toContainText(opad.toString('hex') + innerHex);
  await stepUntil(page, 'the server compares with compare_digest: accepted');
  // Every value the client reported, computed again with node:crypto: all equal.
  await stepUntil(page, /checked with node:crypto: (\d+) of \1 values equal/);
});

test('length extension: the forged message is accepted by the md5(key + message) server, then rejected by HMAC', async ({ page }) => {
  await page.goto(LESSON);
  await page.getByRole('button', { name: 'Length extension against md5(key + message)', exact: true }).click();
  await expect(page.getByLabel('Attack')).toHaveValue('length-extension');
  let notes = await runAndWait(page);
  const list = page.locator('ol.notes');
  await expect(list).toContainText('the signing server: accepted admin');
  await expect(list).toContainText(/forge without the key, guessing a key of 3 bytes/);
  expect(notes.filter((n) => n.key === 'auth.signed.verdict').map((n) => n.values!.result)).toEqual(['rejected', 'rejected', 'accepted']);

  await page.getByRole('button', { name: 'The same forgery against HMAC', exact: true }).click();
  await expect(page.getByLabel('Signing server')).toHaveValue('hmac');
  notes = await runAndWait(page);
  await expect(list).toContainText('guessing a key of 16 bytes');
  await expect(list).not.toContainText('the signing server: accepted');
  expect(notes.filter((n) => n.key === 'auth.signed.verdict').map((n) => n.values!.result)).toEqual(Array(16).fill('rejected'));
});

for (const [lang, scheme] of [['en', 'light'], ['zh-CN', 'dark']] as const) {
  test(`the auth lesson after a run, a note's data open and a packet's payload lit, has no accessibility violations (${lang}, ${scheme})`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(LESSON);
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption(lang);
    await expect(page.locator('html')).toHaveAttribute('lang', lang);
    await page.getByRole('button', { name: /^(▶\s*)?(Run|运行)$/ }).click();
    await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
    await page.locator('ol.notes button[data-step]').filter({ hasText: /inner hash =|内层哈希 =/ }).click();
    await expect(page.locator('ol.notes li[aria-current="step"] .data')).toBeVisible();
    const notes = await new AxeBuilder({ page }).analyze();
    expect(notes.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
    await page.locator('a[href="#step:challenge.packet"]').click();
    await expect(page.locator('.byte[data-highlighted="true"]')).toHaveCount(32);
    const packet = await new AxeBuilder({ page }).analyze();
    expect(packet.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test('bring your own client: the lesson\'s python3 client, run outside the lab, appears live with its verdict; a wrong key is denied; Stop ends the listener', async ({ page }) => {
  const lesson = readFileSync('lessons/05-client-auth/en.md', 'utf8');
  const code = /```python\n(# auth_client\.py[\s\S]*?)```/.exec(lesson)![1]!;
  const dir = mkdtempSync(join(tmpdir(), 'auth-e2e-'));
  const client = join(dir, 'auth_client.py');
  writeFileSync(client, code);
  try {
    await page.goto(LESSON);
    await page.getByRole('button', { name: 'Bring your own client (HMAC-SHA256)', exact: true }).click();
    await expect(page.getByLabel('Attack')).toHaveValue('own-client');
    await page.getByRole('button', { name: /^(▶\s*)?Run$/ }).click();
    const list = page.locator('ol.notes');
    const listening = list.locator('li').filter({ hasText: /the server listens on 127\.0\.0\.1 port \d+/ });
    await expect(listening).toBeVisible({ timeout: 30_000 });
    const port = /port (\d+)/.exec((await listening.textContent()) ?? '')![1]!;

    // Run in a terminal of its own, as a student would: not a program of the lab.
    expect(execFileSync('python3', [client, port], { timeout: 20_000 }).toString().trim()).toBe('welcome');
    await expect(list).toContainText('the server compares with compare_digest: accepted');
    expect(execFileSync('python3', [client, port, 'egon'], { timeout: 20_000 }).toString().trim()).toBe('denied');
    await expect(list).toContainText('the server compares with compare_digest: rejected');

    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await expect(page).toHaveURL(/[?&]rec=[\w-]+/, { timeout: 30_000 });
    const rec = new URL(page.url()).searchParams.get('rec');
    const trace = (await (await page.request.get(`/api/recordings/${rec}`)).json()) as {
      env: { capture: { method: string; available: boolean } };
      events: { kind: string; key?: string; data?: { challenge?: string } | string; decoded?: { summary: { payloadLength: number } } }[];
    };
    // Both exchanges were captured on the host's loopback: each challenge went out in a packet.
    const challenges = trace.events.filter((e) => e.kind === 'note' && e.key === 'auth.challenge').map((e) => (e.data as { challenge: string }).challenge);
    expect(challenges).toHaveLength(2);
    if (trace.env.capture.available) {
      expect(trace.env.capture.method).toBe('loopback');
      const frames = trace.events.filter((e) => e.kind === 'wire').map((e) => Buffer.from(e.data as string, 'base64').toString('hex'));
      for (const challenge of challenges) expect(frames.some((f) => f.endsWith(challenge))).toBe(true);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
