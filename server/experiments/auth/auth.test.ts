/**
 * The auth experiment on real sockets with real python3: every scheme with the right and the
 * wrong key, the replay, length extension against MD5 and HMAC signers, and the recv(1024)
 * pitfall with its framed fix. The expected answers are computed here with node:crypto from the
 * challenge the server actually sent (as captured, or as the client read it).
 */
import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { probeCapture } from '../../capture/probe.js';
import type { CaptureInfo, NoteEvent, ProgramLang, Trace, TraceEvent } from '../../contract/trace.js';
import { findPython } from '../../lab/python.js';
import { projectRoot } from '../../paths.js';
import { labCatalog } from '../registry.js';
import { runExperiment } from '../../runner/run.js';
import { appBytes, segments } from '../../runner/test-support.js';
import { ensureRunnerBuilt } from '../../runner/vitest-global-setup.js';

const execFileP = promisify(execFile);
let capture: CaptureInfo;

beforeAll(async () => {
  ensureRunnerBuilt();
  capture = await probeCapture({ ...process.env, SOCKET_LAB_CAPTURE: '' });
}, 180_000);

async function run(params: Record<string, unknown>, lang: ProgramLang = 'python'): Promise<{ trace: Trace; facts: Record<string, string | number> }> {
  const trace = await runExperiment({ experiment: 'auth', params, capture, lang });
  const facts = (await labCatalog()).facts(trace).values;
  return { trace, facts };
}

const notes = (trace: Trace, key: string) => trace.events.filter((e): e is NoteEvent => e.kind === 'note' && e.key === key);
const data = (note: NoteEvent | undefined) => (note?.data ?? {}) as Record<string, unknown>;

/** What a client holding `key` should answer to `challenge`, by node:crypto. */
function answer(scheme: string, key: string, challenge: Buffer): Buffer {
  if (scheme === 'md5-hex') return Buffer.from(createHash('md5').update(key).update(challenge).digest('hex'));
  return createHmac(scheme === 'hmac-sha256' ? 'sha256' : 'md5', key).update(challenge).digest();
}

for (const lang of ['python', 'node'] as const) describe(`auth in ${lang}: a challenge-response login`, () => {
  const cases = ['hmac-md5', 'hmac-sha256', 'md5-hex'].flatMap((scheme) => [
    { scheme, clientKey: 'egg', verdict: 'accepted' },
    { scheme, clientKey: 'egon', verdict: 'rejected' },
  ]);
  it.each(cases)('$scheme, client key $clientKey: $verdict', async ({ scheme, clientKey, verdict }) => {
    const { trace, facts } = await run({ scheme, clientKey }, lang);
    expect(facts.verdict).toBe(verdict);
    // The challenge: 32 bytes, as the server sent them and the client read them.
    const challenge = appBytes(trace, 'server', 'write').subarray(0, 32);
    expect(appBytes(trace, 'client', 'read').subarray(0, 32)).toEqual(challenge);
    expect(facts['challenge.hex']).toBe(challenge.toString('hex'));
    // The answer the client wrote is the digest node:crypto makes with the client's key.
    const written = appBytes(trace, 'client', 'write');
    expect(written).toEqual(answer(scheme, clientKey, challenge));
    expect(written.length).toBe(scheme === 'hmac-sha256' || scheme === 'md5-hex' ? 32 : 16);
    // The server's verdict follows from node:crypto with the server's key.
    expect(written.equals(answer(scheme, 'egg', challenge))).toBe(verdict === 'accepted');
    expect(appBytes(trace, 'server', 'write').subarray(32).toString()).toBe(verdict === 'accepted' ? 'welcome' : 'denied');
    // Every intermediate value the client reported equals node:crypto's.
    expect(facts['check.total']).toBeGreaterThanOrEqual(5);
    expect(facts['check.equal']).toBe(facts['check.total']);
    if (capture.available) {
      const payloads = segments(trace).filter((s) => s.payload.length > 0);
      expect(payloads[0]!.payload).toEqual(challenge);
      expect(payloads[1]!.payload).toEqual(written);
      expect(facts['challenge.packetBytes']).toBe(32);
    }
  }, 60_000);

  it('no digest named (hmac.new(key, msg); createHmac(undefined, key)): a TypeError in the client, and the server rejects the empty answer', async () => {
    const { trace, facts } = await run({ scheme: 'hmac-default' }, lang);
    expect(facts['client.error']).toBe('TypeError');
    expect(facts.verdict).toBe('rejected');
    expect(facts['answer.bytes']).toBe(0);
    expect(appBytes(trace, 'client', 'write').length).toBe(0);
    expect((await labCatalog()).summary(trace)).toBe('the server rejected the client (answer 0 of 16 bytes); the client raised TypeError');
  }, 60_000);

  it('an old answer replayed on a new connection is rejected: the challenge is fresh', async () => {
    const { trace, facts } = await run({ attack: 'replay' }, lang);
    expect(facts.verdict).toBe('accepted');
    expect(facts['replay.verdict']).toBe('rejected');
    expect(facts['challenges.differ']).toBe('yes');
    const [first, second] = notes(trace, 'auth.verdict').map(data);
    expect(second!.received).toBe(first!.received);
    expect(appBytes(trace, 'eavesdropper', 'write').toString('hex')).toBe(first!.received);
    expect((await labCatalog()).summary(trace)).toBe('the server accepted the client (answer 16 of 16 bytes); the replayed answer was rejected');
  }, 60_000);

  it('length extension: the forged message is accepted by the md5(key ‖ message) server, without the key', async () => {
    const { trace, facts } = await run({ attack: 'length-extension', signer: 'md5', serverKey: 'egg' }, lang);
    expect(facts['forge.accepted']).toBe('yes');
    expect(facts['forge.keyLength']).toBe(3);
    expect(facts['signed.role']).toBe('admin');
    // The accepted tag is md5(key ‖ forged message), by node:crypto; the forger never had the key.
    const accepted = notes(trace, 'auth.forge.try').find((n) => n.values?.keyLength === 3)!;
    const forged = Buffer.from(String(data(accepted).forgedMessage), 'hex');
    expect(createHash('md5').update('egg').update(forged).digest('hex')).toBe(data(accepted).forgedTag);
    expect(forged.subarray(-11).toString()).toBe('&role=admin');
    expect(trace.programs?.find((p) => p.actor === 'client')?.source).not.toContain('egg');
    expect(trace.programs?.find((p) => p.actor === 'client')?.name).toBe(lang === 'python' ? 'forger.py' : 'forger.js');
    expect((await labCatalog()).summary(trace)).toBe('the message forged without the key (role=admin) was accepted');
  }, 60_000);

  it('the same forgery against an HMAC signing server is rejected at every key length', async () => {
    const { trace, facts } = await run({ attack: 'length-extension', signer: 'hmac' }, lang);
    expect(facts['forge.accepted']).toBe('no');
    expect((await labCatalog()).summary(trace)).toBe('the message forged without the key was rejected');
    expect(facts['forge.tries']).toBe(16);
  }, 60_000);

  it('recv(1024): the answer and the next message arrive together and a correct client is rejected; framing fixes it', async () => {
    const sticky = await run({ attack: 'recv-pitfall' }, lang);
    expect(sticky.facts.verdict).toBe('rejected');
    expect(sticky.facts['answer.bytes']).toBe(16 + 'hello'.length);
    expect(sticky.facts['check.equal']).toBe(sticky.facts['check.total']);
    const framed = await run({ attack: 'recv-pitfall', framed: true }, lang);
    expect(framed.facts.verdict).toBe('accepted');
    expect(framed.facts['answer.bytes']).toBe(16);
    // The server answered the next message: length 5, "HELLO".
    expect(appBytes(framed.trace, 'client', 'read').subarray(-5).toString()).toBe('HELLO');
  }, 60_000);
});

