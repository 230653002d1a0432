/**
 * A 100,000-packet recording opens at its last step and steps through, loading only the window
 * of events around the step shown (correctness only: timings belong to the benchmark).
 */
import { test, expect } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config.js';
import { seqOf, syntheticPcap } from '../server/pcap/synthetic-capture.js';

const PACKETS = 100_000;

test('a 100k-packet recording opens at its last packet and steps through it', async ({ page }) => {
  test.setTimeout(180_000);
  const body = Buffer.concat([...syntheticPcap(PACKETS, 10)]);
  const imported = await page.request.post('/api/recordings?name=big.pcap', {
    headers: { authorization: `Bearer ${E2E_TOKEN}`, 'content-type': 'application/vnd.tcpdump.pcap' },
    data: body,
    timeout: 120_000,
  });
  expect(imported.status()).toBe(201);
  const { recordingId, trace } = await imported.json();
  expect(trace.eventCount).toBe(PACKETS);

  const asked: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/recordings/')) asked.push(new URL(req.url()).pathname + new URL(req.url()).search);
  });
  await page.goto(`/recordings/${recordingId}`);
  const counter = page.locator('.step-controls .counter');
  await expect(counter).toHaveText(`Step ${PACKETS} / ${PACKETS}`);
  const seqField = page.locator('[data-field="tcp.seq"]');
  await expect(seqField).toContainText(String(seqOf(PACKETS - 1)));

  // Back, forward, to the first packet and one past the first window.
  await page.getByRole('button', { name: 'Previous step' }).click();
  await expect(counter).toHaveText(`Step ${PACKETS - 1} / ${PACKETS}`);
  await expect(seqField).toContainText(String(seqOf(PACKETS - 2)));
  await page.getByRole('button', { name: 'Next step' }).click();
  await expect(counter).toHaveText(`Step ${PACKETS} / ${PACKETS}`);
  await page.getByRole('button', { name: 'First step' }).click();
  await expect(counter).toHaveText(`Step 1 / ${PACKETS}`);
  await expect(seqField).toContainText(String(seqOf(0)));
  await expect(page).toHaveURL(/step=1\b/);
  // Step across the edge of the loaded window with the keyboard.
  await page.goto(`/recordings/${recordingId}?step=500`);
  await expect(counter).toHaveText(`Step 500 / ${PACKETS}`);
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(counter).toHaveText(`Step 503 / ${PACKETS}`);
  await expect(seqField).toContainText(String(seqOf(502)));
  // Numbered as the whole run, not the window: seq relative to the run's first SYN, packet 503.
  await expect(seqField).toContainText(`(relative ${seqOf(502) - seqOf(0)})`);
  await expect(page.locator('[data-packet-step][aria-selected="true"]')).toHaveAccessibleName(/^Packet 503, /);
  await page.goto(`/recordings/${recordingId}?step=${PACKETS - 2000}`);
  await expect(counter).toHaveText(`Step ${PACKETS - 2000} / ${PACKETS}`);
  await expect(seqField).toContainText(`(relative ${seqOf(PACKETS - 2001) - seqOf(1)})`);
  await expect(page.locator('[data-packet-step][aria-selected="true"]')).toHaveAccessibleName(new RegExp(`^Packet ${PACKETS - 2000}, `));

  // The page never asked for the whole trace: only its meta, facts and windows of events.
  const whole = asked.filter((path) => new RegExp(`^/api/recordings/${recordingId}$`).test(path));
  expect(whole).toEqual([]);
  expect(asked.some((path) => path.includes('/events?'))).toBe(true);
  await page.request.delete(`/api/recordings/${recordingId}`, { headers: { authorization: `Bearer ${E2E_TOKEN}` } });
});
