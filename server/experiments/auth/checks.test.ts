import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProgramStep } from '../../lab/program-process.js';
import { checkComputation, checkForgeries } from './checks.js';
import { blockStates, md5Padding, Md5, stateOf, wordsHex } from './md5.js';

const key = Buffer.from('egg');
const challenge = randomBytes(32);
const compute: ProgramStep = { key: 'auth.compute', data: { key: key.toString('hex'), challenge: challenge.toString('hex') } };

/** The HMAC-MD5 steps as a correct client reports them. */
function hmacSteps(): ProgramStep[] {
  const padded = Buffer.concat([key, Buffer.alloc(61)]);
  const ipad = Buffer.from(padded.map((x) => x ^ 0x36));
  const opad = Buffer.from(padded.map((x) => x ^ 0x5c));
  const inner = createHash('md5').update(ipad).update(challenge).digest('hex');
  return [
    compute,
    { key: 'auth.hmac.pad', values: { hash: 'md5' }, data: { paddedKey: padded.toString('hex') } },
    { key: 'auth.hmac.ipad', data: { keyXorIpad: ipad.toString('hex') } },
    { key: 'auth.hmac.inner', data: { inner } },
    { key: 'auth.hmac.opad', data: { keyXorOpad: opad.toString('hex') } },
    { key: 'auth.hmac.outer', data: { outer: createHmac('md5', key).update(challenge).digest('hex') } },
  ];
}

describe('checking the values a program reported', () => {
  it('finds every HMAC value equal when it is, and names the one that is not', () => {
    const steps = hmacSteps();
    expect(checkComputation(steps).every((r) => r.equal)).toBe(true);
    (steps[3]!.data as { inner: string }).inner = '00'.repeat(16);
    expect(checkComputation(steps).filter((r) => !r.equal).map((r) => r.value)).toEqual(['inner']);
  });

  it('checks MD5\'s padding, length field and each block state', () => {
    const message = Buffer.concat([key, challenge]);
    const pad = md5Padding(message.length);
    const steps: ProgramStep[] = [
      compute,
      { key: 'auth.md5.padding', data: { message: message.toString('hex'), padding: pad.subarray(0, -8).toString('hex'), lengthField: pad.subarray(-8).toString('hex') } },
      ...blockStates(message).map((s) => ({ key: 'auth.md5.block', data: { after: wordsHex(s) } })),
      { key: 'auth.md5.digest', data: { digest: createHash('md5').update(message).digest('hex') } },
    ];
    const rows = checkComputation(steps);
    expect(rows.map((r) => r.value)).toEqual(['message', 'padding', 'lengthField', 'after[1]', "createHash('md5')"]);
    expect(rows.every((r) => r.equal)).toBe(true);
    (steps[2]!.data as { after: string }).after = wordsHex([1, 2, 3, 4]);
    expect(rows.length).toBe(checkComputation(steps).length);
    expect(checkComputation(steps).filter((r) => !r.equal).map((r) => r.value)).toEqual(['after[1]']);
  });

  it('a forged tag is md5(key ‖ forged message) only at the right key length', () => {
    const message = Buffer.from('user=student&role=guest');
    const tag = createHash('md5').update(key).update(message).digest();
    const tries: ProgramStep[] = [2, 3].map((keyLength) => {
      const glue = md5Padding(keyLength + message.length);
      const forged = new Md5(stateOf(tag), keyLength + message.length + glue.length).update(Buffer.from('&role=admin')).digest();
      return { key: 'auth.forge.try', values: { keyLength }, data: { forgedMessage: Buffer.concat([message, glue, Buffer.from('&role=admin')]).toString('hex'), forgedTag: Buffer.from(forged).toString('hex') } };
    });
    expect(checkForgeries(tries, 'egg').map((r) => r.equal)).toEqual([false, true]);
  });
});
