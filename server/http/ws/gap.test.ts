/**
 * A page that falls behind its live run, forced for real: the app is built with viewer limits
 * so low (no event may wait) that the first batch of a real run over a real `/ws` overflows.
 */
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import { useTestLab } from '../test-lab.js';

const TOKEN = 'ws-gap-token-0123456789';
const lab = useTestLab('gap', TOKEN, { viewerLimits: { maxPendingEvents: 0 } });

type Message = { type: string; [key: string]: unknown };
interface Saved {
  outcome: { ok: boolean };
  events: { seq: number; kind: string }[];
  counters: { packets: number };
}

/** Capture is expected in CI (root) and for root anywhere: there a run without packets is a failure. */
const captureExpected = process.env.CI === 'true' || process.getuid?.() === 0;

it('a viewer too far behind gets a gap with what it missed and is cut off (1008); the run goes on and is saved whole', async () => {
  if (captureExpected) expect(lab.app.capture.available, `packet capture is expected here: ${lab.app.capture.reason ?? ''}`).toBe(true);
  const ws = new WebSocket(`ws://${lab.host}/ws`, { origin: `http://${lab.host}` });
  const all: Message[] = [];
  ws.on('message', (data) => all.push(JSON.parse(data.toString()) as Message));
  // Bounded: a viewer never cut off fails here, not at the test's timeout.
  const closed = new Promise<number>((resolve) => {
    const timer = setTimeout(() => resolve(-1), 20_000);
    ws.once('close', (code) => (clearTimeout(timer), resolve(code)));
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'hello', token: TOKEN }));
  ws.send(JSON.stringify({ type: 'run', requestId: 'slow', experiment: 'handshake', params: { ipVersion: 4, close: 'end' } }));

  expect(await closed).toBe(1008);
  const types = all.map((m) => m.type);
  expect(types.slice(0, 2)).toEqual(['welcome', 'run-started']);
  // The gap is the last thing the viewer is sent: no run-finished, no events after it.
  expect(types.at(-1)).toBe('gap');
  const gap = all.at(-1)!;
  const runId = String(all[1]!.runId);
  expect(gap.runId).toBe(runId);
  expect(gap.missed).toBeGreaterThan(0);
  const streamed = all.filter((m) => m.type === 'events').flatMap((m) => m.events as unknown[]);

  // The run was not stopped with its viewer: its recording appears, whole.
  let saved: Saved | undefined;
  for (let i = 0; i < 300 && !saved; i++) {
    const res = await fetch(`http://${lab.host}/api/recordings/${runId}`);
    if (res.ok) saved = (await res.json()) as Saved;
    else await new Promise((r) => setTimeout(r, 100));
  }
  expect(saved, 'the recording of the run whose viewer was cut off').toBeDefined();
  expect(saved!.outcome.ok).toBe(true);
  expect(saved!.events.map((e) => e.seq)).toEqual(saved!.events.map((_, i) => i));
  expect(streamed.length + Number(gap.missed)).toBeLessThanOrEqual(saved!.events.length);
  expect(saved!.counters.packets).toBe(saved!.events.filter((e) => e.kind === 'wire').length);
  if (lab.app.capture.available) {
    // SYN, SYN-ACK, ACK, data both ways, and the close: all captured though nobody watched.
    expect(saved!.counters.packets).toBeGreaterThanOrEqual(7);
  }
});
