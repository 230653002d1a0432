/**
 * The intermediate values a program reported (`socketlab.step`), computed again here with
 * node:crypto (and, for the states inside MD5, the lab's own written-out MD5, itself tested
 * against node:crypto): one row per value, named as the program's step data names it (`inner`,
 * `after[2]`: the state after block 2), with both and whether they are equal.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ProgramStep } from '../../lab/program-process.js';
import { blockStates, md5Padding, wordsHex } from './md5.js';

export interface CheckRow {
  value: string;
  reported: string;
  nodeCrypto: string;
  equal: boolean;
}

type Data = Record<string, unknown>;

const dataOf = (step: ProgramStep | undefined): Data =>
  step && typeof step.data === 'object' && step.data !== null ? (step.data as Data) : {};
const text = (value: unknown): string => (typeof value === 'string' ? value : '');
const row = (value: string, reported: unknown, computed: string): CheckRow => ({
  value,
  reported: text(reported),
  nodeCrypto: computed,
  equal: text(reported) === computed,
});

/** Rows for the client's computation (HMAC or MD5); none when it reported none. */
export function checkComputation(steps: readonly ProgramStep[]): CheckRow[] {
  const find = (key: string) => steps.find((s) => s.key === key);
  const compute = find('auth.compute');
  if (!compute) return [];
  const key = Buffer.from(text(dataOf(compute).key), 'hex');
  const challenge = Buffer.from(text(dataOf(compute).challenge), 'hex');
  const rows: CheckRow[] = [];
  const pad = find('auth.hmac.pad');
  if (pad) {
    const hash = pad.values?.hash === 'sha256' ? 'sha256' : 'md5';
    const blockSize = 64;
    const shortKey = key.length > blockSize ? createHash(hash).update(key).digest() : key;
    const padded = Buffer.concat([shortKey, Buffer.alloc(blockSize - shortKey.length)]);
    const ipad = Buffer.from(padded.map((x) => x ^ 0x36));
    const opad = Buffer.from(padded.map((x) => x ^ 0x5c));
    const inner = createHash(hash).update(ipad).update(challenge).digest();
    const outer = createHash(hash).update(opad).update(inner).digest();
    rows.push(
      row('paddedKey', dataOf(pad).paddedKey, padded.toString('hex')),
      row('keyXorIpad', dataOf(find('auth.hmac.ipad')).keyXorIpad, ipad.toString('hex')),
      row('inner', dataOf(find('auth.hmac.inner')).inner, inner.toString('hex')),
      row('keyXorOpad', dataOf(find('auth.hmac.opad')).keyXorOpad, opad.toString('hex')),
      row('outer', dataOf(find('auth.hmac.outer')).outer, outer.toString('hex')),
      row(`createHmac('${hash}')`, dataOf(find('auth.hmac.outer')).outer, createHmac(hash, key).update(challenge).digest('hex')),
    );
    return rows;
  }
  const md5Pad = find('auth.md5.padding');
  if (md5Pad) {
    const message = Buffer.concat([key, challenge]);
    const padding = md5Padding(message.length);
    rows.push(
      row('message', dataOf(md5Pad).message, message.toString('hex')),
      row('padding', dataOf(md5Pad).padding, padding.subarray(0, -8).toString('hex')),
      row('lengthField', dataOf(md5Pad).lengthField, padding.subarray(-8).toString('hex')),
    );
    const states = blockStates(message);
    const blocks = steps.filter((s) => s.key === 'auth.md5.block');
    states.forEach((state, i) => rows.push(row(`after[${i + 1}]`, dataOf(blocks[i]).after, wordsHex(state))));
    rows.push(row("createHash('md5')", dataOf(find('auth.md5.digest')).digest, createHash('md5').update(message).digest('hex')));
  }
  return rows;
}

/** Rows for each forged tag: md5(key ‖ forged message) by node:crypto, with the server's key (the forger had none). */
export function checkForgeries(steps: readonly ProgramStep[], serverKey: string): CheckRow[] {
  return steps
    .filter((s) => s.key === 'auth.forge.try')
    .map((s) => {
      const data = dataOf(s);
      const forged = Buffer.from(text(data.forgedMessage), 'hex');
      const real = createHash('md5').update(Buffer.from(serverKey, 'utf8')).update(forged).digest('hex');
      return row(`forgedTag[keyLength=${String(s.values?.keyLength)}]`, data.forgedTag, real);
    });
}
