// Every intermediate value of the client's computation, for the lab to show step by step.
//
// The client computes its answer with node:crypto; this module computes the same answer again by
// hand, one step at a time, and reports each step (require('socketlab') in the lab; printed
// anywhere else). It also holds an MD5 written out in full, whose internal state can be set: the
// length-extension forger (forger.js) starts from a tag.
const crypto = require('node:crypto');

let step;
try {
  ({ step } = require('socketlab'));           // in the lab: each step is shown on the page
} catch {
  step = (key, values, data) => console.log(key, values ?? '', data ?? '');   // in a terminal: printed
}

// MD5 (RFC 1321). Each of its 64 rounds per 64-byte block adds a constant, one word of the block
// and a mixing function of three state words, then rotates left by a fixed amount.
const SHIFTS = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const CONSTANTS = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);
const INITIAL_STATE = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];

const rotateLeft = (x, n) => ((x << n) | (x >>> (32 - n))) >>> 0;

/** The state after one 64-byte block; each round's words pushed to `rounds` when given. */
function compress(state, block, rounds) {
  const words = Array.from({ length: 16 }, (_, i) => block.readUInt32LE(i * 4));
  let [a, b, c, d] = state;
  for (let i = 0; i < 64; i++) {
    let f, g;
    if (i < 16) [f, g] = [(b & c) | (~b & d), i];
    else if (i < 32) [f, g] = [(d & b) | (~d & c), (5 * i + 1) % 16];
    else if (i < 48) [f, g] = [b ^ c ^ d, (3 * i + 5) % 16];
    else [f, g] = [c ^ (b | ~d), (7 * i) % 16];
    f = (f + a + CONSTANTS[i] + words[g]) >>> 0;
    [a, d, c] = [d, c, b];
    b = (b + rotateLeft(f, SHIFTS[(i >> 4) * 4 + (i % 4)])) >>> 0;
    if (rounds) rounds.push([i, g, a, b, c, d]);
  }
  return [(state[0] + a) >>> 0, (state[1] + b) >>> 0, (state[2] + c) >>> 0, (state[3] + d) >>> 0];
}

/** What MD5 appends to `length` bytes: 0x80, zeros, the length in bits (8 bytes, little-endian). */
function padding(length) {
  const pad = Buffer.alloc(1 + ((55 - (length % 64) + 64) % 64) + 8);
  pad[0] = 0x80;
  pad.writeBigUInt64LE((BigInt(length) * 8n) & 0xffffffffffffffffn, pad.length - 8);
  return pad;
}

/** The state as MD5 writes its digest: four little-endian words. */
function stateBytes(state) {
  const out = Buffer.alloc(16);
  state.forEach((w, i) => out.writeUInt32LE(w, i * 4));
  return out;
}

const wordsHex = (state) => state.map((w) => w.toString(16).padStart(8, '0')).join(' ');

/** MD5 that may start from any state: MD5.resume(digest, length) goes on from a digest. */
class MD5 {
  constructor(state = INITIAL_STATE, length = 0) {
    this.state = [...state];
    this.length = length;                      // bytes hashed so far (counting those before `state`)
    this.buffer = Buffer.alloc(0);
  }

  /** The MD5 whose state is `digest`, as after `length` bytes (a multiple of 64). */
  static resume(digest, length) {
    return new MD5([0, 4, 8, 12].map((i) => digest.readUInt32LE(i)), length);
  }

  update(data) {
    this.buffer = Buffer.concat([this.buffer, data]);
    this.length += data.length;
    while (this.buffer.length >= 64) {
      this.state = compress(this.state, this.buffer.subarray(0, 64));
      this.buffer = this.buffer.subarray(64);
    }
    return this;
  }

  digest() {
    const tail = Buffer.concat([this.buffer, padding(this.length)]);
    let state = this.state;
    for (let i = 0; i < tail.length; i += 64) state = compress(state, tail.subarray(i, i + 64));
    return stateBytes(state);
  }
}

/** Reports MD5 of `message` block by block: the padding, the length field, each block's state and rounds. */
function md5Steps(message) {
  const pad = padding(message.length);
  step('auth.md5.padding', { bytes: message.length, padBytes: pad.length - 8, bits: message.length * 8 },
    { message: message.toString('hex'), padding: pad.subarray(0, -8).toString('hex'), lengthField: pad.subarray(-8).toString('hex') });
  const padded = Buffer.concat([message, pad]);
  const blocks = padded.length / 64;
  let state = INITIAL_STATE;
  for (let index = 0; index < blocks; index++) {
    const block = padded.subarray(index * 64, (index + 1) * 64);
    const rounds = [];
    const after = compress(state, block, rounds);
    const hex = (w) => w.toString(16).padStart(8, '0');
    step('auth.md5.block', { block: index + 1, blocks, state: wordsHex(after) }, {
      block: block.toString('hex'), before: wordsHex(state), after: wordsHex(after),
      rounds: rounds.map(([i, g, a, b, c, d]) => ({ i, word: g, a: hex(a), b: hex(b), c: hex(c), d: hex(d) })),
    });
    state = after;
  }
  const digest = stateBytes(state);
  step('auth.md5.digest', { digest: digest.toString('hex') },
    { digest: digest.toString('hex'), nodeCrypto: crypto.createHash('md5').update(message).digest('hex') });
  return digest;
}

/** Reports HMAC(key, message) with hash `name` (RFC 2104) step by step; returns the tag. */
function hmacSteps(key, message, name) {
  const blockSize = 64;                        // MD5 and SHA-256 both work on 64-byte blocks
  if (key.length > blockSize) key = crypto.createHash(name).update(key).digest();   // a long key is hashed first
  const padded = Buffer.concat([key, Buffer.alloc(blockSize - key.length)]);
  step('auth.hmac.pad', { hash: name, blockSize, keyBytes: key.length }, { paddedKey: padded.toString('hex') });
  const innerKey = padded.map((x) => x ^ 0x36);   // key XOR ipad
  step('auth.hmac.ipad', {}, { keyXorIpad: innerKey.toString('hex') });
  const inner = crypto.createHash(name).update(innerKey).update(message).digest();
  step('auth.hmac.inner', { inner: inner.toString('hex') }, { input: Buffer.concat([innerKey, message]).toString('hex'), inner: inner.toString('hex') });
  const outerKey = padded.map((x) => x ^ 0x5c);   // key XOR opad
  step('auth.hmac.opad', {}, { keyXorOpad: outerKey.toString('hex') });
  const outer = crypto.createHash(name).update(outerKey).update(inner).digest();
  step('auth.hmac.outer', { outer: outer.toString('hex') }, { input: Buffer.concat([outerKey, inner]).toString('hex'), outer: outer.toString('hex') });
  return outer;
}

/** Reports the computation of `scheme` over `challenge` with `key`; returns its result. */
function show(scheme, key, challenge) {
  step('auth.compute', { scheme, keyBytes: key.length }, { key: key.toString('hex'), challenge: challenge.toString('hex') });
  if (scheme === 'md5-hex') return Buffer.from(md5Steps(Buffer.concat([key, challenge])).toString('hex'));
  return hmacSteps(key, challenge, scheme === 'hmac-sha256' ? 'sha256' : 'md5');
}

module.exports = { MD5, padding, wordsHex, compress, md5Steps, hmacSteps, show, step };
