// Length extension, without the key: from one message and its tag md5(key + message), forge a
// longer message with a valid tag. MD5's tag is its whole internal state after the padded input;
// start an MD5 from that state and hash on. The forger must guess the key's length: it tries each.
const net = require('node:net');
const hashsteps = require('./hashsteps.js');   // MD5 written out, whose state can be set (hashsteps.MD5.resume)
const { messages, frame } = require('./messages.js');

const { step } = hashsteps;

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const EXTRA = '&role=admin';   // what the forger appends
const MAX_KEY_LENGTH = 16;     // key lengths it tries: 1, 2, ... up to this

const sk = net.createConnection({ host: HOST, port: PORT });
const next = messages(sk, true);
sk.on('connect', async () => {
  const message = await next();                // the signed message the server gave out
  const tag = (await next()).toString();       // md5(key + message), in hex
  const extra = Buffer.from(EXTRA);
  step('auth.forge.given', { tag }, { message: message.toString('hex'), tag });
  for (let keyLength = 1; keyLength <= MAX_KEY_LENGTH; keyLength++) {
    // The server hashed key + message + padding; the padding depends only on the length.
    const glue = hashsteps.padding(keyLength + message.length);
    const hashed = keyLength + message.length + glue.length;   // bytes through the end of the padding
    const forgedMessage = Buffer.concat([message, glue, extra]);
    // The tag's 16 bytes are MD5's four state words after those bytes: go on from there.
    const md5 = hashsteps.MD5.resume(Buffer.from(tag, 'hex'), hashed);
    const forgedTag = md5.update(extra).digest().toString('hex');
    step('auth.forge.try', { keyLength, tag: forgedTag }, {
      padding: glue.subarray(0, -8).toString('hex'), lengthField: glue.subarray(-8).toString('hex'), bits: (keyLength + message.length) * 8,
      state: hashsteps.wordsHex([0, 4, 8, 12].map((i) => Buffer.from(tag, 'hex').readUInt32LE(i))),
      forgedMessage: forgedMessage.toString('hex'), forgedTag,
    });
    sk.write(Buffer.concat([frame(forgedMessage, true), frame(Buffer.from(forgedTag), true)]));   // in one write
    const verdict = (await next()).toString();
    console.log(keyLength, verdict);
    if (verdict.startsWith('accepted')) break;
  }
  sk.end();
});
