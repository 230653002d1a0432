import { createHash, randomBytes, randomInt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { blockStates, Md5, md5Padding, stateBytes, stateOf } from './md5.js';

const nodeMd5 = (data: Uint8Array) => createHash('md5').update(data).digest();

describe('the written-out MD5', () => {
  it('gives node:crypto\'s digest on 2,000 random inputs of 0 to 300 bytes, fed whole or in pieces', () => {
    for (let n = 0; n < 2000; n++) {
      const data = randomBytes(randomInt(0, 301));
      expect(new Md5().update(data).digest().equals(nodeMd5(data))).toBe(true);
      const cut = randomInt(0, data.length + 1);
      expect(new Md5().update(data.subarray(0, cut)).update(data.subarray(cut)).digest().equals(nodeMd5(data))).toBe(true);
    }
  });

  it('pads to 56 mod 64 and ends with the length in bits', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 119, 120, 1000]) {
      const pad = md5Padding(length);
      expect((length + pad.length) % 64).toBe(0);
      expect(pad[0]).toBe(0x80);
      expect(pad.readBigUInt64LE(pad.length - 8)).toBe(BigInt(length * 8));
    }
  });

  it('goes on from any block state: each state after a block of the message, resumed with the rest, gives node:crypto\'s digest', () => {
    for (let n = 0; n < 300; n++) {
      const data = randomBytes(randomInt(0, 400));
      const states = blockStates(data);
      expect(stateBytes(states.at(-1)!).equals(nodeMd5(data))).toBe(true);
      // Each block made of message bytes alone (later ones hold the padding).
      states.slice(0, Math.floor(data.length / 64)).forEach((state, k) => {
        const done = (k + 1) * 64;
        expect(new Md5(state, done).update(data.subarray(done)).digest().equals(nodeMd5(data))).toBe(true);
      });
    }
  });

  it('extends a tag md5(key ‖ message) without the key, as node:crypto hashes the forged message with the key', () => {
    for (let n = 0; n < 500; n++) {
      const key = randomBytes(randomInt(1, 40));
      const message = randomBytes(randomInt(0, 200));
      const extra = randomBytes(randomInt(0, 100));
      const tag = nodeMd5(Buffer.concat([key, message]));
      const glue = md5Padding(key.length + message.length);
      const forged = new Md5(stateOf(tag), key.length + message.length + glue.length).update(extra).digest();
      expect(forged.equals(nodeMd5(Buffer.concat([key, message, glue, extra])))).toBe(true);
    }
  });
});
