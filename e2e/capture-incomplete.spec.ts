import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../playwright.config';
import { LESSON } from './support';

/**
 * A run whose capture ended before the run did (here: a real run's trace cut where its teardown
 * began, marked as the runner marks a killed tcpdump) says so in the page's language, and the
 * lesson shows what depends on the missing packets as unknown.
 */
test('a run with an incomplete capture says so, in both languages, and its facts about missing packets are unknown', async ({ page }) => {
  const auth = { authorization: `Bearer ${E2E_TOKEN}` };
  const ran = await page.request.post('/api/runs', { headers: auth, data: { experiment: 'handshake', params: { close: 'end' } } });
  expect(ran.status()).toBe(200);
  const { trace } = (await ran.json()) as { trace: { events: { kind: string; t: number; decoded?: { summary: { flags?: string[] } } }[] } & Record<string, unknown> };
  const firstFin = trace.events.findIndex((e) => e.kind === 'wire' && (e.decoded?.summary.flags ?? []).includes('FIN'));
  expect(firstFin).toBeGreaterThan(0);
  const cutAt = trace.events[firstFin]!.t;
  const events = [
    ...trace.events.filter((e, i) => i < firstFin || e.kind !== 'wire'),
    { kind: 'note', t: cutAt, key: 'capture.ended', values: { cause: 'SIGKILL' } },
  ]
    .sort((a, b) => a.t - b.t)
    .map((e, seq) => ({ ...e, seq }));
  const cut = {
    ...trace,
    events,
    outcome: { ok: false, error: { code: 'CAPTURE_INCOMPLETE', message: 'Packet capture ended before the run did (tcpdump: SIGKILL).' } },
  };
  const imported = await page.request.post('/api/recordings', { headers: auth, data: cut });
  expect(imported.status()).toBe(201);
  const { recordingId } = (await imported.json()) as { recordingId: string };

  const facts = (await (await page.request.get(`/api/recordings/${recordingId}/facts`)).json()) as { values: Record<string, unknown> };
  expect(facts.values['syn.seq']).toEqual(expect.any(Number));
  expect(facts.values['teardown.segments']).toBeUndefined();

  for (const [lang, says, unknown] of [
    ['en', 'Packet capture ended or stalled before the run was over', 'unknown: the packet capture ended before the run did'],
    ['zh-CN', '抓包在运行结束之前就停止或卡住了', '未知：抓包在运行结束之前就停止了'],
  ] as const) {
    await page.goto(`${LESSON}?rec=${recordingId}`);
    await page.getByRole('combobox', { name: /Language|语言/ }).selectOption(lang);
    await expect(page.getByText(says)).toBeVisible();
    // The teardown's segment count is shown as unknown, saying why; the handshake's facts are there.
    const segments = page.locator('.fact[data-fact="teardown.segments"]').last();
    await expect(segments).toHaveText(`—${unknown}`);
    await expect(segments).toHaveAttribute('title', unknown);
    await expect(page.locator('.fact[data-fact="synack.ackMinusSynSeq"]').first()).toHaveText('1');
  }
});
