/**
 * MD5 (RFC 1321) written out, whose state can be set: the lab checks each block state a
 * program reports, and a forger can go on from a tag (length extension). node:crypto gives only
 * the final digest; this gives what happens inside.
 */

const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const CONSTANTS = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
export const INITIAL_STATE: readonly number[] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

export type Md5State = readonly [number, number, number, number];

/** One round: its number, the message word it used and the four words after it. */
export interface Md5Round {
  i: number;
  word: number;
  a: number;
  b: number;
  c: number;
  d: number;
}

const rotl = (x: number, n: number) => ((x << n) | (x >>> (32 - n))) >>> 0;

/** The state after one 64-byte block; each round pushed to `rounds` when given. */
export function compress(state: readonly number[], block: Uint8Array, rounds?: Md5Round[]): Md5State {
  const view = new DataView(block.buffer, block.byteOffset, 64);
  const m = Array.from({ length: 16 }, (_, i) => view.getUint32(i * 4, true));
  let [a, b, c, d] = state as [number, number, number, number];
  for (let i = 0; i < 64; i++) {
    let f: number;
    let g: number;
    if (i < 16) [f, g] = [(b & c) | (~b & d), i];
    else if (i < 32) [f, g] = [(d & b) | (~d & c), (5 * i + 1) % 16];
    else if (i < 48) [f, g] = [b ^ c ^ d, (3 * i + 5) % 16];
    else [f, g] = [c ^ (b | ~d), (7 * i) % 16];
    f = (f + a + CONSTANTS[i]! + m[g]!) >>> 0;
    [a, d, c] = [d, c, b];
    b = (b + rotl(f, SHIFTS[(i >> 4) * 4 + (i % 4)]!)) >>> 0;
    rounds?.push({ i, word: g, a, b, c, d });
  }
  return [(state[0]! + a) >>> 0, (state[1]! + b) >>> 0, (state[2]! + c) >>> 0, (state[3]! + d) >>> 0];
}

/** What MD5 appends to `length` bytes: 0x80, zeros to 56 mod 64, the length in bits (8 bytes, little-endian). */
export function md5Padding(length: number): Buffer {
  const zeros = (55 - (length % 64) + 64) % 64;
  const pad = Buffer.alloc(1 + zeros + 8);
  pad[0] = 0x80;
  pad.writeBigUInt64LE(BigInt(length) * 8n & 0xffffffffffffffffn, 1 + zeros);
  return pad;
}

/** The state as a digest: four little-endian words. */
export function stateBytes(state: readonly number[]): Buffer {
  const out = Buffer.alloc(16);
  state.forEach((w, i) => out.writeUInt32LE(w, i * 4));
  return out;
}

/** A digest read back as MD5's four state words. */
export function stateOf(digest: Uint8Array): Md5State {
  const b = Buffer.from(digest);
  return [b.readUInt32LE(0), b.readUInt32LE(4), b.readUInt32LE(8), b.readUInt32LE(12)];
}

/** The state words as the programs show them: `67452301 efcdab89 ...`. */
export function wordsHex(state: readonly number[]): string {
  return state.map((w) => w.toString(16).padStart(8, '0')).join(' ');
}

export class Md5 {
  private buffered: Buffer = Buffer.alloc(0);

  /** `state` as after `length` bytes (a multiple of 64): `new Md5(stateOf(tag), n)` goes on from a tag. */
  constructor(
    public state: Md5State = INITIAL_STATE as Md5State,
    public length = 0,
  ) {}

  update(data: Uint8Array): this {
    this.buffered = Buffer.concat([this.buffered, data]);
    this.length += data.length;
    while (this.buffered.length >= 64) {
      this.state = compress(this.state, this.buffered.subarray(0, 64));
      this.buffered = this.buffered.subarray(64);
    }
    return this;
  }

  digest(): Buffer {
    const tail = Buffer.concat([this.buffered, md5Padding(this.length)]);
    let state = this.state;
    for (let i = 0; i < tail.length; i += 64) state = compress(state, tail.subarray(i, i + 64));
    return stateBytes(state);
  }
}

/** The state after each 64-byte block of `message` with its padding. */
export function blockStates(message: Uint8Array): Md5State[] {
  const padded = Buffer.concat([message, md5Padding(message.length)]);
  const states: Md5State[] = [];
  let state = INITIAL_STATE as Md5State;
  for (let i = 0; i < padded.length; i += 64) {
    state = compress(state, padded.subarray(i, i + 64));
    states.push(state);
  }
  return states;
}