describe('auth: bring your own client', () => {
  /** The client the lesson gives, exactly as written there. */
  async function lessonClient(): Promise<string> {
    const lesson = await readFile(join(projectRoot, 'lessons', '05-client-auth', 'en.md'), 'utf8');
    const code = /```python\n(# auth_client\.py[\s\S]*?)```/.exec(lesson)?.[1];
    expect(code, 'the lesson has the client').toBeTruthy();
    return code!;
  }

  it('the lesson\'s python3 client, run as its own process outside the lab, is accepted; with a wrong key, rejected', { timeout: 60_000 }, async () => {
    const code = await lessonClient();
    const dir = await mkdtemp(join(tmpdir(), 'auth-client-'));
    const file = join(dir, 'auth_client.py');
    await writeFile(file, code);
    const stop = new AbortController();
    const outputs: string[] = [];
    let clients: Promise<void> | undefined;
    const onEvent = (event: TraceEvent) => {
      if (event.kind !== 'note' || event.key !== 'auth.listening' || clients) return;
      const port = String(event.values?.port);
      clients = (async () => {
        for (const key of ['egg', 'egon']) outputs.push((await execFileP(findPython()!, [file, port, key])).stdout.trim());
        stop.abort();
      })();
    };
    try {
      const trace = await runExperiment({ experiment: 'auth', params: { attack: 'own-client', scheme: 'hmac-sha256' }, capture, lang: 'python', onEvent, signal: stop.signal });
      await clients;
      expect(outputs).toEqual(['welcome', 'denied']);
      const verdicts = notes(trace, 'auth.verdict').map((n) => n.values?.result);
      expect(verdicts).toEqual(['accepted', 'rejected']);
      // Each answer the server read is HMAC-SHA256 of its challenge with the client's key, by node:crypto.
      const challenges = notes(trace, 'auth.challenge').map((n) => Buffer.from(String(data(n).challenge), 'hex'));
      const received = notes(trace, 'auth.verdict').map((n) => String(data(n).received));
      expect(received).toEqual(['egg', 'egon'].map((key, i) => createHmac('sha256', key).update(challenges[i]!).digest('hex')));
      if (capture.available) {
        // Captured on the host's loopback, filtered by the listener's port: both connections, each with its challenge.
        expect(trace.env.capture.method).toBe('loopback');
        const payloads = segments(trace).filter((s) => s.payload.length === 32 && challenges.some((c) => c.equals(s.payload)));
        expect(payloads).toHaveLength(2);
      }
    } finally {
      stop.abort();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
