/**
 * The Python programs' hand-written steps (programs/hashsteps.py), run by python3 on many random
 * inputs, against node:crypto and the lab's own MD5 (md5.ts, itself tested against node:crypto),
 * and against Python's hashlib and hmac in the same process; and the Node.js programs' own
 * (programs/hashsteps.js) alike.
 */
import { execFileSync } from 'node:child_process';
import { createHash, createHmac, randomBytes, randomInt } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPython } from '../../lab/python.js';
import { blockStates, md5Padding, wordsHex } from './md5.js';

const programs = join(import.meta.dirname, 'programs');

/** Runs hashsteps.py on each case in python3; returns, per case, the steps it reported and what hashlib/hmac said. */
const SCRIPT = String.raw`
import hashlib, hmac, json, sys, types
steps = []
module = types.ModuleType('socketlab')
module.step = lambda key, values=None, data=None: steps.append({'key': key, 'values': values, 'data': data})
sys.modules['socketlab'] = module
sys.path.insert(0, sys.argv[1])
import hashsteps
out = []
for case in json.load(sys.stdin):
    key, message = bytes.fromhex(case['key']), bytes.fromhex(case['message'])
    steps.clear()
    md5 = hashsteps.md5_steps(key + message)
    hmac_md5 = hashsteps.hmac_steps(key, message, 'md5')
    hmac_sha256 = hashsteps.hmac_steps(key, message, 'sha256')
    glue = hashsteps.padding(len(key) + len(message))
    resumed = hashsteps.MD5.resume(hashlib.md5(key + message).digest(), len(key) + len(message) + len(glue))
    forged = resumed.update(bytes.fromhex(case['extra'])).hexdigest()
    out.append({'steps': list(steps), 'forged': forged, 'python': {
        'md5': md5 == hashlib.md5(key + message).digest(),
        'hmacMd5': hmac_md5 == hmac.new(key, message, 'md5').digest(),
        'hmacSha256': hmac_sha256 == hmac.new(key, message, 'sha256').digest()}})
json.dump(out, sys.stdout)
`;

interface Reported {
  steps: { key: string; values: Record<string, unknown> | null; data: Record<string, unknown> | null }[];
  forged: string;
  python?: Record<string, boolean>;
}

/** Every value one case reported, against node:crypto and the lab's MD5. */
function checkCase(c: Case, result: Reported): void {
  const key = Buffer.from(c.key, 'hex');
  const message = Buffer.from(c.message, 'hex');
  const steps = (name: string) => result.steps.filter((s) => s.key === name);

  // MD5 of key ‖ message: padding, length field, each block's state, the digest.
  const whole = Buffer.concat([key, message]);
  const pad = md5Padding(whole.length);
  const [padding] = steps('auth.md5.padding');
  expect(padding!.data).toEqual({ message: whole.toString('hex'), padding: pad.subarray(0, -8).toString('hex'), lengthField: pad.subarray(-8).toString('hex') });
  const states = blockStates(whole);
  const blocks = steps('auth.md5.block');
  expect(blocks.map((b) => b.data!.after)).toEqual(states.map(wordsHex));
  blocks.forEach((b) => expect(b.data!.rounds).toHaveLength(64));
  // The last round's words plus the state before the block are the state after it.
  blocks.forEach((b) => {
    const last = (b.data!.rounds as Record<string, string>[])[63]!;
    const before = String(b.data!.before).split(' ').map((w) => parseInt(w, 16));
    const after = ['a', 'b', 'c', 'd'].map((w, i) => ((parseInt(last[w]!, 16) + before[i]!) >>> 0).toString(16).padStart(8, '0'));
    expect(after.join(' ')).toBe(b.data!.after);
  });
  expect(steps('auth.md5.digest')[0]!.values!.digest).toBe(createHash('md5').update(whole).digest('hex'));

  // HMAC with MD5 and with SHA-256: every intermediate value.
  (['md5', 'sha256'] as const).forEach((hash, h) => {
    const shortKey = key.length > 64 ? createHash(hash).update(key).digest() : key;
    const padded = Buffer.concat([shortKey, Buffer.alloc(64 - shortKey.length)]);
    const ipad = Buffer.from(padded.map((x) => x ^ 0x36));
    const opad = Buffer.from(padded.map((x) => x ^ 0x5c));
    const inner = createHash(hash).update(ipad).update(message).digest('hex');
    expect(steps('auth.hmac.pad')[h]!.data!.paddedKey).toBe(padded.toString('hex'));
    expect(steps('auth.hmac.ipad')[h]!.data!.keyXorIpad).toBe(ipad.toString('hex'));
    expect(steps('auth.hmac.inner')[h]!.values!.inner).toBe(inner);
    expect(steps('auth.hmac.opad')[h]!.data!.keyXorOpad).toBe(opad.toString('hex'));
    expect(steps('auth.hmac.outer')[h]!.values!.outer).toBe(createHmac(hash, key).update(message).digest('hex'));
  });

  // MD5 resumed from a tag: the length extension node:crypto confirms with the key.
  const extra = Buffer.from(c.extra, 'hex');
  expect(result.forged).toBe(createHash('md5').update(Buffer.concat([whole, pad, extra])).digest('hex'));
}

