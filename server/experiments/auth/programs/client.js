// The client proves it holds the key: it answers the server's challenge with a digest of it.
const crypto = require('node:crypto');
const net = require('node:net');
const hashsteps = require('./hashsteps.js');   // the same computation by hand, every intermediate value shown
const { messages, frame } = require('./messages.js');

// This run's settings (the lab writes them here before it runs the program).
const HOST = '127.0.0.1';
const PORT = 9000;
const KEY = 'egg';            // the client's key (the course: b'egg'; its MD5 example: b'egon')
const SCHEME = 'hmac-md5';    // 'hmac-md5', 'hmac-sha256', 'md5-hex', or 'hmac-default': no digest named
const FRAMED = false;         // false: one read per message, as the course; true: a 4-byte length first
const FOLLOW_UP = '';         // a message sent right after the answer, without waiting for the verdict ('': none)

const secretKey = Buffer.from(KEY);

const sk = net.createConnection({ host: HOST, port: PORT });   // SYN, SYN-ACK, ACK
const next = messages(sk, FRAMED);
sk.on('connect', async () => {
  const challenge = await next();              // 32 random bytes
  let answer;
  if (SCHEME === 'hmac-default') {
    answer = crypto.createHmac(undefined, secretKey).update(challenge).digest();   // TypeError: a digest must be named
  } else if (SCHEME === 'md5-hex') {
    answer = Buffer.from(crypto.createHash('md5').update(secretKey).update(challenge).digest('hex'));   // 32 hex characters
  } else if (SCHEME === 'hmac-sha256') {
    answer = crypto.createHmac('sha256', secretKey).update(challenge).digest();   // 32 raw bytes
  } else {
    answer = crypto.createHmac('md5', secretKey).update(challenge).digest();      // 16 raw bytes
  }
  if (!hashsteps.show(SCHEME, secretKey, challenge).equals(answer)) throw new Error('the steps by hand differ');
  sk.write(frame(answer, FRAMED));
  if (FOLLOW_UP) sk.write(frame(Buffer.from(FOLLOW_UP), FRAMED));   // at once: it may arrive together with the answer
  const verdict = await next();
  console.log('verdict:', verdict.toString());
  if (verdict.toString() === 'welcome' && FOLLOW_UP) console.log('reply:', (await next()).toString());
  sk.end();
});
