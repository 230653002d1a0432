import { test, expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import { openLesson, runAndWait } from './support.js';

const list = (page: Page) => page.getByRole('listbox', { name: /Packet list|数据包列表/ });
const packetRow = (page: Page, n: number) => list(page).getByRole('option').filter({ has: page.locator(`xpath=self::*[@aria-posinset="${n}"]`) });

test('the packet list and the ladder step together; packets only steps from packet to packet', async ({ page }) => {
  await openLesson(page, 'en');
  await runAndWait(page);
  await page.getByRole('button', { name: 'Skip to the end' }).click();

  const rec = new URL(page.url()).searchParams.get('rec');
  const trace = await (await page.request.get(`/api/recordings/${rec}`)).json();
  const wireSteps: number[] = trace.events.flatMap((e: { kind: string }, i: number) => (e.kind === 'wire' ? [i + 1] : []));
  await expect(list(page)).toHaveAttribute('aria-label', `Packet list: ${wireSteps.length} packets`);

  // The diagram picks the SYN: the list selects packet 1, its time the first, 0.
  await page.locator('svg.ladder [data-flags="SYN"]').first().click();
  await expect(packetRow(page, 1)).toHaveAttribute('aria-selected', 'true');
  await expect(packetRow(page, 1)).toHaveAccessibleName(/^Packet 1, 0\.000000 s, .* TCP, \d+ bytes: \d+ → \d+ \[SYN\] Seq=0 Win=\d+ Len=0$/);

  // Its window is the field scaled by the shift the client's SYN announced (window scale on lo), and says so.
  const [syn, , ack] = trace.events.filter((e: { kind: string }) => e.kind === 'wire').map((e: { decoded: { summary: unknown } }) => e.decoded.summary);
  const shift: number = syn.tcpOptions.wscale;
  expect(shift).toBeGreaterThan(0);
  await expect(packetRow(page, 3)).toHaveAccessibleName(
    new RegExp(` Win=${ack.window * 2 ** shift} \\(scaled: ${ack.window}×${2 ** shift}\\) Len=0$`),
  );

  // The list picks packet 3 (the handshake's ACK): the diagram and the URL follow.
  await packetRow(page, 3).click();
  await expect(page).toHaveURL(new RegExp(`[?&]step=${wireSteps[2]}(&|$)`));
  await expect(page.locator(`svg.ladder [data-step="${wireSteps[2]}"]`)).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator(`svg.ladder [data-step="${wireSteps[2]}"]`)).toHaveAttribute('data-flags', 'ACK');
  // ↓ in the list: the next packet, in both.
  await page.keyboard.press('ArrowDown');
  await expect(packetRow(page, 4)).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator(`svg.ladder [data-step="${wireSteps[3]}"]`)).toHaveAttribute('aria-pressed', 'true');

  // Packets only: the diagram draws the packets alone, and → goes to the next packet.
  await page.getByLabel('Packets only').check();
  await expect(page.locator('svg.ladder [data-op]')).toHaveCount(0);
  await expect(page.locator('svg.ladder [data-flags]')).toHaveCount(wireSteps.length);
  await page.locator('svg.ladder [data-flags="SYN"]').first().click();
  await page.keyboard.press('ArrowRight');
  await expect(page).toHaveURL(new RegExp(`[?&]step=${wireSteps[1]}(&|$)`));
  await expect(packetRow(page, 2)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('End');
  await expect(page).toHaveURL(new RegExp(`[?&]step=${wireSteps.at(-1)}(&|$)`));
  await expect(packetRow(page, wireSteps.length)).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByText(`Step ${wireSteps.at(-1)} / ${trace.events.length}`)).toBeVisible();

  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
});