interface Case {
  key: string;
  message: string;
  extra: string;
}

const randomCases = (n: number): Case[] =>
  Array.from({ length: n }, () => ({
    key: randomBytes(randomInt(0, 100)).toString('hex'),
    message: randomBytes(randomInt(0, 200)).toString('hex'),
    extra: randomBytes(randomInt(0, 80)).toString('hex'),
  }));

describe('hashsteps.py: the steps the Python client reports', () => {
  it('equal node:crypto, the lab\'s MD5 and Python\'s hashlib on 300 random keys and messages', { timeout: 120_000 }, () => {
    const python = findPython();
    expect(python, 'python3 is needed').toBeTruthy();
    // Keys from empty to longer than a block (hashed first), messages over one and several MD5 blocks.
    const cases = randomCases(300);
    const out = JSON.parse(execFileSync(python!, ['-c', SCRIPT, programs], { input: JSON.stringify(cases), maxBuffer: 512 * 1024 * 1024 }).toString()) as Reported[];
    expect(out).toHaveLength(cases.length);
    out.forEach((result, n) => {
      expect(result.python).toEqual({ md5: true, hmacMd5: true, hmacSha256: true });
      checkCase(cases[n]!, result);
    });
  });
});

describe('hashsteps.js: the steps the Node.js client reports', () => {
  it('equal node:crypto and the lab\'s MD5 on 300 random keys and messages', () => {
    // Loaded as the lab's tracer lets a program load it: `socketlab` records each step.
    const requireHere = createRequire(import.meta.url);
    const Module = requireHere('node:module') as { _load: (request: string, ...rest: unknown[]) => unknown };
    const steps: Reported['steps'] = [];
    const load = Module._load;
    Module._load = function (request: string, ...rest: unknown[]) {
      if (request === 'socketlab') return { step: (key: string, values?: Record<string, unknown>, data?: Record<string, unknown>) => steps.push({ key, values: values ?? null, data: data ?? null }) };
      return load.call(this, request, ...rest);
    };
    let hashsteps: {
      md5Steps(m: Buffer): Buffer;
      hmacSteps(k: Buffer, m: Buffer, name: string): Buffer;
      padding(n: number): Buffer;
      MD5: { resume(d: Buffer, n: number): { update(b: Buffer): { digest(): Buffer } } };
    };
    // From a folder of its own, as a run has it (here the package's "type": "module" would make it ESM).
    const dir = mkdtempSync(join(tmpdir(), 'hashsteps-'));
    try {
      copyFileSync(join(programs, 'hashsteps.js'), join(dir, 'hashsteps.js'));
      hashsteps = requireHere(join(dir, 'hashsteps.js'));
    } finally {
      Module._load = load;
      rmSync(dir, { recursive: true, force: true });
    }
    for (const c of randomCases(300)) {
      const key = Buffer.from(c.key, 'hex');
      const message = Buffer.from(c.message, 'hex');
      const whole = Buffer.concat([key, message]);
      steps.length = 0;
      expect(hashsteps.md5Steps(whole).equals(createHash('md5').update(whole).digest())).toBe(true);
      expect(hashsteps.hmacSteps(key, message, 'md5').equals(createHmac('md5', key).update(message).digest())).toBe(true);
      expect(hashsteps.hmacSteps(key, message, 'sha256').equals(createHmac('sha256', key).update(message).digest())).toBe(true);
      const glue = hashsteps.padding(whole.length);
      const forged = hashsteps.MD5.resume(createHash('md5').update(whole).digest(), whole.length + glue.length).update(Buffer.from(c.extra, 'hex')).digest().toString('hex');
      checkCase(c, { steps: [...steps], forged });
    }
  });
});
